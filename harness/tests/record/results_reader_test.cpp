// Tests of reading verdicts back (record/results_reader.hpp), which `casebook run --resume`
// keeps from an interrupted run: whatever verdict_to_json writes, read back and written again,
// is the same JSON (rapidcheck, over records with every field set, reports past the 16 KiB
// cap included), and a missing or mistyped field is one error naming where it is.
#include "record/results_reader.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "record/results_json.hpp"

namespace casebook {
namespace {

using nlohmann::json;

// Printable text: what the parsers leave in a finding (they replace invalid UTF-8).
rc::Gen<std::string> text(int max_size = 24) {
  return rc::gen::resize(max_size,
                         rc::gen::container<std::string>(rc::gen::inRange<char>(32, 127)));
}

Finding any_finding() {
  Finding f;
  f.tool = *text(6);
  f.kind = *text(12);
  f.summary = *text();
  f.location = *text();
  f.mutexes = *rc::gen::resize(3, rc::gen::container<std::vector<std::string>>(text(4)));
  f.lock_cycle = *rc::gen::resize(3, rc::gen::container<std::vector<std::string>>(text(4)));
  const int stacks = *rc::gen::inRange(0, 3);
  for (int s = 0; s < stacks; ++s) {
    Stack stack{*text(), *text(8), {}};
    const int frames = *rc::gen::inRange(0, 4);
    for (int i = 0; i < frames; ++i) {
      stack.frames.push_back({i, *text(), *text(), *rc::gen::inRange(0, 5000),
                              *rc::gen::inRange(0, 120), *text(10),
                              *rc::gen::element(std::string(), std::string("extra-1"))});
    }
    f.stacks.push_back(std::move(stack));
  }
  // Now and then a report past the cap, which results.json cuts with a note.
  f.raw = *rc::gen::weightedOneOf<std::string>(
      {{4, text(200)}, {1, rc::gen::map(rc::gen::inRange(16 * 1024, 40 * 1024), [](int n) {
                          return std::string(static_cast<std::size_t>(n), 'r');
                        })}});
  return f;
}

TrialRecord any_trial(int index) {
  TrialRecord t;
  t.index = index;
  t.seed = *rc::gen::arbitrary<std::uint64_t>();
  t.noise_level = *rc::gen::inRange(0, 11);
  t.duration_seconds = *rc::gen::inRange(0, 100000) / 1000.0;
  t.peak_rss_kib = *rc::gen::inRange(0, 1 << 30);
  t.status = *text();
  if (*rc::gen::arbitrary<bool>()) {
    t.exit_code = *rc::gen::inRange(-1, 256);
  } else if (*rc::gen::arbitrary<bool>()) {
    t.signal = *rc::gen::inRange(1, 32);
  }
  t.timed_out = *rc::gen::arbitrary<bool>();
  t.stdout_truncated = *rc::gen::arbitrary<bool>();
  t.stderr_truncated = *rc::gen::arbitrary<bool>();
  const int findings = *rc::gen::inRange(0, 3);
  for (int i = 0; i < findings; ++i) t.findings.push_back(any_finding());
  if (*rc::gen::arbitrary<bool>()) t.suppressed = {{*text(), *rc::gen::inRange(1, 9)}};
  t.anomaly = *text();
  t.infra_error = *text();
  if (*rc::gen::arbitrary<bool>()) {
    results::Outcome o;
    o.case_name = *text();
    o.invariant = *text();
    o.holds = *rc::gen::arbitrary<bool>();
    o.observed = *text();
    o.note = *text();
    if (*rc::gen::arbitrary<bool>()) o.metrics = {{*text(), *rc::gen::inRange(0, 9) / 4.0}};
    t.outcome = o;
  }
  t.command = *text();
  t.stderr_tail = *text();
  return t;
}

VariantDecl variant_declaring(const Expectation& e) {
  VariantDecl v;
  v.case_name = "some_case";
  v.variant = "broken";
  v.file = "cases/some_case/broken.cpp";
  v.expectations = {e};
  return v;
}

VerdictRecord any_verdict() {
  Expectation e;
  e.detector = "tsan";
  e.want = *rc::gen::element(Want::finds, Want::clean, Want::may_find, Want::false_positive);
  e.kinds = {"data-race"};
  e.reason = *text();
  e.declared = true;
  VerdictRecord r;
  r.variant = variant_declaring(e);
  r.detector = "tsan";
  r.expected = r.variant.expectation_for("tsan");
  r.grade.verdict = *rc::gen::element(Verdict::detected, Verdict::missed, Verdict::clean,
                                      Verdict::false_positive, Verdict::error);
  r.grade.passed = *rc::gen::arbitrary<bool>();
  r.grade.infrastructure = *rc::gen::arbitrary<bool>();
  r.grade.reason = *text(80);
  const int trials = *rc::gen::inRange(0, 4);
  for (int i = 0; i < trials; ++i) r.trials.push_back(any_trial(i));
  r.grade.deciding_trial = *rc::gen::inRange(-1, trials);
  r.duration_seconds = *rc::gen::inRange(0, 100000) / 100.0;
  r.repro = *text(60);
  if (*rc::gen::arbitrary<bool>()) {
    LineTruth lt;
    lt.marked = {12, 30};
    lt.located = true;
    lt.hit = *rc::gen::arbitrary<bool>();
    lt.at = "cases/some_case/broken.cpp:12";
    if (*rc::gen::arbitrary<bool>()) lt.frame = FrameRef{0, 1, *text(), "T1", 2, *text()};
    if (*rc::gen::arbitrary<bool>()) lt.race_pair = PairTruth{true, false, {12, 30}};
    r.line_truth = lt;
  }
  return r;
}

RC_GTEST_PROP(ResultsReader, WhatIsReadBackWritesOutTheSame, ()) {
  const VerdictRecord original = any_verdict();
  const json written = verdict_to_json(original);
  const VerdictRecord read = verdict_from_json(written, "verdicts[0]", original.variant);
  RC_ASSERT(verdict_to_json(read) == written);
  // And the records agree where the summary, the tables and the union verdicts look.
  RC_ASSERT(read.grade.verdict == original.grade.verdict);
  RC_ASSERT(read.grade.passed == original.grade.passed);
  RC_ASSERT(read.trials.size() == original.trials.size());
}

// One written verdict, to break field by field.
json one_written_verdict() {
  Expectation e;
  e.detector = "tsan";
  e.want = Want::finds;
  e.kinds = {"data-race"};
  e.declared = true;
  VerdictRecord r;
  r.variant = variant_declaring(e);
  r.detector = "tsan";
  r.expected = r.variant.expectation_for("tsan");
  r.grade = {Verdict::detected, true, false, "found", 0};
  TrialRecord t;
  t.seed = 7;
  Finding f;
  f.kind = "data-race";
  f.stacks = {Stack{"Write", "T1", {Frame{0, "f", "a.cpp", 3, 1, "m", ""}}}};
  t.findings = {f};
  r.trials = {t};
  return verdict_to_json(r);
}

std::string error_of(const json& verdict) {
  try {
    verdict_from_json(verdict, "verdicts[4]",
                      variant_declaring(Expectation{"tsan", Want::finds, {"data-race"}, "", true}));
  } catch (const FieldError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ResultsReader, AMissingFieldIsNamedByItsPath) {
  json v = one_written_verdict();
  v["trials"][0].erase("seed");
  EXPECT_EQ(error_of(v), "verdicts[4].trials[0].seed: missing");
}

TEST(ResultsReader, AMistypedFieldSaysWhatWasExpectedAndWhatWasThere) {
  json v = one_written_verdict();
  v["trials"][0]["findings"][0]["stacks"][0]["frames"][0]["line"] = "3";
  EXPECT_EQ(error_of(v),
            "verdicts[4].trials[0].findings[0].stacks[0].frames[0].line: expected an integer, "
            "found \"3\"");
  v = one_written_verdict();
  v["passed"] = 1;
  EXPECT_EQ(error_of(v), "verdicts[4].passed: expected true or false, found 1");
  v = one_written_verdict();
  v["trials"][0]["seed"] = -7;
  EXPECT_EQ(error_of(v), "verdicts[4].trials[0].seed: expected an unsigned integer, found -7");
}

TEST(ResultsReader, AnUnknownVerdictNamesTheOnesThereAre) {
  json v = one_written_verdict();
  v["verdict"] = "found-it";
  EXPECT_EQ(error_of(v),
            "verdicts[4].verdict: \"found-it\" is not one of detected, missed, clean, "
            "false-positive, error, skipped");
}

TEST(ResultsReader, AVerdictGradedAgainstAnotherExpectationIsRefused) {
  json v = one_written_verdict();
  v["expected"]["verdict"] = "clean";
  const std::string error = error_of(v);
  EXPECT_NE(error.find("verdicts[4].expected: "), std::string::npos) << error;
  EXPECT_NE(error.find("some_case/broken under tsan was graded expecting"), std::string::npos)
      << error;
  EXPECT_NE(error.find("now declares {\"declared\":true,\"kinds\":[\"data-race\"],\"verdict\":"
                       "\"detected\"}"),
            std::string::npos)
      << error;
}

TEST(ResultsReader, AReportCappedOnceIsNotCappedAgain) {
  Finding f;
  f.raw = std::string(20000, 'x');
  const json once = finding_to_json(f);
  const json twice = finding_to_json(finding_from_json(once, "f"));
  EXPECT_EQ(once, twice);
  EXPECT_NE(once.at("raw").get<std::string>().find("[... 3616 more bytes truncated by casebook]"),
            std::string::npos);
}

}  // namespace
}  // namespace casebook
