// Tests of the SARIF writer on a real run's results (data/real_results.json, recorded by
// data/capture_sample.sh): the golden file, and the properties code-scanning relies on.
#include "sarif/sarif_writer.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "golden.hpp"

namespace casebook::reports {
namespace {

using nlohmann::json;
using testing::load_sample;

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

TEST(SarifWriter, FingerprintsIgnoreLineNumbersAndAddresses) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  const json before = json::parse(sarif_from_results(results));
  for (auto& v : results.at("verdicts")) {
    for (auto& t : v.at("trials")) {
      for (auto& f : t.at("findings")) {
        for (auto& s : f.at("stacks")) {
          for (auto& frame : s.at("frames")) frame["line"] = frame.value("line", 0) + 3;
        }
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

TEST(SarifWriter, ANonResultsDocumentIsRefused) {
  EXPECT_THROW(sarif_from_results(json{{"hello", 1}}), std::invalid_argument);
}

}  // namespace
}  // namespace casebook::reports
