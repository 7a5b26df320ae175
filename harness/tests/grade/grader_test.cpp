// Unit tests of the grading rules (grade/grader.hpp) and the trial budget.
#include "grade/grader.hpp"

#include <gtest/gtest.h>

namespace casebook {
namespace {

TrialRecord trial(int index, std::vector<std::string> kinds = {}) {
  TrialRecord t;
  t.index = index;
  t.seed = 100 + static_cast<std::uint64_t>(index);
  for (auto& k : kinds) {
    Finding f;
    f.kind = k;
    f.summary = k + " summary";
    t.findings.push_back(f);
  }
  return t;
}

Expectation finds(std::vector<std::string> kinds) {
  return {"tsan", Want::finds, std::move(kinds), "", true};
}
Expectation clean() {
  return {"tsan", Want::clean, {}, "", false};
}
Expectation skip() {
  return {"asan", Want::skip, {}, "the run deadlocks", true};
}
Expectation known_false_positive(std::vector<std::string> kinds) {
  return {"helgrind", Want::known_false_positive, std::move(kinds),
          "the tool does not model std::atomic", true};
}

TEST(Grader, KnownFalsePositivePassesAsAFalsePositiveWithItsReason) {
  Grade g = grade(known_false_positive({"data-race"}), {trial(0), trial(1, {"data-race"})});
  EXPECT_EQ(g.verdict, Verdict::false_positive);
  EXPECT_TRUE(g.passed);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("known false positive"), std::string::npos);
  EXPECT_NE(g.reason.find("std::atomic"), std::string::npos);
}

TEST(Grader, KnownFalsePositiveThatStaysSilentIsClean) {
  Grade g = grade(known_false_positive({"data-race"}), {trial(0)});
  EXPECT_EQ(g.verdict, Verdict::clean);
  EXPECT_TRUE(g.passed);
}

TEST(Grader, KnownFalsePositiveStillFailsOnAnyOtherKind) {
  Grade g = grade(known_false_positive({"data-race"}),
                  {trial(0, {"data-race"}), trial(1, {"data-race", "lock-order-inversion"})});
  EXPECT_EQ(g.verdict, Verdict::false_positive);
  EXPECT_FALSE(g.passed);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("lock-order-inversion"), std::string::npos);
}

TEST(Grader, KnownFalsePositiveGetsNoRetries) {
  EXPECT_FALSE(wants_another_trial(known_false_positive({"data-race"}), {trial(0)}, {1, 5}));
}

TEST(Grader, DetectedWhenAnyTrialReportsAnyExpectedKind) {
  Grade g = grade(finds({"data-race", "heap-use-after-free"}),
                  {trial(0), trial(1, {"heap-use-after-free"})});
  EXPECT_EQ(g.verdict, Verdict::detected);
  EXPECT_TRUE(g.passed);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("seed 101"), std::string::npos);
}

TEST(Grader, MissedNamesWhatWasSeenInstead) {
  Grade g = grade(finds({"data-race"}), {trial(0, {"thread-leak"}), trial(1)});
  EXPECT_EQ(g.verdict, Verdict::missed);
  EXPECT_FALSE(g.passed);
  EXPECT_NE(g.reason.find("thread-leak"), std::string::npos);
  EXPECT_NE(g.reason.find("2 trials"), std::string::npos);
}

TEST(Grader, MissedMentionsAnomalies) {
  TrialRecord t = trial(0);
  t.anomaly = "died by signal 11 (SIGSEGV) with no sanitizer report";
  Grade g = grade(finds({"data-race"}), {t});
  EXPECT_EQ(g.verdict, Verdict::missed);
  EXPECT_NE(g.reason.find("SIGSEGV"), std::string::npos);
}

TEST(Grader, InfraErrorIsAnErrorNotAMiss) {
  TrialRecord t = trial(0);
  t.infra_error = "cannot start the case binary";
  Grade g = grade(finds({"data-race"}), {t});
  EXPECT_EQ(g.verdict, Verdict::error);
  EXPECT_TRUE(g.infrastructure);
  EXPECT_FALSE(g.passed);
}

TEST(Grader, CleanNeedsEveryTrialSilent) {
  EXPECT_EQ(grade(clean(), {trial(0), trial(1)}).verdict, Verdict::clean);
  Grade g = grade(clean(), {trial(0), trial(1, {"data-race"}), trial(2)});
  EXPECT_EQ(g.verdict, Verdict::false_positive);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("data-race summary"), std::string::npos);
}

TEST(Grader, CleanWithAnomalyIsAnError) {
  TrialRecord t = trial(0);
  t.anomaly = "timed out with no sanitizer report";
  Grade g = grade(clean(), {t});
  EXPECT_EQ(g.verdict, Verdict::error);
  EXPECT_FALSE(g.passed);
  EXPECT_FALSE(g.infrastructure);
}

TEST(Grader, RunnerLimitIsAnErrorNotAMissNamingTheLimit) {
  TrialRecord t = trial(0);
  t.runner_limit = "memory limit of 256 MiB exceeded: its processes held 300 MiB";
  for (const Expectation& e : {finds({"data-race"}), clean()}) {
    Grade g = grade(e, {t});
    EXPECT_EQ(g.verdict, Verdict::error);
    EXPECT_FALSE(g.passed);
    EXPECT_FALSE(g.infrastructure);  // the variant did it, not the machine
    EXPECT_EQ(g.deciding_trial, 0);
    EXPECT_NE(g.reason.find("memory limit of 256 MiB exceeded"), std::string::npos) << g.reason;
    EXPECT_NE(g.reason.find("seed 100"), std::string::npos) << g.reason;
  }
}

TEST(Grader, DetectionInAnotherTrialOutweighsARunnerLimit) {
  TrialRecord killed = trial(0);
  killed.runner_limit = "memory limit of 256 MiB exceeded";
  Grade g = grade(finds({"data-race"}), {killed, trial(1, {"data-race"})});
  EXPECT_EQ(g.verdict, Verdict::detected);
}

TEST(Grader, SkipCarriesItsReason) {
  Grade g = grade(skip(), {});
  EXPECT_EQ(g.verdict, Verdict::skipped);
  EXPECT_EQ(g.reason, "the run deadlocks");
}

TEST(Grader, NoTrialIsAnError) {
  EXPECT_EQ(grade(clean(), {}).verdict, Verdict::error);
}

TEST(Budget, SkipRunsNothing) {
  EXPECT_FALSE(wants_another_trial(skip(), {}, {1, 5}));
}

TEST(Budget, CleanRunsExactlyRepeatTrials) {
  std::vector<TrialRecord> trials;
  int n = 0;
  while (wants_another_trial(clean(), trials, {3, 5})) trials.push_back(trial(n++));
  EXPECT_EQ(n, 3);
}

TEST(Budget, BrokenStopsAtFirstDetection) {
  std::vector<TrialRecord> trials = {trial(0), trial(1, {"data-race"})};
  EXPECT_FALSE(wants_another_trial(finds({"data-race"}), trials, {1, 5}));
}

TEST(Budget, BrokenRetriesUpToTheDeflakeBudget) {
  std::vector<TrialRecord> trials;
  int n = 0;
  while (wants_another_trial(finds({"data-race"}), trials, {1, 4})) trials.push_back(trial(n++));
  EXPECT_EQ(n, 4);
}

TEST(Budget, RepeatBeyondDeflakeStillRunsRepeatTrials) {
  std::vector<TrialRecord> trials = {trial(0, {"data-race"})};
  EXPECT_TRUE(wants_another_trial(finds({"data-race"}), trials, {3, 1}));
}

TEST(Budget, InfraErrorStopsRetrying) {
  TrialRecord t = trial(0);
  t.infra_error = "sanitizer died";
  EXPECT_FALSE(wants_another_trial(finds({"data-race"}), {t}, {1, 5}));
}

TEST(Budget, RunnerLimitStopsRetrying) {
  TrialRecord t = trial(0);
  t.runner_limit = "memory limit of 256 MiB exceeded";
  EXPECT_FALSE(wants_another_trial(finds({"data-race"}), {t}, {1, 5}));
  EXPECT_FALSE(wants_another_trial(clean(), {t}, {3, 5}));
}

TEST(VerdictNames, AreTheDocumentedStrings) {
  EXPECT_EQ(verdict_name(Verdict::false_positive), "false-positive");
  EXPECT_EQ(verdict_name(Verdict::detected), "detected");
  EXPECT_EQ(verdict_name(Verdict::skipped), "skipped");
}

}  // namespace
}  // namespace casebook
