// Unit tests of the grading rules (grade/grader.hpp) and the trial budget.
#include "grade/grader.hpp"

#include <gtest/gtest.h>

#include <cmath>

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
Expectation false_positive(std::vector<std::string> kinds) {
  return {"helgrind", Want::false_positive, std::move(kinds), "the tool does not model std::atomic",
          true};
}

Expectation may_find(std::vector<std::string> kinds) {
  return {"helgrind", Want::may_find, std::move(kinds),
          "Helgrind serialises the threads, so the race shows in some schedules only", true};
}

TEST(Grader, MayFindSeenIsDetectedWithItsRate) {
  Grade g = grade(may_find({"data-race"}),
                  {trial(0), trial(1, {"data-race"}), trial(2), trial(3, {"data-race"})});
  EXPECT_EQ(g.verdict, Verdict::detected);
  EXPECT_TRUE(g.passed);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("2 of 4 trials"), std::string::npos) << g.reason;
  EXPECT_NE(g.reason.find("seed 101"), std::string::npos) << g.reason;
  EXPECT_NE(g.reason.find("serialises"), std::string::npos) << g.reason;
}

TEST(Grader, MayFindUnseenIsACleanPassNotAMiss) {
  Grade g = grade(may_find({"data-race"}), {trial(0), trial(1)});
  EXPECT_EQ(g.verdict, Verdict::clean);
  EXPECT_TRUE(g.passed);
  EXPECT_NE(g.reason.find("none of 2 trials"), std::string::npos) << g.reason;
}

TEST(Grader, MayFindFailsOnAKindItDoesNotDeclare) {
  Grade g =
      grade(may_find({"data-race"}), {trial(0, {"data-race"}), trial(1, {"lock-order-inversion"})});
  EXPECT_EQ(g.verdict, Verdict::false_positive);
  EXPECT_FALSE(g.passed);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("lock-order-inversion"), std::string::npos) << g.reason;
}

TEST(Grader, MayFindToleratesTheFalsePositiveDeclaredBesideIt) {
  // A chance race next to the tool's constant false positive (merged by the catalog).
  Expectation e = may_find({"data-race"});
  e.false_positive_kinds = {"unlocked-signal"};
  e.false_positive_reason = "notify after unlock is correct C++";
  Grade unseen = grade(e, {trial(0, {"unlocked-signal"}), trial(1, {"unlocked-signal"})});
  EXPECT_EQ(unseen.verdict, Verdict::clean);
  EXPECT_TRUE(unseen.passed);
  EXPECT_NE(unseen.reason.find("also the known false positive unlocked-signal (notify after"),
            std::string::npos)
      << unseen.reason;
  Grade seen =
      grade(e, {trial(0, {"unlocked-signal"}), trial(1, {"data-race", "unlocked-signal"})});
  EXPECT_EQ(seen.verdict, Verdict::detected);
  EXPECT_EQ(seen.deciding_trial, 1);
  EXPECT_NE(seen.reason.find("1 of 2 trials"), std::string::npos) << seen.reason;
  // The false positive alone does not count as a sighting, and a third kind still fails.
  Grade other = grade(e, {trial(0, {"unlocked-signal", "lock-order-inversion"})});
  EXPECT_EQ(other.verdict, Verdict::false_positive);
  EXPECT_FALSE(other.passed);
  // Without the tool's false positive in any trial, the reason does not mention it.
  EXPECT_EQ(grade(e, {trial(0)}).reason.find("also the known"), std::string::npos);
}

TEST(Grader, MayFindGetsNoRetriesPastTheRepeatCount) {
  EXPECT_FALSE(wants_another_trial(may_find({"data-race"}), {trial(0)}, {1, 5}));
  EXPECT_TRUE(wants_another_trial(may_find({"data-race"}), {trial(0)}, {3, 5}));
}

TEST(Grader, MayFindWithAnInfrastructureErrorOrOnlyARunnerLimitIsAnError) {
  TrialRecord broken_machine = trial(0);
  broken_machine.infra_error = "cannot start the case binary";
  Grade infra = grade(may_find({"data-race"}), {broken_machine});
  EXPECT_EQ(infra.verdict, Verdict::error);
  EXPECT_TRUE(infra.infrastructure);
  TrialRecord killed = trial(0);
  killed.runner_limit = "memory limit of 256 MiB exceeded";
  EXPECT_EQ(grade(may_find({"data-race"}), {killed}).verdict, Verdict::error);
  EXPECT_EQ(grade(may_find({"data-race"}), {killed, trial(1, {"data-race"})}).verdict,
            Verdict::detected);
}

TEST(Grader, KnownFalsePositivePassesAsAFalsePositiveWithItsReason) {
  Grade g = grade(false_positive({"data-race"}), {trial(0), trial(1, {"data-race"})});
  EXPECT_EQ(g.verdict, Verdict::false_positive);
  EXPECT_TRUE(g.passed);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("known false positive"), std::string::npos);
  EXPECT_NE(g.reason.find("std::atomic"), std::string::npos);
}

TEST(Grader, KnownFalsePositiveThatStaysSilentIsClean) {
  Grade g = grade(false_positive({"data-race"}), {trial(0)});
  EXPECT_EQ(g.verdict, Verdict::clean);
  EXPECT_TRUE(g.passed);
}

TEST(Grader, KnownFalsePositiveStillFailsOnAnyOtherKind) {
  Grade g = grade(false_positive({"data-race"}),
                  {trial(0, {"data-race"}), trial(1, {"data-race", "lock-order-inversion"})});
  EXPECT_EQ(g.verdict, Verdict::false_positive);
  EXPECT_FALSE(g.passed);
  EXPECT_EQ(g.deciding_trial, 1);
  EXPECT_NE(g.reason.find("lock-order-inversion"), std::string::npos);
}

TEST(Grader, KnownFalsePositiveGetsNoRetries) {
  EXPECT_FALSE(wants_another_trial(false_positive({"data-race"}), {trial(0)}, {1, 5}));
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

// No trial ran at all: nothing is known about the variant, so it is the machine's error (exit
// 3), for a broken variant as for a fixed one.
TEST(Grader, NoTrialIsAnInfrastructureError) {
  for (const Expectation& e : {clean(), finds({"data-race"}), may_find({"data-race"})}) {
    const Grade g = grade(e, {});
    EXPECT_EQ(g.verdict, Verdict::error);
    EXPECT_FALSE(g.passed);
    EXPECT_TRUE(g.infrastructure);
    EXPECT_EQ(g.reason, "no trial ran");
  }
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
  // No time budget past the fixed one: exactly `deflake` trials.
  while (wants_another_trial(finds({"data-race"}), trials, {1, 4, 50, 0})) {
    trials.push_back(trial(n++));
  }
  EXPECT_EQ(n, 4);
}

// A trial of `seconds` that showed nothing.
TrialRecord quiet_trial(int index, double seconds) {
  TrialRecord t = trial(index);
  t.duration_seconds = seconds;
  return t;
}

TEST(Budget, AnUnseenFindingGetsMoreTrialsWhileItsTimeBudgetLasts) {
  std::vector<TrialRecord> trials;
  int n = 0;
  // Trials of 1 s, 5 at least, then on until 10 s are spent: 10 trials.
  while (wants_another_trial(finds({"data-race"}), trials, {1, 5, 50, 10})) {
    trials.push_back(quiet_trial(n++, 1.0));
  }
  EXPECT_EQ(n, 10);
}

TEST(Budget, TheAdaptiveTrialsStopAtDeflakeMax) {
  std::vector<TrialRecord> trials;
  int n = 0;
  while (wants_another_trial(finds({"data-race"}), trials, {1, 5, 44, 1000})) {
    trials.push_back(quiet_trial(n++, 0.1));
  }
  EXPECT_EQ(n, 44);
}

TEST(Budget, TheDefaultBudgetCatchesAOneInTenSymptomInAtLeast99PercentOfRuns) {
  // With quick trials the default budget runs enough unperturbed trials that a symptom
  // showing in one of ten is missed with probability 0.9^n <= 1%, even if schedule noise
  // hid it in every noisy retry.
  std::vector<TrialRecord> trials;
  int unperturbed = 0;
  while (wants_another_trial(finds({"data-race"}), trials, TrialBudget{})) {
    const int index = static_cast<int>(trials.size());
    if (!retry_with_noise(index, TrialBudget{})) ++unperturbed;
    trials.push_back(quiet_trial(index, 1.0));
  }
  EXPECT_LE(std::pow(0.9, unperturbed), 0.01) << unperturbed << " unperturbed trials";
}

TEST(Budget, EverySecondAdaptiveRetryRunsWithNoise) {
  const TrialBudget budget{1, 5, 100, 120};
  std::vector<int> noisy;
  for (int i = 0; i < 12; ++i) {
    if (retry_with_noise(i, budget)) noisy.push_back(i);
  }
  // Trials 0-4 are the fixed budget, 5 the first retry (unperturbed), then every second one.
  EXPECT_EQ(noisy, (std::vector<int>{6, 8, 10}));
  // With --repeat above --deflake the fixed budget is the repeat count: no rate measured
  // under --repeat mixes in perturbed trials.
  EXPECT_FALSE(retry_with_noise(19, {20, 5, 100, 120}));
  EXPECT_TRUE(retry_with_noise(21, {20, 5, 100, 120}));
}

TEST(Budget, ADetectedOrCleanPairGetsNoAdaptiveTrials) {
  std::vector<TrialRecord> trials = {quiet_trial(0, 0.1), trial(1, {"data-race"})};
  EXPECT_FALSE(wants_another_trial(finds({"data-race"}), trials, {1, 5, 50, 1000}));
  std::vector<TrialRecord> clean_trials;
  int n = 0;
  while (wants_another_trial(clean(), clean_trials, {1, 5, 50, 1000})) {
    clean_trials.push_back(quiet_trial(n++, 0.1));
  }
  EXPECT_EQ(n, 1);
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
