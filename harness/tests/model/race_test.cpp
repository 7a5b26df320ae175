// Data races in the controlled scheduler: two conflicting cb::shared accesses of different
// threads that no happens-before edge (locks, atomics, spawn, join) orders fail the execution
// with `data-race` at the second access, naming both; ordered accesses are clean.
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
using cb::model::trace_step;

options with(std::string strategy) {
  options o;
  o.strategy = std::move(strategy);
  o.runs = 2000;
  return o;
}

// The line of the next statement, for naming an access's expected location.
int here(int line = __builtin_LINE()) {
  return line;
}

// Two threads increment one unsynchronised counter; the line numbers of their read and write.
int read_line = 0;
int write_line = 0;
void racy_increments() {
  cb::shared<int> counter{0};
  auto bump = [&] {
    read_line = here() + 1;
    const int seen = counter.read();
    write_line = here() + 1;
    counter.write(seen + 1);
  };
  cb::thread a(bump);
  cb::thread b(bump);
  a.join();
  b.join();
}

void expect_race_between_two_threads(const exploration_result& r) {
  ASSERT_TRUE(r.failed) << r.summary;
  ASSERT_EQ(r.failure.kind, "data-race") << r.failure.message;
  ASSERT_EQ(r.failure.accesses.size(), 2u);
  const trace_step& racing = r.failure.accesses[0];
  const trace_step& earlier = r.failure.accesses[1];
  EXPECT_NE(racing.thread, earlier.thread);
  EXPECT_GT(racing.step, earlier.step);
  EXPECT_TRUE(racing.operation.rfind("write", 0) == 0 || earlier.operation.rfind("write", 0) == 0)
      << racing.operation << " / " << earlier.operation;
  EXPECT_EQ(r.failure.details.size(), 2u);
  for (const trace_step* a : {&racing, &earlier}) {
    EXPECT_NE(a->file.find("race_test.cpp"), std::string::npos) << a->file;
    const std::string place = "thread " + std::to_string(a->thread) +
                              (a->thread == 0 ? " (main) " : " ") + a->operation + " at " +
                              a->file + ":" + std::to_string(a->line);
    EXPECT_NE(r.failure.message.find(place), std::string::npos)
        << place << " missing from " << r.failure.message;
  }
  // Like TSan, the execution stops at the racing access: it is the interleaving's last step.
  ASSERT_FALSE(r.trace.empty());
  EXPECT_EQ(r.trace.back().step, racing.step);
  EXPECT_EQ(r.trace.back().thread, racing.thread);
  EXPECT_TRUE(r.trace.back().racy);
  EXPECT_TRUE(r.trace[earlier.step].racy);
}

TEST(ModelRaces, UnorderedIncrementsAreADataRaceNamingBothAccesses) {
  for (const char* strategy : {"random", "pct", "dfs"}) {
    SCOPED_TRACE(strategy);
    exploration_result r = explore(racy_increments, with(strategy));
    expect_race_between_two_threads(r);
    for (const trace_step& a : r.failure.accesses) {
      EXPECT_TRUE(a.line == read_line || a.line == write_line) << a.line;
    }
    // No schedule avoids the race, so the shrunk one needs no preemption at all.
    EXPECT_EQ(r.preemptions, 0u) << r.schedule;
    EXPECT_FALSE(r.schedule.empty());
  }
}

TEST(ModelRaces, TheSameIncrementsUnderAMutexAreClean) {
  options o = with("dfs");
  o.preemption_bound = 3;
  exploration_result r = explore(
      [] {
        cb::shared<int> counter{0};
        cb::mutex m;
        auto bump = [&] {
          cb::lock_guard hold(m);
          counter.write(counter.read() + 1);
        };
        cb::thread a(bump);
        cb::thread b(bump);
        a.join();
        b.join();
        if (counter.read() != 2) cb::model::rt::fail("invariant-violated", "lost update", {});
      },
      o);
  EXPECT_FALSE(r.failed) << r.failure.kind << ": " << r.failure.message;
  EXPECT_TRUE(r.exhaustive);
}

TEST(ModelRaces, AReleaseAcquireFlagOrdersTheDataItPublishes) {
  options o = with("dfs");
  o.preemption_bound = 3;
  exploration_result r = explore(
      [] {
        cb::shared<int> data{0};
        cb::atomic<bool> ready{false};
        cb::thread producer([&] {
          data.write(42);
          ready.store(true, std::memory_order_release);
        });
        cb::thread consumer([&] {
          while (!ready.load(std::memory_order_acquire)) cb::this_thread::yield();
          if (data.read() != 42) cb::model::rt::fail("invariant-violated", "stale data", {});
        });
        producer.join();
        consumer.join();
      },
      o);
  EXPECT_FALSE(r.failed) << r.failure.kind << ": " << r.failure.message;
  EXPECT_TRUE(r.exhaustive);
}

TEST(ModelRaces, LoadsAloneOrderNothing) {
  // Both threads only load the flag: a load acquires but does not release, so the write
  // before one thread's load and the read after the other's stay unordered.
  exploration_result r = explore(
      [] {
        cb::shared<int> data{0};
        cb::atomic<bool> flag{false};
        cb::thread a([&] {
          data.write(1);
          (void)flag.load();
        });
        cb::thread b([&] {
          (void)flag.load();
          (void)data.read();
        });
        a.join();
        b.join();
      },
      with("dfs"));
  expect_race_between_two_threads(r);
}

TEST(ModelRaces, SpawnAndJoinOrderTheAccessesAroundThem) {
  options o = with("dfs");
  o.preemption_bound = 3;
  exploration_result r = explore(
      [] {
        cb::shared<int> data{0};
        data.write(1);  // before the spawn: ordered before everything the thread does
        cb::thread t([&] { data.write(data.read() + 1); });
        t.join();
        if (data.read() != 2) cb::model::rt::fail("invariant-violated", "lost write", {});
        cb::thread u([&] { data.write(3); });
        u.join();
        data.write(4);  // after the join: ordered after the thread's write
      },
      o);
  EXPECT_FALSE(r.failed) << r.failure.kind << ": " << r.failure.message;
  EXPECT_TRUE(r.exhaustive);
}

TEST(ModelRaces, AccessBeforeTheJoinRaces) {
  int main_line = 0;
  exploration_result r = explore(
      [&] {
        cb::shared<int> data{0};
        cb::thread t([&] { data.write(1); });
        main_line = here() + 1;
        (void)data.read();  // BUG: before t.join()
        t.join();
      },
      with("dfs"));
  expect_race_between_two_threads(r);
  // The scheduler's default choices alone lead here: that schedule prints as "0", not "".
  EXPECT_EQ(r.schedule, "0");
  bool main_seen = false;
  for (const trace_step& a : r.failure.accesses) {
    if (a.thread == 0) {
      main_seen = true;
      EXPECT_EQ(a.line, main_line);
      EXPECT_EQ(a.operation, "read shared#1");
    }
  }
  EXPECT_TRUE(main_seen);
}

// An unlock orders what its thread did before it, not after: a write after the unlock races
// with a read under the lock in another thread, even though that thread took the lock after
// the unlock. The relaxed flag (which orders nothing) makes the read come after the write in
// every schedule, so only the clocks can tell the race.
TEST(ModelRaces, AnUnlockOrdersOnlyTheAccessesBeforeIt) {
  int late_write_line = 0;
  int locked_read_line = 0;
  options o = with("dfs");
  o.preemption_bound = 3;
  exploration_result r = explore(
      [&] {
        cb::shared<int> data{0};
        cb::mutex m;
        cb::atomic<bool> done{false};
        cb::thread writer([&] {
          {
            cb::lock_guard hold(m);
            data.write(1);
          }
          late_write_line = here() + 1;
          data.write(2);  // BUG: after the unlock
          done.store(true, std::memory_order_relaxed);
        });
        cb::thread reader([&] {
          while (!done.load(std::memory_order_relaxed)) cb::this_thread::yield();
          cb::lock_guard hold(m);
          locked_read_line = here() + 1;
          (void)data.read();
        });
        writer.join();
        reader.join();
      },
      o);
  expect_race_between_two_threads(r);
  ASSERT_EQ(r.failure.accesses.size(), 2u);
  EXPECT_EQ(r.failure.accesses[0].line, locked_read_line) << r.failure.message;
  EXPECT_EQ(r.failure.accesses[1].line, late_write_line) << r.failure.message;
}

// The shared_rng shape: the shared object's own code runs inside one unsafe_ref() call, which
// counts as one write access.
void two_unsafe_pushes(bool locked) {
  cb::shared<std::vector<int>> v;
  cb::mutex m;
  auto push = [&] {
    if (locked) {
      cb::lock_guard hold(m);
      v.unsafe_ref().push_back(1);
    } else {
      v.unsafe_ref().push_back(1);
    }
  };
  cb::thread a(push);
  cb::thread b(push);
  a.join();
  b.join();
  if (v.unsafe_ref().size() != 2) cb::model::rt::fail("invariant-violated", "lost push", {});
}

TEST(ModelRaces, UnsafeRefFromTwoThreadsIsARaceButNotUnderALock) {
  for (const char* strategy : {"random", "pct", "dfs"}) {
    SCOPED_TRACE(strategy);
    exploration_result r = explore([] { two_unsafe_pushes(false); }, with(strategy));
    expect_race_between_two_threads(r);
    for (const trace_step& a : r.failure.accesses) {
      EXPECT_EQ(a.operation, "write shared#1");
      EXPECT_NE(a.thread, 0);
    }
  }
  options o = with("dfs");
  o.preemption_bound = 3;
  exploration_result clean = explore([] { two_unsafe_pushes(true); }, o);
  EXPECT_FALSE(clean.failed) << clean.failure.kind << ": " << clean.failure.message;
  EXPECT_TRUE(clean.exhaustive);
}

TEST(ModelRaces, ReplayOfThePrintedScheduleReproducesTheRace) {
  for (const char* strategy : {"random", "pct", "dfs"}) {
    SCOPED_TRACE(strategy);
    exploration_result found = explore(racy_increments, with(strategy));
    ASSERT_TRUE(found.failed);
    ASSERT_EQ(found.failure.kind, "data-race");
    for (int i = 0; i < 2; ++i) {
      exploration_result again = cb::model::test::replay(racy_increments, found.schedule);
      ASSERT_TRUE(again.failed);
      EXPECT_FALSE(again.replay_diverged);
      EXPECT_EQ(again.failure.kind, "data-race");
      EXPECT_EQ(again.failure.message, found.failure.message);
      EXPECT_EQ(again.failure.details, found.failure.details);
      ASSERT_EQ(again.failure.accesses.size(), 2u);
      for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_EQ(again.failure.accesses[k].step, found.failure.accesses[k].step);
        EXPECT_EQ(again.failure.accesses[k].thread, found.failure.accesses[k].thread);
        EXPECT_EQ(again.failure.accesses[k].line, found.failure.accesses[k].line);
      }
      EXPECT_EQ(again.trace.size(), found.trace.size());
    }
  }
}

TEST(ModelRaces, WithRacesOffTheExecutionGoesOnToTheLostUpdate) {
  options o = with("dfs");
  o.data_races = false;
  exploration_result r = explore(cb::model::test::lost_update, o);
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.failure.kind, "invariant-violated");
  EXPECT_TRUE(r.failure.accesses.empty());
  bool racy = false;
  for (const auto& s : r.trace) racy = racy || s.racy;
  EXPECT_TRUE(racy);  // still marked in the trace
}

}  // namespace
