// The controlled scheduler's fairness end to end (issue 18): the real casebook CLI runs the
// model detector over tests/e2e/fixtures/model_spin (correct spin-waits without yield() and
// their broken twins), built through CASEBOOK_EXTRA_CASES into a catalog of its own. Fixed
// variants must be clean in every trial, broken ones the real kind (not livelock); traces are
// stored once per pair; the replay command printed runs as pasted.
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

constexpr int kRepeat = 3;

class ModelSpin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = fs::path(E2E_OUT_DIR) / "model-spin";
    fs::remove_all(out_);
    run_ = run_cli({"run", "--bin-dir", MODEL_SPIN_BIN_DIR, "--detectors", "model", "--repeat",
                    std::to_string(kRepeat), "-j", "2", "--out", out_.string(), "--seed", "1"});
    results_ = read_json(out_ / "results.json");
  }
  static inline fs::path out_;
  static inline ProcessResult run_;
  static inline json results_;
};

const json& verdict(const json& results, const std::string& c, const std::string& v) {
  const json* found = find_verdict(results, c, v, "model");
  if (found == nullptr) throw std::runtime_error("no verdict for " + c + "/" + v);
  return *found;
}

TEST_F(ModelSpin, EveryPairIsGradedAsDeclared) {
  ASSERT_TRUE(run_.exited) << describe_status(run_);
  EXPECT_EQ(run_.exit_code, 0) << run_.stdout_text << run_.stderr_text;
  EXPECT_EQ(e2e::last_line(run_.stdout_text), "6 passed, 0 failed, 0 skipped") << run_.stdout_text;
}

TEST_F(ModelSpin, FixedSpinWaitsAreCleanInEveryTrialWithDerivedInputs) {
  for (const char* c : {"flag_publish", "spsc_ring", "append_then_flag"}) {
    const json& v = verdict(results_, c, "fixed");
    EXPECT_EQ(v.at("verdict"), "clean") << c << ": " << v.at("reason");
    ASSERT_EQ(v.at("trials").size(), static_cast<std::size_t>(kRepeat)) << c;
    for (const json& t : v.at("trials")) {
      EXPECT_TRUE(t.at("findings").empty()) << c << " trial " << t.at("index");
      const json& outcome = t.at("outcome");
      const json& model = outcome.at("model");
      EXPECT_FALSE(model.at("failed").get<bool>()) << c;
      EXPECT_EQ(model.at("inconclusive_executions"), 0) << c << ": " << model.at("summary");
      // No .small: the host derived small inputs and says so.
      EXPECT_EQ(outcome.at("inputs"), "derived") << c;
      EXPECT_LE(outcome.at("params").at("threads").get<int>(), 3) << c;
      EXPECT_LE(outcome.at("params").at("iterations").get<int>(), 4) << c;
      EXPECT_NE(model.at("summary").get<std::string>().find("inputs derived from the defaults"),
                std::string::npos)
          << model.at("summary");
    }
  }
}

TEST_F(ModelSpin, BrokenTwinsAreTheirRealKindNotLivelock) {
  const std::pair<const char*, const char*> expected[] = {
      {"flag_publish", "data-race"}, {"spsc_ring", "data-race"}, {"append_then_flag", "deadlock"}};
  for (const auto& [c, kind] : expected) {
    const json& v = verdict(results_, c, "broken");
    EXPECT_EQ(v.at("verdict"), "detected") << c << ": " << v.at("reason");
    for (const json& t : v.at("trials")) {
      for (const json& f : t.at("findings")) {
        EXPECT_EQ(f.at("kind"), kind) << c << " trial " << t.at("index") << ": " << f.at("summary");
      }
    }
  }
}

// One trace per (variant, detector): the deciding trial keeps it, the others keep their
// schedule and replay command and point at it.
TEST_F(ModelSpin, TracesAreStoredOncePerPair) {
  for (const char* c : {"flag_publish", "spsc_ring", "append_then_flag"}) {
    const json& v = verdict(results_, c, "broken");
    const int deciding = v.at("deciding_trial").get<int>();
    ASSERT_GE(deciding, 0) << c;
    ASSERT_EQ(v.at("trials").size(), static_cast<std::size_t>(kRepeat)) << c;
    int with_trace = 0;
    for (const json& t : v.at("trials")) {
      const json& model = t.at("outcome").at("model");
      ASSERT_TRUE(model.at("failed").get<bool>()) << c;
      EXPECT_FALSE(model.at("schedule").get<std::string>().empty());
      EXPECT_FALSE(model.at("replay_command").get<std::string>().empty());
      if (t.at("index").get<int>() == deciding) {
        ++with_trace;
        EXPECT_FALSE(model.at("trace").empty()) << c;
        EXPECT_FALSE(model.contains("trace_omitted")) << c;
      } else {
        EXPECT_FALSE(model.contains("trace")) << c << " trial " << t.at("index");
        EXPECT_EQ(model.at("trace_omitted").at("in_trial"), deciding) << c;
        EXPECT_GT(model.at("trace_omitted").at("steps").get<int>(), 0) << c;
      }
    }
    EXPECT_EQ(with_trace, 1) << c;
  }
}

// The replay command the model printed names casebook by its path and the fixture catalog's
// folder: pasted into a shell as it is, it reproduces the failure.
TEST_F(ModelSpin, ThePrintedReplayCommandRunsAsPasted) {
  const json& v = verdict(results_, "spsc_ring", "broken");
  const json& trial = v.at("trials").at(v.at("deciding_trial").get<std::size_t>());
  const std::string command = trial.at("outcome").at("model").at("replay_command");
  const std::string casebook = fs::canonical(CASEBOOK_BIN).string();
  EXPECT_EQ(command.rfind(casebook + " replay spsc_ring broken --schedule ", 0), 0u) << command;
  EXPECT_NE(command.find("--bin-dir " + fs::canonical(MODEL_SPIN_BIN_DIR).string()),
            std::string::npos)
      << command;
  const ProcessResult p = e2e::run_shell("cd / && " + command);
  EXPECT_EQ(p.exit_code, 0) << command << "\n" << p.stdout_text << p.stderr_text;
  EXPECT_NE(p.stdout_text.find("reproduced data-race"), std::string::npos) << p.stdout_text;
}

}  // namespace
}  // namespace casebook
