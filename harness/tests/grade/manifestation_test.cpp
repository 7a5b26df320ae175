// Tests of the manifestation statistics: the Wilson interval against known values and, with
// rapidcheck, the properties any confidence interval for a rate must have.
#include "grade/manifestation.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace casebook {
namespace {

TrialRecord trial(double seconds, std::vector<std::string> kinds = {}) {
  TrialRecord t;
  t.duration_seconds = seconds;
  for (auto& k : kinds) {
    Finding f;
    f.kind = k;
    t.findings.push_back(f);
  }
  return t;
}

TEST(Wilson, KnownValues) {
  // Reference values of the 95% Wilson score interval (z = 1.96).
  auto [lo0, hi0] = wilson_interval(0, 20);
  EXPECT_DOUBLE_EQ(lo0, 0.0);
  EXPECT_NEAR(hi0, 0.1611, 1e-4);
  auto [lo20, hi20] = wilson_interval(20, 20);
  EXPECT_NEAR(lo20, 0.8389, 1e-4);
  EXPECT_DOUBLE_EQ(hi20, 1.0);
  auto [lo10, hi10] = wilson_interval(10, 20);
  EXPECT_NEAR(lo10, 0.2993, 1e-4);
  EXPECT_NEAR(hi10, 0.7007, 1e-4);
  EXPECT_EQ(wilson_interval(0, 0), std::make_pair(0.0, 0.0));
}

RC_GTEST_PROP(Wilson, ContainsTheRateAndStaysInTheUnitInterval, ()) {
  const int n = *rc::gen::inRange(1, 10000);
  const int hits = *rc::gen::inRange(0, n + 1);
  const auto [lo, hi] = wilson_interval(hits, n);
  const double rate = static_cast<double>(hits) / n;
  RC_ASSERT(0.0 <= lo);
  RC_ASSERT(lo <= rate + 1e-12);
  RC_ASSERT(rate <= hi + 1e-12);
  RC_ASSERT(hi <= 1.0);
}

RC_GTEST_PROP(Wilson, IsSymmetricBetweenHitsAndMisses, ()) {
  const int n = *rc::gen::inRange(1, 10000);
  const int hits = *rc::gen::inRange(0, n + 1);
  const auto [lo, hi] = wilson_interval(hits, n);
  const auto [mirror_lo, mirror_hi] = wilson_interval(n - hits, n);
  RC_ASSERT(std::abs(lo - (1 - mirror_hi)) < 1e-9);
  RC_ASSERT(std::abs(hi - (1 - mirror_lo)) < 1e-9);
}

RC_GTEST_PROP(Wilson, NarrowsAsTrialsGrowAtTheSameRate, ()) {
  const int n = *rc::gen::inRange(1, 1000);
  const int hits = *rc::gen::inRange(0, n + 1);
  const auto [lo, hi] = wilson_interval(hits, n);
  const auto [lo4, hi4] = wilson_interval(hits * 4, n * 4);
  RC_ASSERT(hi4 - lo4 < hi - lo);
}

TEST(Manifestation, CountsHitsOfTheExpectedKindsAndTheFirstHit) {
  const Expectation race{"tsan", Want::finds, {"data-race"}, "", true};
  const Manifestation m = measure_manifestation(
      race, {trial(0.5), trial(0.25, {"thread-leak"}), trial(1.0, {"data-race"}), trial(2.0),
             trial(1.0, {"data-race", "thread-leak"})});
  EXPECT_EQ(m.trials, 5);
  EXPECT_EQ(m.hits, 2);
  EXPECT_DOUBLE_EQ(m.rate, 0.4);
  EXPECT_EQ(m.first_hit_trial, 3);
  EXPECT_DOUBLE_EQ(m.seconds_to_first_hit, 1.75);
  EXPECT_LT(m.ci_low, 0.4);
  EXPECT_GT(m.ci_high, 0.4);
}

TEST(Manifestation, AMayFindCountsOnlyItsKinds) {
  const Expectation maybe{"helgrind", Want::may_find, {"data-race"}, "chance", true};
  const Manifestation m = measure_manifestation(
      maybe, {trial(1, {"lock-order"}), trial(1, {"data-race"}), trial(1), trial(1)});
  EXPECT_EQ(m.hits, 1);
  EXPECT_EQ(m.first_hit_trial, 2);
  EXPECT_DOUBLE_EQ(m.rate, 0.25);
}

TEST(Manifestation, ForACleanExpectationAnyFindingIsAHit) {
  const Expectation clean{"tsan", Want::clean, {}, "", false};
  const Manifestation m = measure_manifestation(clean, {trial(1), trial(1, {"data-race"})});
  EXPECT_EQ(m.hits, 1);
  EXPECT_EQ(m.first_hit_trial, 2);
  const Manifestation none = measure_manifestation(clean, {});
  EXPECT_EQ(none.trials, 0);
  EXPECT_EQ(none.first_hit_trial, 0);
}

}  // namespace
}  // namespace casebook
