// The strategies and schedules of the controlled scheduler: exhaustive counts computed by
// hand, determinism per seed, PCT's stated bounds, schedule strings, replay round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "casebook/model/explore.hpp"
#include "casebook/sync.hpp"
#include "model_test_support.hpp"

namespace {

using cb::model::exploration_result;
using cb::model::explore;
using cb::model::options;

// Main: spawn A; two atomic stores; join A. A: one atomic store. Before the join can run, main's
// 2 stores interleave freely with A's 3 steps (start, store, exit): C(5,2) = 10 schedules.
// Without preemptions there is 1 (main runs until the join blocks); with one, main can be
// preempted before either of its stores and A then runs to its end: 1 + 2 = 3.
void two_by_one() {
  cb::atomic<int> x{0}, y{0};
  cb::thread a([&] { y.store(1); });
  x.store(1);
  x.store(2);
  a.join();
}

std::size_t dfs_count(int bound, bool* exhaustive) {
  options o;
  o.strategy = "dfs";
  o.preemption_bound = bound;
  exploration_result r = explore(two_by_one, o);
  EXPECT_FALSE(r.failed);
  *exhaustive = r.exhaustive;
  return r.executions;
}

TEST(Dfs, CountsMatchTheHandComputedNumberOfSchedules) {
  bool exhaustive = false;
  EXPECT_EQ(dfs_count(0, &exhaustive), 1u);
  EXPECT_TRUE(exhaustive);
  EXPECT_EQ(dfs_count(1, &exhaustive), 3u);
  EXPECT_TRUE(exhaustive);
  EXPECT_EQ(dfs_count(100, &exhaustive), 10u);
  EXPECT_TRUE(exhaustive);
}

TEST(Dfs, SaysWhenTheExecutionLimitCutTheSearchShort) {
  options o;
  o.strategy = "dfs";
  o.preemption_bound = 100;
  o.max_executions = 4;
  exploration_result r = explore(two_by_one, o);
  EXPECT_EQ(r.executions, 4u);
  EXPECT_FALSE(r.exhaustive);
  EXPECT_NE(r.summary.find("exhaustive within preemption bound 100: no"), std::string::npos)
      << r.summary;
}

using cb::model::test::lost_update;

TEST(Random, SameSeedGivesTheSameScheduleAndAnotherSeedMayNot) {
  options o;
  o.strategy = "random";
  o.seed = 7;
  o.shrink = false;
  exploration_result first = explore(lost_update, o);
  exploration_result second = explore(lost_update, o);
  ASSERT_TRUE(first.failed);
  EXPECT_EQ(first.schedule, second.schedule);
  EXPECT_EQ(first.executions, second.executions);
  // Different seeds explore differently: over a few seeds, not every first failure is alike.
  std::set<std::string> seen;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    o.seed = seed;
    seen.insert(explore(lost_update, o).original_schedule);
  }
  EXPECT_GT(seen.size(), 1u);
}

TEST(Pct, StatesDepthThreadsStepsAndTheBounds) {
  options o;
  o.strategy = "pct";
  o.pct_depth = 2;
  o.runs = 50;
  exploration_result r = explore(two_by_one, o);
  EXPECT_FALSE(r.failed);
  EXPECT_EQ(r.executions, 50u);
  EXPECT_EQ(r.pct_depth, 2);
  EXPECT_EQ(r.pct_threads, 2);
  EXPECT_GT(r.pct_steps, 5u);
  const double p = 1.0 / (2.0 * std::pow(static_cast<double>(r.pct_steps), 1));
  EXPECT_DOUBLE_EQ(r.pct_per_run_bound, p);
  EXPECT_NEAR(r.pct_miss_bound, std::pow(1 - p, 50), 1e-12);
  EXPECT_NE(r.summary.find("d=2"), std::string::npos) << r.summary;
}

// The lost update needs one preemption between a thread's read and its write: a bug of depth 2.
// Race detection is off, so the failure must come from a schedule that interleaves the two
// increments, not from the first execution's racy accesses.
TEST(Pct, FindsTheLostUpdateWithinItsBound) {
  options o;
  o.strategy = "pct";
  o.pct_depth = 2;
  o.runs = 2000;
  o.data_races = false;
  exploration_result r = explore(lost_update, o);
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.failure.kind, "invariant-violated");
  // No scheduler that never preempts finds it, nor PCT without a priority change point.
  options never = o;
  never.strategy = "dfs";
  never.preemption_bound = 0;
  EXPECT_FALSE(explore(lost_update, never).failed);
  options depth_one = o;
  depth_one.pct_depth = 1;
  EXPECT_FALSE(explore(lost_update, depth_one).failed);
}

TEST(Schedule, StringsRoundTripAndRejectNonsense) {
  const std::vector<int> d{0, 0, 0, 1, 2, 2, 0};
  EXPECT_EQ(cb::model::format_schedule(d), "0x3.1.2x2.0");
  EXPECT_EQ(cb::model::parse_schedule("0x3.1.2x2.0"), d);
  EXPECT_TRUE(cb::model::parse_schedule("").empty());
  for (const char* bad : {"0x", "x3", "0..1", "0.", "a", "0x0", "1-2"}) {
    EXPECT_THROW(cb::model::parse_schedule(bad), std::invalid_argument) << bad;
  }
  // A short string cannot stand for more decisions than any execution takes (the fuzz target
  // found 60 bytes that asked for 10^8).
  EXPECT_EQ(cb::model::parse_schedule("0x5000000.1x5000000").size(), 10'000'000u);
  EXPECT_THROW(cb::model::parse_schedule("0x5000000.1x5000001"), std::invalid_argument);
  EXPECT_THROW(cb::model::parse_schedule("1x32222.11x34222222.0x99999999"), std::invalid_argument);
}

TEST(Replay, AFailingScheduleReplaysToTheSameFailureAndTrace) {
  for (const char* strategy : {"random", "pct", "dfs"}) {
    SCOPED_TRACE(strategy);
    options o;
    o.strategy = strategy;
    exploration_result found = explore(lost_update, o);
    ASSERT_TRUE(found.failed);
    exploration_result again = cb::model::test::replay(lost_update, found.schedule);
    ASSERT_TRUE(again.failed);
    EXPECT_FALSE(again.replay_diverged);
    EXPECT_EQ(again.failure.kind, found.failure.kind);
    EXPECT_EQ(again.schedule, found.schedule);
    ASSERT_EQ(again.trace.size(), found.trace.size());
    for (std::size_t i = 0; i < again.trace.size(); ++i) {
      EXPECT_EQ(again.trace[i].thread, found.trace[i].thread) << i;
      EXPECT_EQ(again.trace[i].operation, found.trace[i].operation) << i;
      EXPECT_EQ(again.trace[i].line, found.trace[i].line) << i;
    }
  }
}

TEST(Replay, AScheduleThatDoesNotFitIsReportedAsDiverged) {
  // There is never a thread 7.
  exploration_result out = cb::model::test::replay(lost_update, "0.7");
  EXPECT_TRUE(out.replay_diverged);
  EXPECT_NE(out.summary.find("did not fit"), std::string::npos);
}

TEST(Replay, UnknownStrategyAndBadScheduleAreErrors) {
  options o;
  o.strategy = "bfs";
  EXPECT_THROW(explore(lost_update, o), std::invalid_argument);
  o.strategy = "replay";
  o.schedule = "0x";
  EXPECT_THROW(explore(lost_update, o), std::invalid_argument);
}

}  // namespace
