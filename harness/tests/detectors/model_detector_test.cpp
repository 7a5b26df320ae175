// Unit tests of how the model detector reads a finished exploration: a data race becomes a
// `data-race` finding with its two accesses as two stacks (as TSan reports a race) ahead of
// the interleaving; a blocked execution gets a stack per blocked thread; other failures keep
// the interleaving alone. The e2e tests run the real
// casebook-cases-model on catalog cases.
#include <gtest/gtest.h>

#include "detectors/detector.hpp"
#include "detectors/detector_impls.hpp"
#include "finished_process.hpp"
#include "grade/line_truth.hpp"

namespace casebook {
namespace {

using nlohmann::json;

using test::exited_ok;

DetectorReading read_model(const json& model) {
  VariantDecl v;
  v.case_name = "demo";
  v.variant = "broken";
  const Detector* d = find_detector("model");
  EXPECT_NE(d, nullptr);
  protocol::Outcome outcome;
  outcome.case_name = "demo";
  outcome.model = results::exploration_from_json(model, "outcome.model");
  return d->read(TrialEvidence{v, exited_ok(), "", outcome, "/src"});
}

json step(int index, int thread, const std::string& operation, int line, bool racy) {
  return {{"step", index},          {"thread", thread},
          {"operation", operation}, {"file", "cases/demo/broken.cpp"},
          {"line", line},           {"racy", racy},
          {"preemption", false}};
}

json exploration(const json& failure) {
  return {{"failed", true},
          {"failure", failure},
          {"schedule", "0x3.1x2.2x2"},
          {"preemptions", 0},
          {"replay_command", "casebook replay demo broken --schedule 0x3.1x2.2x2"},
          {"summary", "dfs: 1 execution"},
          {"trace",
           {step(0, 0, "start", 0, false), step(1, 0, "spawn thread 1", 30, false),
            step(2, 0, "spawn thread 2", 30, false), step(3, 1, "start", 0, false),
            step(4, 1, "write shared#1", 21, true), step(5, 2, "start", 0, false),
            step(6, 2, "read shared#1", 20, true)}}};
}

TEST(ModelDetector, DataRaceHasBothAccessesAsStacksThenTheInterleaving) {
  const json failure = {
      {"kind", "data-race"},
      {"message",
       "data race on shared#1: thread 2 read shared#1 at cases/demo/broken.cpp:20 and "
       "thread 1 write shared#1 at cases/demo/broken.cpp:21 are not ordered by "
       "happens-before"},
      {"details", {"thread 2 read shared#1 at ...", "thread 1 write shared#1 at ..."}},
      {"accesses",
       {step(6, 2, "read shared#1", 20, true), step(4, 1, "write shared#1", 21, true)}}};
  DetectorReading r = read_model(exploration(failure));
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.tool, "model");
  EXPECT_EQ(f.kind, "data-race");
  EXPECT_EQ(f.summary, failure.at("message"));
  ASSERT_EQ(f.stacks.size(), 3u);
  EXPECT_EQ(f.stacks[0].title, "read shared#1 by thread 2 (step 6)");
  EXPECT_EQ(f.stacks[0].thread, "thread 2");
  ASSERT_EQ(f.stacks[0].frames.size(), 1u);
  EXPECT_EQ(f.stacks[0].frames[0].file, "cases/demo/broken.cpp");
  EXPECT_EQ(f.stacks[0].frames[0].line, 20);
  EXPECT_EQ(f.stacks[1].title, "Previous write shared#1 by thread 1 (step 4)");
  EXPECT_EQ(f.stacks[1].thread, "thread 1");
  ASSERT_EQ(f.stacks[1].frames.size(), 1u);
  EXPECT_EQ(f.stacks[1].frames[0].line, 21);
  EXPECT_EQ(f.stacks[2].title.rfind("minimal failing interleaving, schedule 0x3.1x2.2x2", 0), 0u)
      << f.stacks[2].title;
  ASSERT_EQ(f.stacks[2].frames.size(), 7u);
  EXPECT_EQ(f.stacks[2].frames[6].function, "thread 2: read shared#1 (racy)");
  EXPECT_NE(f.raw.find("replay: casebook replay demo broken"), std::string::npos) << f.raw;
}

TEST(ModelDetector, OtherFailuresKeepTheInterleavingAlone) {
  const json failure = {{"kind", "deadlock"},
                        {"message", "every live thread is blocked"},
                        {"details", {"thread 1 blocked in lock mutex#2"}}};
  DetectorReading r = read_model(exploration(failure));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "deadlock");
  ASSERT_EQ(r.findings[0].stacks.size(), 1u);
  EXPECT_EQ(r.findings[0].stacks[0].frames.size(), 7u);
}

// A deadlock's blocked threads, as the scheduler's details name them ("<thread> blocked in
// <operation> at <file>:<line>, holding ..."), become one stack each ahead of the
// interleaving, and the line-level truth finds the marked line there: the interleaving's
// frames are the steps that ran, not the calls the threads are stuck in.
TEST(ModelDetector, DeadlockHasABlockedStackPerThreadThatLineTruthSees) {
  const json failure = {
      {"kind", "deadlock"},
      {"message",
       "every live thread is blocked: thread 1 waits for mutex#2 held by thread 2 "
       "waits for mutex#1 held by thread 1"},
      {"details",
       {"thread 1 blocked in lock mutex#2 at cases/demo/broken.cpp:25, holding mutex#1",
        "thread 2 blocked in lock mutex#1 at cases/demo/broken.cpp:31, holding mutex#2",
        "wait-for cycle: thread 1 waits for mutex#2 held by thread 2 waits for mutex#1 held by "
        "thread 1"}}};
  DetectorReading r = read_model(exploration(failure));
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  ASSERT_EQ(f.stacks.size(), 3u);
  EXPECT_EQ(f.stacks[0].title, "thread 1 blocked in lock mutex#2");
  EXPECT_EQ(f.stacks[0].thread, "thread 1");
  ASSERT_EQ(f.stacks[0].frames.size(), 1u);
  EXPECT_EQ(f.stacks[0].frames[0].file, "cases/demo/broken.cpp");
  EXPECT_EQ(f.stacks[0].frames[0].line, 25);
  EXPECT_EQ(f.stacks[1].title, "thread 2 blocked in lock mutex#1");
  EXPECT_EQ(f.stacks[1].frames.at(0).line, 31);
  EXPECT_EQ(f.stacks[2].frames.size(), 7u);  // the interleaving, last

  TrialRecord t;
  t.findings = r.findings;
  const LineTruth truth = line_truth({t}, LineRule{"cases/demo/broken.cpp", {31}, ""});
  EXPECT_TRUE(truth.hit);
  EXPECT_EQ(truth.at, "cases/demo/broken.cpp:31");
  ASSERT_TRUE(truth.frame.has_value());
  EXPECT_EQ(truth.frame->stack, 1);
  EXPECT_EQ(truth.frame->stack_title, "thread 2 blocked in lock mutex#1");
}

TEST(ModelDetector, DetailsThatNameNoBlockedCallAreNoStack) {
  EXPECT_FALSE(blocked_thread_stack("wait-for cycle: thread 1 waits for join").has_value());
  EXPECT_FALSE(blocked_thread_stack("thread 1 blocked in lock mutex#2").has_value());
  EXPECT_FALSE(blocked_thread_stack("thread 1 blocked in lock m at broken.cpp:x").has_value());
  const auto main_thread =
      blocked_thread_stack("thread 0 (main) blocked in join thread 1 at /src/b.cpp:9");
  ASSERT_TRUE(main_thread.has_value());
  EXPECT_EQ(main_thread->thread, "thread 0 (main)");
  EXPECT_EQ(main_thread->frames.at(0).function, "thread 0 (main): join thread 1");
  EXPECT_EQ(main_thread->frames.at(0).file, "/src/b.cpp");
  EXPECT_EQ(main_thread->frames.at(0).line, 9);
}

TEST(ModelDetector, ACleanExplorationHasNoFinding) {
  DetectorReading r = read_model(json{{"failed", false}, {"summary", "dfs: exhaustive"}});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_TRUE(r.anomaly.empty());
}

}  // namespace
}  // namespace casebook
