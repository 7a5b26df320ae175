// Tests of read_evidence (suite/trial.hpp): whatever outcome file a variant leaves (fields of any
// JSON type, nested anyhow, under the names the detectors read), every detector's reading comes
// back without an exception escaping, with findings of kinds the detector declares; an outcome
// a detector could not read is set aside, saying why. Before, such a file was graded an
// infrastructure error of the runner (its exception caught as "the runner failed on this
// pair"). rapidcheck, over every detector and real ProcessResults' shape.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "catalog/declaration_check.hpp"
#include "detectors/detector.hpp"
#include "suite/trial.hpp"

namespace casebook {
namespace {

using nlohmann::json;

// The names the case host writes and the detectors read.
const std::vector<std::string> kKeys = {
    "holds",          "invariant",     "observed",  "expected",  "note",     "property",
    "counterexample", "crashed",       "tests_run", "shrinks",   "failure",  "gave_up",
    "shares",         "waits",         "ratio",     "threshold", "metric",   "rounds",
    "broken_best",    "fixed_best",    "broken",    "fixed",     "model",    "failed",
    "broken_median",  "fixed_median",  "case",      "variant",   "params",   "metrics",
    "kind",           "message",       "accesses",  "details",   "schedule", "preemptions",
    "trace",          "thread",        "operation", "step",      "file",     "line",
    "racy",           "replay_command"};

rc::Gen<json> any_json(int depth) {
  const auto scalar =
      rc::gen::oneOf(rc::gen::just(json(nullptr)),
                     rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return json(b); }),
                     rc::gen::map(rc::gen::inRange(-5, 1000), [](int n) { return json(n); }),
                     rc::gen::map(rc::gen::inRange(-5, 1000), [](int n) { return json(n / 7.0); }),
                     rc::gen::map(rc::gen::element<std::string>("", "x", "race", "0x1.2"),
                                  [](std::string s) { return json(s); }));
  if (depth == 0) return scalar;
  const auto array =
      rc::gen::map(rc::gen::resize(4, rc::gen::container<std::vector<json>>(
                                          rc::gen::lazy([=] { return any_json(depth - 1); }))),
                   [](std::vector<json> items) { return json(items); });
  const auto object = rc::gen::map(
      rc::gen::resize(
          6, rc::gen::container<std::vector<std::pair<std::string, json>>>(rc::gen::pair(
                 rc::gen::elementOf(kKeys), rc::gen::lazy([=] { return any_json(depth - 1); })))),
      [](std::vector<std::pair<std::string, json>> fields) {
        json o = json::object();
        for (auto& [k, v] : fields) o[k] = std::move(v);
        return o;
      });
  return rc::gen::oneOf(scalar, array, object);
}

VariantDecl variant_every_detector_reads() {
  VariantDecl v;
  v.case_name = "outcome_case";
  v.variant = "broken";
  v.file = "cases/outcome_case/broken.cpp";
  v.fairness_floor = 0.2;
  v.max_wait_seconds = 1;
  v.perf_ratio = 2;
  v.perf_metric = "ns";
  v.vary = {ParamRange{"threads", 1, 4}};
  return v;
}

bool declares(const Detector& d, const std::string& kind) {
  const KindVocabulary vocabulary = d.traits().finding_kinds;
  return vocabulary.open || std::find(vocabulary.kinds.begin(), vocabulary.kinds.end(), kind) !=
                                vocabulary.kinds.end();
}

RC_GTEST_PROP(OutcomeReading, AnyOutcomeObjectIsReadByEveryDetectorWithoutAnEscape, ()) {
  // Half the time over the fields every outcome has, so that many read as outcomes and reach
  // the detectors; the rest are set aside before them.
  json outcome = *rc::gen::element(
      json::object(), json{{"case", "outcome_case"}, {"invariant", "i"}, {"holds", false}});
  for (auto& [key, value] :
       *rc::gen::resize(10, rc::gen::container<std::vector<std::pair<std::string, json>>>(
                                rc::gen::pair(rc::gen::elementOf(kKeys), any_json(2))))) {
    outcome[key] = std::move(value);
  }
  const VariantDecl variant = variant_every_detector_reads();
  ProcessResult process;
  process.started = true;
  process.exited = true;
  process.exit_code = *rc::gen::element(0, 1, 66);
  for (const auto& detector : all_detectors()) {
    ReadOutcome read = outcome_of(outcome);
    TrialEvidence evidence{variant, process,     "", std::move(read.outcome), "/nonexistent-root",
                           -1,      read.problem};
    DetectorReading reading;
    try {
      reading = read_evidence(*detector, evidence);
    } catch (const std::exception& e) {
      RC_FAIL(std::string(detector->name()) + " let an exception escape: " + e.what() +
              " on outcome " + outcome.dump());
    }
    for (const auto& f : reading.findings) {
      RC_ASSERT(declares(*detector, f.kind));
    }
  }
}

TEST(OutcomeReading, AnOutcomeADetectorCannotReadIsSetAsideSayingWhy) {
  const VariantDecl variant = variant_every_detector_reads();
  ProcessResult process;
  process.started = true;
  process.exited = true;
  // A number where text goes.
  const json outcome = {{"case", "outcome_case"}, {"holds", false}, {"invariant", 17}};
  const Detector* invariant = find_detector("invariant");
  ASSERT_NE(invariant, nullptr);
  ReadOutcome read = outcome_of(outcome);
  EXPECT_FALSE(read.outcome.has_value());
  const DetectorReading reading = read_evidence(
      *invariant,
      TrialEvidence{variant, process, "", std::move(read.outcome), "/", -1, read.problem});
  ASSERT_EQ(reading.findings.size(), 1u);
  EXPECT_EQ(reading.findings[0].kind, "crash");
  EXPECT_NE(reading.findings[0].summary.find("without reporting an outcome (its outcome file is "
                                             "not the case host's (outcome.invariant: "),
            std::string::npos)
      << reading.findings[0].summary;
}

}  // namespace
}  // namespace casebook
