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
  // About level x 5% of points, two thirds of them yields; sleeps last 1..level x 20 µs.
  for (int level : {1, 4, 10}) {
    int yields = 0, sleeps = 0;
    for (const decision& d : draw(11, level, 1, 100000)) {
      if (d.what == action::yield) ++yields;
      if (d.what == action::sleep) {
        ++sleeps;
        EXPECT_GE(d.micros, 1u);
        EXPECT_LE(d.micros, static_cast<unsigned>(level) * 20);
      }
    }
    const double rate = (yields + sleeps) / 100000.0;
    EXPECT_NEAR(rate, level * 0.05, 0.01) << "level " << level;
    EXPECT_NEAR(static_cast<double>(yields) / (yields + sleeps), 2.0 / 3, 0.03);
  }
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
  cb::noise::configure(0, 0);
}

}  // namespace
