// How the runner treats the model detector's trials (issue 18): a variant without .small gets
// no inputs on the command line (the model case host derives small ones, and `casebook
// replay` derives the same), the runner tells the host its own path for a pasteable replay
// command, and results.json keeps a model trace once per (variant, detector).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "demo_variant.hpp"
#include "detectors/detector.hpp"
#include "record/results_json.hpp"
#include "suite/suite.hpp"
#include "suite/trial.hpp"

namespace casebook {
namespace {

using nlohmann::json;

bool has(const std::vector<std::string>& argv, const std::string& arg) {
  return std::find(argv.begin(), argv.end(), arg) != argv.end();
}

TEST(ModelTrials, WithoutSmallTheHostChoosesTheInputs) {
  VariantDecl v = test::demo_variant();
  v.defaults.threads = 8;
  v.defaults.iterations = 100000;
  v.defaults.extra["capacity"] = 4;
  TrialPlan plan;
  plan.variant = &v;
  plan.detector = find_detector("model");
  plan.seed = 7;
  plan.case_binary = "/b/casebook-cases-model";
  const std::vector<std::string> derived = trial_argv(plan, "/w/outcome.json", "/w/log");
  const std::vector<std::string> expected = {
      "/b/casebook-cases-model", "explore", "demo", "broken", "--seed", "7", "--outcome",
      "/w/outcome.json"};
  EXPECT_EQ(derived, expected);
  // With .small declared, the trial passes it, as before.
  Params small;
  small.threads = 2;
  small.iterations = 3;
  v.small = small;
  const std::vector<std::string> declared = trial_argv(plan, "/w/outcome.json", "/w/log");
  EXPECT_TRUE(has(declared, "--threads"));
  EXPECT_TRUE(has(declared, "2"));
  EXPECT_TRUE(has(declared, "--iterations"));
  EXPECT_TRUE(has(declared, "3"));
}

TEST(ModelTrials, TheHostIsToldTheRunnersPathForItsReplayCommand) {
  const auto env = find_detector("model")->environment(ChildSettings{"/w/log"});
  const auto it = std::find_if(env.begin(), env.end(),
                               [](const auto& kv) { return kv.first == "CASEBOOK_RUNNER_BINARY"; });
  ASSERT_NE(it, env.end());
  EXPECT_EQ(it->second, std::filesystem::read_symlink("/proc/self/exe").string());
}

// A model trial whose exploration failed with a `steps`-long interleaving, as the detector
// reads it: the trace in the outcome, and the interleaving as the finding's last stack.
TrialRecord model_trial(int index, std::size_t steps) {
  TrialRecord t;
  t.index = index;
  t.seed = static_cast<std::uint64_t>(index + 1);
  json trace = json::array();
  Stack interleaving;
  interleaving.title = "minimal failing interleaving, schedule 0x2.1 (1 preemption(s))";
  for (std::size_t i = 0; i < steps; ++i) {
    trace.push_back({{"step", i}, {"thread", i % 2}, {"operation", "read shared#1"}});
    Frame f;
    f.index = static_cast<int>(i);
    f.function = "thread " + std::to_string(i % 2) + ": read shared#1";
    interleaving.frames.push_back(f);
  }
  Finding f;
  f.tool = "model";
  f.kind = "deadlock";
  f.stacks.push_back(interleaving);
  t.findings.push_back(f);
  results::Outcome o;
  o.case_name = "demo";
  o.variant = "broken";
  o.invariant = "no failure under the model scheduler";
  o.holds = false;
  o.observed = "deadlock";
  o.expected = "no failure";
  o.model = results::exploration_from_json(
      json{{"failed", true},
           {"schedule", "0x2.1"},
           {"replay_command", "casebook replay demo broken --schedule 0x2.1"},
           {"trace", trace}},
      "outcome.model");
  t.outcome = o;
  return t;
}

TEST(ModelTrials, ResultsKeepOneTracePerPair) {
  VerdictRecord r;
  r.variant = test::demo_variant();
  r.detector = "model";
  r.grade.verdict = Verdict::detected;
  r.grade.deciding_trial = 1;
  for (int i = 0; i < 3; ++i) r.trials.push_back(model_trial(i, 500));
  const json v = verdict_to_json(r);
  const json& trials = v.at("trials");
  ASSERT_EQ(trials.size(), 3u);
  EXPECT_EQ(trials[1].at("outcome").at("model").at("trace").size(), 500u);
  EXPECT_EQ(trials[1].at("findings")[0].at("stacks")[0].at("frames").size(), 500u);
  for (int i : {0, 2}) {
    const json& model = trials[i].at("outcome").at("model");
    EXPECT_FALSE(model.contains("trace")) << i;
    EXPECT_EQ(model.at("trace_omitted"), (json{{"steps", 500}, {"in_trial", 1}})) << i;
    EXPECT_EQ(model.at("schedule"), "0x2.1");
    EXPECT_FALSE(model.at("replay_command").get<std::string>().empty());
    // The finding keeps the head of its interleaving (what SARIF shows and fingerprints).
    const json& stack = trials[i].at("findings")[0].at("stacks")[0];
    EXPECT_EQ(stack.at("frames").size(), 40u) << i;
    EXPECT_NE(stack.at("title").get<std::string>().find("first 40 of 500 steps"), std::string::npos)
        << stack.at("title");
  }
  // Without a deciding trial (a missed pair, say), the first trial with a trace keeps it.
  r.grade.deciding_trial = -1;
  const json missed = verdict_to_json(r);
  EXPECT_TRUE(missed.at("trials")[0].at("outcome").at("model").contains("trace"));
  EXPECT_EQ(missed.at("trials")[2].at("outcome").at("model").at("trace_omitted").at("in_trial"), 0);
}

}  // namespace
}  // namespace casebook
