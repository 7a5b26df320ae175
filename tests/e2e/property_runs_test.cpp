// The property detector's runs end to end: the real casebook CLI over
// tests/e2e/fixtures/property_runs (built into a plain-only catalog of its own). Every run of a
// property is a process of its own, so a crash is a shrunk, replayable counterexample, and a
// program that expects a fresh process (globals that start at zero) gets one for every input.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using e2e::find_verdict;
using e2e::read_json;
using e2e::run_cli;
using nlohmann::json;

class PropertyRuns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = fs::path(E2E_OUT_DIR) / "property-runs";
    fs::remove_all(out_);
    run_ =
        run_cli({"run", "--bin-dir", PROPERTY_RUNS_BIN_DIR, "--detectors", "property", "--deflake",
                 "1", "--deflake-seconds", "0", "--out", out_.string(), "--seed", "3"});
    if (fs::exists(out_ / "results.json")) results_ = read_json(out_ / "results.json");
  }
  static const json& verdict(const std::string& variant) {
    const json* found = find_verdict(results_, "property_runs", variant, "property");
    if (found == nullptr) throw std::runtime_error("no property verdict for " + variant);
    return *found;
  }
  static inline fs::path out_;
  static inline ProcessResult run_;
  static inline json results_;
};

TEST_F(PropertyRuns, BothVariantsAreGradedAsDeclared) {
  ASSERT_TRUE(run_.exited) << describe_status(run_);
  EXPECT_EQ(run_.exit_code, 0) << run_.stdout_text << run_.stderr_text;
  EXPECT_EQ(e2e::last_line(run_.stdout_text), "2 passed, 0 failed, 0 skipped") << run_.stdout_text;
}

TEST_F(PropertyRuns, ACrashIsACounterexampleShrunkToItsSmallestInput) {
  const json& v = verdict("broken");
  ASSERT_EQ(v.at("verdict"), "detected") << v.at("reason");
  const json& t = v.at("trials").at(0);
  ASSERT_EQ(t.at("findings").size(), 1u) << t;
  const json& f = t.at("findings").at(0);
  EXPECT_EQ(f.at("kind"), "crash");
  const std::string summary = f.at("summary");
  // The smallest input that crashes, found by shrinking, and how the run died.
  EXPECT_NE(summary.find("crashes for iterations=301 "), std::string::npos) << summary;
  EXPECT_NE(summary.find("killed by signal 11"), std::string::npos) << summary;
  // The case host itself lived to write its outcome.
  EXPECT_EQ(t.at("outcome").at("property").at("crashed"), true) << t.at("outcome");
}

TEST_F(PropertyRuns, TheReplayCommandCrashesAtTheSameInputAgain) {
  const json& property = verdict("broken").at("trials").at(0).at("outcome").at("property");
  const std::string code = property.at("reproduce");
  ASSERT_FALSE(code.empty());
  const std::string replay_out = (out_ / "replay.json").string();
  const ProcessResult replay =
      e2e::run_shell("RC_PARAMS=\"reproduce=" + code + "\" " + PROPERTY_RUNS_BIN_DIR +
                     "/casebook-cases-plain property property_runs broken --outcome " + replay_out);
  ASSERT_TRUE(replay.exited) << describe_status(replay);
  const json again = read_json(replay_out);
  EXPECT_FALSE(again.at("holds").get<bool>()) << again;
  EXPECT_EQ(again.at("property").at("counterexample"), "iterations=301") << again;
  EXPECT_EQ(again.at("property").at("crashed"), true) << again;
  EXPECT_TRUE(again.at("property").at("replayed").get<bool>());
}

TEST_F(PropertyRuns, EveryInputRunsInAFreshProcess) {
  // The fixed variant's global total starts at zero only in a fresh program: had two inputs
  // shared a process, the second would have found the first one's total.
  const json& v = verdict("fixed");
  EXPECT_EQ(v.at("verdict"), "clean") << v.at("reason");
  const json& property = v.at("trials").at(0).at("outcome").at("property");
  EXPECT_GE(property.at("tests_run").get<int>(), 100) << property;
}

}  // namespace
}  // namespace casebook
