// Unit tests of the schedule-noise injector (casebook/noise/injector.hpp): the same seed makes
// the same decisions, a different seed or thread makes different ones, and the level sets how
// often a point perturbs. Also a run of the noise facade's types end to end: the wrappers keep
// the std types' behaviour (a locked counter still adds up) while points fire.
#include <gtest/gtest.h>

#define CASEBOOK_FACADE_NOISE 1
#include <casebook/sync.hpp>

#include <vector>

#include "casebook/noise/injector.hpp"

namespace {

using cb::noise::action;
using cb::noise::decision;
using cb::noise::injector;

// Perturbations among decisions [from, to).
int perturbations(const std::vector<decision>& d, std::size_t from, std::size_t to) {
  int n = 0;
  for (std::size_t i = from; i < to; ++i) n += d[i].what != action::none;
  return n;
}

std::vector<decision> draw(std::uint64_t seed, int level, std::uint64_t stream, int n) {
  injector in(seed, level, stream);
  std::vector<decision> out;
  for (int i = 0; i < n; ++i) out.push_back(in.next());
  return out;
}

bool same(const std::vector<decision>& a, const std::vector<decision>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].what != b[i].what || a[i].micros != b[i].micros) return false;
  }
  return true;
}

TEST(NoiseInjector, TheSameSeedAndThreadMakeTheSameDecisions) {
  EXPECT_TRUE(same(draw(42, 5, 3, 10000), draw(42, 5, 3, 10000)));
}

TEST(NoiseInjector, AnotherSeedOrThreadMakesOtherDecisions) {
  EXPECT_FALSE(same(draw(42, 5, 3, 10000), draw(43, 5, 3, 10000)));
  EXPECT_FALSE(same(draw(42, 5, 3, 10000), draw(42, 5, 4, 10000)));
}

TEST(NoiseInjector, LevelZeroNeverPerturbs) {
  for (const decision& d : draw(7, 0, 0, 10000)) EXPECT_EQ(d.what, action::none);
}

TEST(NoiseInjector, TheLevelSetsHowOftenAPointPerturbs) {
  // About level x 5% of points perturb (counted before the perturbation budget runs out);
  // sleeps last 1..level x 20 µs; two thirds yields while the sleep budget lasts.
  for (int level : {1, 4, 10}) {
    const int n = 9000;  // level 10 perturbs 4500 of them: within the budget
    const auto d = draw(11, level, 1, n);
    EXPECT_NEAR(perturbations(d, 0, n) / static_cast<double>(n), level * 0.05, 0.012)
        << "level " << level;
    for (const decision& x : d) {
      if (x.what == action::sleep) {
        EXPECT_GE(x.micros, 1u);
        EXPECT_LE(x.micros, static_cast<unsigned>(level) * 20);
      }
    }
  }
  const auto d = draw(11, 1, 1, 90000);  // level 1 sleeps ~10 µs: the budget lasts
  int yields = 0, sleeps = 0;
  for (const decision& x : d) {
    yields += x.what == action::yield;
    sleeps += x.what == action::sleep;
  }
  EXPECT_NEAR(static_cast<double>(yields) / (yields + sleeps), 2.0 / 3, 0.03);
}

TEST(NoiseInjector, BudgetsBoundSleepingAndThenPerturbing) {
  const auto d = draw(5, 10, 2, 20000);
  unsigned slept = 0;
  for (const decision& x : d) slept += x.what == action::sleep ? x.micros : 0;
  EXPECT_LE(slept, injector::kSleepBudgetMicros);
  EXPECT_EQ(perturbations(d, 0, d.size()), static_cast<int>(injector::kPerturbationBudget));
  EXPECT_EQ(perturbations(d, 15000, d.size()), 0) << "the budget is long spent by then";
}

TEST(NoiseFacade, WrappersKeepTheStdBehaviourWhilePointsFire) {
  cb::noise::configure(10, 99);
  cb::mutex m;
  cb::condition_variable cv;
  cb::shared<long> total{0};
  cb::atomic<int> started{0};
  bool go = false;
  std::vector<cb::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      started.fetch_add(1);
      cb::unique_lock hold(m);
      cv.wait(hold, [&] { return go; });
      for (int i = 0; i < 500; ++i) total.write(total.read() + 1);
    });
  }
  while (started.load() < 4) cb::this_thread::yield();
  {
    cb::lock_guard hold(m);
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  EXPECT_EQ(total.read(), 2000);
  // The wrappers reached their points and the noise acted at some of them (2,000 shared
  // accesses and the locks' points at level 10: 50% of points perturb, within the budgets).
  EXPECT_GT(cb::noise::points_perturbed(), 100u);
  // At level 0 no point perturbs.
  cb::noise::configure(0, 0);
  cb::shared<long> quiet{0};
  for (int i = 0; i < 1000; ++i) quiet.write(quiet.read() + 1);
  EXPECT_EQ(cb::noise::points_perturbed(), 0u);
}

}  // namespace
