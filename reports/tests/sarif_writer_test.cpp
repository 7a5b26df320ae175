// Tests of the SARIF writer on a real run's results (data/real_results.json, recorded by
// data/capture_sample.sh): the golden file, and the properties code-scanning relies on.
#include "sarif/sarif_writer.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "golden.hpp"

namespace casebook::reports {
namespace {

using nlohmann::json;
using testing::load_sample;

// The writer over a document as `casebook report` reads it.
std::string sarif_from_results(const json& doc) {
  return reports::sarif_from_results(results::read_results(doc));
}

TEST(SarifWriter, MatchesGoldenFile) {
  testing::expect_matches_golden(
      sarif_from_results(load_sample(REPORTS_TEST_DATA "/real_results.json")),
      REPORTS_TEST_GOLDEN "/real_results.sarif");
}

TEST(SarifWriter, OneResultPerDistinctFindingWithRepoRelativeLocations) {
  const json sarif =
      json::parse(sarif_from_results(load_sample(REPORTS_TEST_DATA "/real_results.json")));
  const json& run = sarif.at("runs").at(0);
  std::set<std::string> rules;
  for (const auto& rule : run.at("tool").at("driver").at("rules")) rules.insert(rule.at("id"));
  std::set<std::string> identities;
  for (const auto& r : run.at("results")) {
    EXPECT_TRUE(rules.count(r.at("ruleId"))) << r.at("ruleId") << " has no rule entry";
    const std::string identity = r.at("ruleId").get<std::string>() +
                                 r.at("properties").at("case").get<std::string>() +
                                 r.at("properties").at("variant").get<std::string>() +
                                 r.at("partialFingerprints").begin().value().get<std::string>();
    EXPECT_TRUE(identities.insert(identity).second) << "duplicate result " << identity;
    for (const auto& loc : r.value("locations", json::array())) {
      const std::string uri = loc.at("physicalLocation").at("artifactLocation").at("uri");
      EXPECT_NE(uri.front(), '/') << uri;
      EXPECT_NE(uri.rfind("..", 0), 0u) << uri;
    }
  }
  EXPECT_TRUE(rules.count("tsan/data-race"));
  EXPECT_TRUE(rules.count("watchdog/hang"));
  EXPECT_TRUE(rules.count("compile/rejected"));
}

// Failed verdicts of a real run: a missed finding and an error each become a result of their
// own rule at level error, with the reason and the repro line, located at the variant's file;
// a failed pair's findings are errors too, and a passing pair's are notes.
TEST(SarifWriter, FailedVerdictsAreErrorsWithTheirOwnRules) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  json* missed = nullptr;
  json* errored = nullptr;
  json* passing_with_findings = nullptr;
  for (auto& v : results.at("verdicts")) {
    const bool has_findings =
        std::any_of(v.at("trials").begin(), v.at("trials").end(),
                    [](const json& t) { return !t.value("findings", json::array()).empty(); });
    if (!missed && v.at("verdict") == "detected" && v.at("case") == "unlocked_counter" &&
        v.at("detector") == "tsan") {
      missed = &v;
    } else if (!passing_with_findings && v.at("verdict") == "detected" && has_findings &&
               v.at("case") != "unlocked_counter") {
      passing_with_findings = &v;
    } else if (!errored && v.at("verdict") == "clean" && v.at("case") != "unlocked_counter" &&
               passing_with_findings && v.at("case") != (*passing_with_findings)["case"]) {
      errored = &v;
    }
  }
  ASSERT_TRUE(missed && errored && passing_with_findings);
  (*missed)["verdict"] = "missed";
  (*missed)["passed"] = false;
  (*missed)["reason"] = "expected data-race in 5 trials, none showed it";
  (*errored)["verdict"] = "error";
  (*errored)["passed"] = false;
  (*errored)["reason"] = "the case binary crashed before the case ran";
  const std::string missed_pair =
      (*missed)["case"].get<std::string>() + "/" + (*missed)["variant"].get<std::string>();
  const std::string passing_case = (*passing_with_findings)["case"];

  const json sarif = json::parse(sarif_from_results(results));
  const json& run = sarif.at("runs").at(0);
  std::map<std::string, const json*> by_rule;
  for (const auto& r : run.at("results")) by_rule.emplace(r.at("ruleId"), &r);
  ASSERT_TRUE(by_rule.count("casebook/missed"));
  ASSERT_TRUE(by_rule.count("casebook/error"));
  const json& m = *by_rule.at("casebook/missed");
  EXPECT_EQ(m.at("level"), "error");
  const std::string text = m.at("message").at("text");
  EXPECT_NE(text.find(missed_pair), std::string::npos) << text;
  EXPECT_NE(text.find("none showed it"), std::string::npos) << text;
  EXPECT_NE(text.find("Reproduce: "), std::string::npos) << text;
  EXPECT_EQ(m.at("locations").at(0).at("physicalLocation").at("artifactLocation").at("uri"),
            (*missed)["file"]);
  const json& e = *by_rule.at("casebook/error");
  EXPECT_EQ(e.at("level"), "error");
  EXPECT_NE(e.at("message").at("text").get<std::string>().find("crashed before the case ran"),
            std::string::npos);
  std::set<std::string> rules;
  for (const auto& rule : run.at("tool").at("driver").at("rules")) rules.insert(rule.at("id"));
  EXPECT_TRUE(rules.count("casebook/missed") && rules.count("casebook/error"));
  // The failed pair's own findings are errors; a passing pair's findings are notes.
  for (const auto& r : run.at("results")) {
    const std::string c = r.at("properties").at("case");
    const std::string rule = r.at("ruleId");
    if (rule.rfind("casebook/", 0) == 0) continue;
    if (c == passing_case) {
      EXPECT_EQ(r.at("level"), "note") << rule;
    }
    if (c + "/" + r.at("properties").at("variant").get<std::string>() == missed_pair &&
        r.at("properties").at("detector") == (*missed)["detector"]) {
      EXPECT_EQ(r.at("level"), "error") << rule;
    }
  }
}

// Cases from outside the catalog (data/extra_case_results.json, recorded by
// data/capture_extra_sample.sh from the e2e tests' CASEBOOK_EXTRA_CASES catalog): every
// finding is located in its case's own folder, relative to the extra-cases folder's base id,
// which the run declares; frames there carry that base in the thread flows too.
TEST(SarifWriter, ExtraCasesAreLocatedInTheirFolderUnderTheirOwnBase) {
  const json results = load_sample(REPORTS_TEST_DATA "/extra_case_results.json");
  const std::string rendered = sarif_from_results(results);
  testing::expect_matches_golden(rendered, REPORTS_TEST_GOLDEN "/extra_case_results.sarif");
  const json sarif = json::parse(rendered);
  const json& run = sarif.at("runs").at(0);
  const std::map<std::string, std::string> base_of_case = {
      {"crossed_locks", "%EXTRA_CASES_EXTRA_CASES%"}, {"request_ids", "%EXTRA_CASES_EXAMPLES%"}};
  for (const auto& [c, base] : base_of_case) {
    ASSERT_TRUE(run.at("originalUriBaseIds").contains(base)) << run.at("originalUriBaseIds");
    EXPECT_NE(run.at("originalUriBaseIds")
                  .at(base)
                  .at("description")
                  .at("text")
                  .get<std::string>()
                  .find("CASEBOOK_EXTRA_CASES"),
              std::string::npos);
  }
  std::map<std::string, int> located;
  for (const auto& r : run.at("results")) {
    const std::string c = r.at("properties").at("case");
    ASSERT_TRUE(r.contains("locations")) << r;
    const json& artifact = r.at("locations").at(0).at("physicalLocation").at("artifactLocation");
    EXPECT_EQ(artifact.at("uri").get<std::string>().rfind(c + "/", 0), 0u) << artifact;
    EXPECT_EQ(artifact.at("uriBaseId"), base_of_case.at(c)) << artifact;
    ++located[c];
    for (const auto& flow : r.at("codeFlows").at(0).at("threadFlows")) {
      for (const auto& step : flow.at("locations")) {
        const json& where = step.at("location");
        if (!where.contains("physicalLocation")) continue;
        const json& a = where.at("physicalLocation").at("artifactLocation");
        if (a.at("uri").get<std::string>().rfind(c + "/", 0) == 0) {
          EXPECT_EQ(a.at("uriBaseId"), base_of_case.at(c)) << a;
        } else {
          EXPECT_EQ(a.at("uriBaseId"), "%SRCROOT%") << a;  // casebook's facade headers
        }
      }
    }
  }
  EXPECT_GT(located["crossed_locks"], 0);
  EXPECT_GT(located["request_ids"], 1);  // the TSan race and the model's
}

// Every string of `finding` (summary, raw report, location, stack titles) with the addresses a
// real run prints in it, at `base` (TSan's "at 0x7b1000000700", a module offset, Helgrind's
// "Address 0x1ffefffbd0 is on thread #1's stack"); returns how many it wrote.
int put_addresses(json& finding, std::uint64_t base) {
  int written = 0;
  auto address = [&] { return fmt::format("0x{:x}", base + 0x40 * written++); };
  finding["summary"] = finding.value("summary", "") + " at " + address();
  finding["raw"] = finding.value("raw", "") + "\n  #0 (casebook-cases-tsan+" + address() + ")";
  finding["location"] =
      finding.value("location", "") + " Address " + address() + " is on thread #1's stack";
  for (auto& s : finding.at("stacks")) {
    s["title"] = s.value("title", "") + " at " + address();
  }
  return written;
}

TEST(SarifWriter, FingerprintsIgnoreLineNumbersAndAddresses) {
  const json original = load_sample(REPORTS_TEST_DATA "/real_results.json");
  json results = original;
  int addresses = 0;
  for (auto& v : results.at("verdicts")) {
    for (auto& t : v.at("trials")) {
      for (auto& f : t.at("findings")) addresses += put_addresses(f, 0x7b1000000700);
    }
  }
  ASSERT_GT(addresses, 0);
  const json before = json::parse(sarif_from_results(results));
  // Another run of the same: every line three further down, every address elsewhere.
  results = original;
  for (auto& v : results.at("verdicts")) {
    for (auto& t : v.at("trials")) {
      for (auto& f : t.at("findings")) {
        for (auto& s : f.at("stacks")) {
          for (auto& frame : s.at("frames")) frame["line"] = frame.value("line", 0) + 3;
        }
        put_addresses(f, 0x7b0c00001f00);
      }
    }
  }
  const json after = json::parse(sarif_from_results(results));
  ASSERT_EQ(before.at("runs")[0].at("results").size(), after.at("runs")[0].at("results").size());
  for (std::size_t i = 0; i < before.at("runs")[0].at("results").size(); ++i) {
    EXPECT_EQ(before.at("runs")[0].at("results")[i].at("partialFingerprints"),
              after.at("runs")[0].at("results")[i].at("partialFingerprints"));
  }
}

// A --repeat run: the same finding in many trials, its observed values different each time
// (an invariant's counts), is one result with the number of trials that showed it, and its
// fingerprint does not depend on those values.
TEST(SarifWriter, RepeatedTrialsGiveOneResultPerFindingWithTheirCount) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  json* invariant = nullptr;
  for (auto& v : results.at("verdicts")) {
    if (v.at("detector") == "invariant" && v.at("case") == "unlocked_counter" &&
        v.at("variant") == "broken") {
      invariant = &v;
    }
  }
  ASSERT_NE(invariant, nullptr);
  json& trials = invariant->at("trials");
  ASSERT_EQ(trials.size(), 1u);
  ASSERT_EQ(trials[0].at("findings").size(), 1u);
  const json once = json::parse(sarif_from_results(results));
  // Three more trials: two show the violation with other counts, one shows nothing.
  for (int i = 1; i <= 3; ++i) {
    json t = trials[0];
    t["index"] = i;
    if (i == 2) {
      t["findings"] = json::array();
    } else {
      t["findings"][0]["summary"] = "final == threads * iterations: observed " +
                                    std::to_string(1000 * i) + ", expected 2000000";
    }
    trials.push_back(t);
  }
  const json repeated = json::parse(sarif_from_results(results));
  auto invariant_results = [](const json& sarif) {
    std::vector<json> found;
    for (const auto& r : sarif.at("runs")[0].at("results")) {
      if (r.at("ruleId") == "invariant/invariant-violated" &&
          r.at("properties").at("case") == "unlocked_counter") {
        found.push_back(r);
      }
    }
    return found;
  };
  const auto before = invariant_results(once), after = invariant_results(repeated);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].at("partialFingerprints"), before[0].at("partialFingerprints"));
  EXPECT_EQ(after[0].at("properties").at("trials_showing"), 3);
  EXPECT_EQ(after[0].at("properties").at("trials"), 4);
  const std::string text = after[0].at("message").at("text");
  EXPECT_NE(text.find(", in 3 of 4 trials)"), std::string::npos) << text;
  EXPECT_NE(text.find("observed 500000"), std::string::npos) << "the first trial's: " << text;
  EXPECT_EQ(once.at("runs")[0].at("results").size(), repeated.at("runs")[0].at("results").size());
}

// With more than two threads TSan reports the same race once per pair of racing threads: one
// trial shows the finding several times, under other thread names and addresses but with the
// same frames. That is one result, and the trial counts once among the trials showing it.
TEST(SarifWriter, AFindingReportedTwiceInOneTrialCountsThatTrialOnce) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  json* race = nullptr;
  for (auto& v : results.at("verdicts")) {
    if (v.at("detector") == "tsan" && v.at("case") == "unlocked_counter" &&
        v.at("variant") == "broken") {
      race = &v;
    }
  }
  ASSERT_NE(race, nullptr);
  json& trials = race->at("trials");
  ASSERT_EQ(trials.size(), 1u);
  ASSERT_EQ(trials[0].at("findings").size(), 1u);
  // The same race between two other threads, in the same trial.
  json again = trials[0].at("findings")[0];
  ASSERT_GE(again.at("stacks").size(), 2u);
  again["stacks"][0]["title"] = "Read of size 8 at 0x7b0400000010 by thread T4";
  again["stacks"][1]["title"] = "Previous write of size 8 at 0x7b0400000010 by thread T3";
  trials[0]["findings"].push_back(again);
  // A second trial that showed nothing, and a third that showed it once.
  json quiet = trials[0];
  quiet["index"] = 1;
  quiet["findings"] = json::array();
  json once = trials[0];
  once["index"] = 2;
  once["findings"] = json::array({again});
  trials.push_back(quiet);
  trials.push_back(once);

  const json sarif = json::parse(sarif_from_results(results));
  std::vector<json> found;
  for (const auto& r : sarif.at("runs")[0].at("results")) {
    if (r.at("ruleId") == "tsan/data-race" && r.at("properties").at("case") == "unlocked_counter") {
      found.push_back(r);
    }
  }
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("properties").at("trials_showing"), 2);
  EXPECT_EQ(found[0].at("properties").at("trials"), 3);
  const std::string text = found[0].at("message").at("text");
  EXPECT_NE(text.find(", in 2 of 3 trials)"), std::string::npos) << text;
}

TEST(SarifWriter, ANonResultsDocumentIsRefused) {
  EXPECT_THROW(sarif_from_results(json{{"hello", 1}}), std::invalid_argument);
}

}  // namespace
}  // namespace casebook::reports
