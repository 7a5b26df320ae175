// The fair scheduler (issue 18): a thread that re-reads memory nobody has written since it last
// read it (a spin) loses priority like a yield, in every strategy, so spin-waits without
// yield() terminate; a livelock is reported only with the evidence that every thread that can
// run spins on memory nobody writes; an execution that merely hits the step bound is
// inconclusive, never a failure.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "casebook/model/explore.hpp"
#include "casebook/sync.hpp"
#include "model_test_support.hpp"

namespace {

using cb::model::exploration_result;
using cb::model::explore;
using cb::model::options;

void check(bool ok, const char* what) {
  if (!ok) cb::model::rt::fail("invariant-violated", what, {__FILE__, __LINE__});
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

const char* const kStrategies[] = {"dfs", "random", "pct"};

options with(const char* strategy) {
  options o;
  o.strategy = strategy;
  o.runs = 200;
  o.max_executions = 2000;
  o.max_steps = 3000;
  return o;
}

// A writer does a few steps of work, then publishes; the waiter spins on the flag with no
// yield() at all. Without fairness, whenever the waiter runs first the default schedule keeps
// it running (re-reading false) until the step bound.
void spin_on_flag_without_yield() {
  cb::shared<int> data{0};
  cb::atomic<bool> ready{false};
  cb::thread waiter([&] {
    while (!ready.load(std::memory_order_acquire)) {
    }
    check(data.read() == 42, "the waiter sees the published value");
  });
  cb::thread writer([&] {
    data.write(41);
    data.write(42);
    ready.store(true, std::memory_order_release);
  });
  waiter.join();
  writer.join();
}

TEST(ModelFairness, SpinOnAFlagWithoutYieldTerminatesUnderEveryStrategy) {
  for (const char* strategy : kStrategies) {
    const exploration_result r = explore(spin_on_flag_without_yield, with(strategy));
    EXPECT_FALSE(r.failed) << strategy << ": " << r.failure.kind << ": " << r.failure.message;
    EXPECT_EQ(r.inconclusive, 0u) << strategy << ": " << r.summary;
  }
}

// The default (non-preemptive) schedule alone: replaying "0" runs the waiter into its spin
// first (it is spawned first), so only fairness hands over to the writer.
TEST(ModelFairness, TheDefaultScheduleHandsOverFromASpinner) {
  const exploration_result r = cb::model::test::replay(spin_on_flag_without_yield, "0");
  EXPECT_FALSE(r.failed) << r.failure.kind << ": " << r.failure.message;
  EXPECT_FALSE(r.replay_diverged);
  EXPECT_EQ(r.inconclusive, 0u);
  EXPECT_LT(r.steps, 100u) << "the spinner was not held back: " << r.summary;
}

// A test-and-set spinlock: exchange(true) on a set flag changes nothing, so it counts as a
// re-read, and the holder gets to run and release.
void test_and_set_counter() {
  cb::atomic<bool> locked{false};
  cb::shared<int> counter{0};
  auto worker = [&] {
    while (locked.exchange(true, std::memory_order_acquire)) {
    }
    counter.write(counter.read() + 1);
    locked.store(false, std::memory_order_release);
  };
  cb::thread a(worker), b(worker);
  a.join();
  b.join();
  check(counter.read() == 2, "both increments happened");
}

TEST(ModelFairness, TestAndSetSpinlockWithoutYieldIsClean) {
  for (const char* strategy : kStrategies) {
    const exploration_result r = explore(test_and_set_counter, with(strategy));
    EXPECT_FALSE(r.failed) << strategy << ": " << r.failure.kind << ": " << r.failure.message;
    EXPECT_EQ(r.inconclusive, 0u) << strategy << ": " << r.summary;
  }
}

// Polling under a lock: the poller's own lock and unlock are not progress, so re-reading the
// unchanged flag under the mutex is still a spin.
void poll_under_a_lock() {
  cb::mutex m;
  cb::shared<bool> done{false};
  cb::thread poller([&] {
    for (;;) {
      std::lock_guard<cb::mutex> g(m);
      if (done.read()) break;
    }
  });
  cb::thread setter([&] {
    std::lock_guard<cb::mutex> g(m);
    done.write(true);
  });
  poller.join();
  setter.join();
}

TEST(ModelFairness, PollingAFlagUnderAMutexTerminates) {
  for (const char* strategy : kStrategies) {
    const exploration_result r = explore(poll_under_a_lock, with(strategy));
    EXPECT_FALSE(r.failed) << strategy << ": " << r.failure.kind << ": " << r.failure.message;
    EXPECT_EQ(r.inconclusive, 0u) << strategy << ": " << r.summary;
  }
}

// A true livelock: two threads each spin on a flag that only the other would set after its
// own spin, so neither ever does. Still reported, with what each spins on.
int spin_line = 0;
void two_spinners_waiting_for_each_other() {
  cb::atomic<bool> a_done{false}, b_done{false};
  cb::thread a([&] {
    // clang-format off
    spin_line = __LINE__; while (!b_done.load()) {}
    // clang-format on
    a_done.store(true);
  });
  cb::thread b([&] {
    while (!a_done.load()) {
    }
    b_done.store(true);
  });
  a.join();
  b.join();
}

TEST(ModelFairness, ATrueLivelockIsReportedWithWhatEachThreadSpinsOn) {
  for (const char* strategy : kStrategies) {
    options o = with(strategy);
    o.max_steps = 500;
    const exploration_result r = explore(two_spinners_waiting_for_each_other, o);
    ASSERT_TRUE(r.failed) << strategy << ": " << r.summary;
    EXPECT_EQ(r.failure.kind, "livelock") << strategy;
    const std::string details = joined(r.failure.details);
    EXPECT_NE(details.find("thread 1 spins re-reading atomic#"), std::string::npos) << details;
    EXPECT_NE(details.find("thread 2 spins re-reading atomic#"), std::string::npos) << details;
    EXPECT_NE(details.find("fairness_test.cpp:" + std::to_string(spin_line)), std::string::npos)
        << details;
    EXPECT_NE(details.find("thread 0 (main) blocked in join"), std::string::npos) << details;
    // The livelock's schedule replays to the same livelock.
    const exploration_result again =
        cb::model::test::replay(two_spinners_waiting_for_each_other, r.schedule);
    EXPECT_FALSE(again.replay_diverged);
    EXPECT_EQ(again.failure.kind, "livelock");
  }
}

// A spinner that holds the lock its writer needs: the writer is blocked, the spinner is the
// only thread that can run and spins on memory nobody can write. A livelock, with the lock.
TEST(ModelFairness, SpinningWhileHoldingTheWritersLockIsALivelock) {
  options o = with("dfs");
  o.max_steps = 500;
  const exploration_result r = explore(
      [] {
        cb::mutex m;
        cb::atomic<bool> ready{false};
        cb::thread waiter([&] {
          std::lock_guard<cb::mutex> g(m);
          while (!ready.load()) {
          }
        });
        cb::thread writer([&] {
          std::lock_guard<cb::mutex> g(m);
          ready.store(true);
        });
        waiter.join();
        writer.join();
      },
      o);
  ASSERT_TRUE(r.failed) << r.summary;
  EXPECT_EQ(r.failure.kind, "livelock");
  const std::string details = joined(r.failure.details);
  EXPECT_NE(details.find("spins re-reading atomic#1"), std::string::npos) << details;
  EXPECT_NE(details.find("holding mutex#1"), std::string::npos) << details;
  EXPECT_NE(details.find("blocked in lock mutex#1"), std::string::npos) << details;
}

// The spinner waits for a flag that two deadlocked threads would set: the deadlock is the
// bug, not the spin that waits for it.
TEST(ModelFairness, ASpinWaitingForDeadlockedThreadsIsTheDeadlock) {
  options o = with("dfs");
  o.max_steps = 500;
  const exploration_result r = explore(
      [] {
        cb::mutex first, second;
        cb::atomic<int> done{0};
        cb::thread a([&] {
          std::lock_guard<cb::mutex> g1(first);
          std::lock_guard<cb::mutex> g2(second);
          done.fetch_add(1);
        });
        cb::thread b([&] {
          std::lock_guard<cb::mutex> g2(second);
          std::lock_guard<cb::mutex> g1(first);
          done.fetch_add(1);
        });
        while (done.load() != 2) {
        }
        a.join();
        b.join();
      },
      o);
  ASSERT_TRUE(r.failed) << r.summary;
  EXPECT_EQ(r.failure.kind, "deadlock") << r.failure.message;
  const std::string details = joined(r.failure.details);
  EXPECT_NE(details.find("wait-for cycle: thread"), std::string::npos) << details;
  EXPECT_NE(details.find("thread 0 (main) spins re-reading atomic#1"), std::string::npos)
      << details;
  // Found when only the spinner could still run, not at the step bound: a short trace.
  EXPECT_LT(r.steps, 100u) << r.schedule;
}

// Threads that keep writing never spin: hitting the step bound proves nothing about them, so
// the execution is inconclusive, counted and said in the summary, and not a failure.
TEST(ModelFairness, HittingTheStepBoundWhileThreadsWriteIsInconclusive) {
  options o = with("random");
  o.runs = 5;
  o.max_steps = 2000;
  const exploration_result r = explore(
      [] {
        cb::atomic<int> turn{0};
        auto polite = [&](int me) {
          for (;;) {  // each hands the turn to the other, forever
            if (turn.load() == me) turn.store(1 - me);
            cb::this_thread::yield();
          }
        };
        cb::thread a(polite, 0), b(polite, 1);
        a.join();
        b.join();
      },
      o);
  EXPECT_FALSE(r.failed) << r.failure.kind << ": " << r.failure.message;
  EXPECT_EQ(r.executions, 5u);
  EXPECT_EQ(r.inconclusive, 5u);
  EXPECT_EQ(r.max_steps, 2000u);
  EXPECT_NE(r.summary.find("5 of 5 execution(s) hit the step bound of 2000"), std::string::npos)
      << r.summary;
  EXPECT_FALSE(r.inconclusive_schedule.empty());
}

// A broken twin with a spin-wait and no yield: the relaxed flag leaves the data unpublished.
// The model must report the data race, not run the spinner into the bound.
TEST(ModelFairness, ABrokenSpinWaitIsItsDataRaceNotALivelock) {
  const auto program = [] {
    cb::shared<int> data{0};
    cb::atomic<bool> ready{false};
    cb::thread waiter([&] {
      while (!ready.load(std::memory_order_relaxed)) {
      }
      (void)data.read();
    });
    cb::thread writer([&] {
      data.write(42);
      ready.store(true, std::memory_order_relaxed);
    });
    waiter.join();
    writer.join();
  };
  for (const char* strategy : kStrategies) {
    const exploration_result r = explore(program, with(strategy));
    ASSERT_TRUE(r.failed) << strategy << ": " << r.summary;
    EXPECT_EQ(r.failure.kind, "data-race") << strategy << ": " << r.failure.message;
    const exploration_result again = cb::model::test::replay(program, r.schedule);
    EXPECT_FALSE(again.replay_diverged) << strategy;
    EXPECT_EQ(again.failure.kind, "data-race") << strategy;
    EXPECT_EQ(again.steps, r.steps) << strategy;
  }
}

}  // namespace
