// Memory orders in the controlled scheduler's happens-before: values stay sequentially
// consistent, but only release/acquire (and stronger) atomic operations order the cb::shared
// accesses around them. A relaxed flag publishes nothing, so the payload it was meant to
// publish races; read-modify-writes continue a release sequence whatever their order; a
// compare-exchange synchronises with its success order when it succeeds and its failure
// order when it fails.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "casebook/model/explore.hpp"
#include "casebook/sync.hpp"

namespace {

using cb::model::exploration_result;
using cb::model::explore;
using cb::model::options;

// Exhaustive within a bound that lets every access of these small programs interleave.
options exhaustive() {
  options o;
  o.strategy = "dfs";
  o.preemption_bound = 3;
  o.runs = 20000;
  return o;
}

void expect_clean(const exploration_result& r) {
  EXPECT_FALSE(r.failed) << r.failure.kind << ": " << r.failure.message;
  EXPECT_TRUE(r.exhaustive) << r.summary;
}

// The race is between the payload's write and read, both on `payload_line`s of this file.
void expect_payload_race(const exploration_result& r, int write_line, int read_line) {
  ASSERT_TRUE(r.failed) << r.summary;
  ASSERT_EQ(r.failure.kind, "data-race") << r.failure.message;
  ASSERT_EQ(r.failure.accesses.size(), 2u);
  EXPECT_EQ(r.failure.accesses[0].line, read_line) << r.failure.message;
  EXPECT_EQ(r.failure.accesses[1].line, write_line) << r.failure.message;
  EXPECT_NE(r.failure.accesses[0].operation.find("read"), std::string::npos);
  EXPECT_NE(r.failure.accesses[1].operation.find("write"), std::string::npos);
}

// One handoff of a payload through an atomic flag: the producer writes the payload, then
// `publish(flag)`; the consumer runs `observe(flag)`, which returns once it has seen the
// producer's flag, then reads the payload. Explored exhaustively; the payload's write and read
// lines are kept for the race checks. Each test below varies only how the flag is published
// and observed.
int handoff_write_line = 0;
int handoff_read_line = 0;
template <class Publish, class Observe>
exploration_result handoff(Publish publish, Observe observe) {
  return explore(
      [publish, observe] {
        cb::shared<int> payload{0};
        cb::atomic<int> flag{0};
        cb::thread producer([&] {
          handoff_write_line = __LINE__ + 1;
          payload.write(42);
          publish(flag);
        });
        cb::thread consumer([&] {
          observe(flag);
          handoff_read_line = __LINE__ + 1;
          if (payload.read() != 42) cb::model::rt::fail("invariant-violated", "stale", {});
        });
        producer.join();
        consumer.join();
      },
      exhaustive());
}

void expect_handoff_race(const exploration_result& r) {
  expect_payload_race(r, handoff_write_line, handoff_read_line);
}

auto store_with(std::memory_order order) {
  return [order](cb::atomic<int>& flag) { flag.store(1, order); };
}

// The classic message passing: the flag raised with `store`, spun on with `load`.
exploration_result message_passing(std::memory_order store, std::memory_order load) {
  return handoff(store_with(store), [load](cb::atomic<int>& flag) {
    while (flag.load(load) != 1) cb::this_thread::yield();
  });
}

TEST(ModelMemoryOrder, ARelaxedFlagPublishesNothingSoThePayloadRaces) {
  exploration_result r = message_passing(std::memory_order_relaxed, std::memory_order_relaxed);
  expect_handoff_race(r);
  // A race needs no preemption: the shrunk schedule is the default one.
  EXPECT_EQ(r.schedule, "0");
}

TEST(ModelMemoryOrder, ReleaseStoreAndAcquireLoadAreClean) {
  expect_clean(message_passing(std::memory_order_release, std::memory_order_acquire));
  expect_clean(message_passing(std::memory_order_seq_cst, std::memory_order_seq_cst));
  expect_clean(message_passing(std::memory_order_acq_rel, std::memory_order_acq_rel));
  // consume is treated as acquire.
  expect_clean(message_passing(std::memory_order_release, std::memory_order_consume));
}

TEST(ModelMemoryOrder, OneRelaxedSideIsEnoughToRace) {
  exploration_result r = message_passing(std::memory_order_release, std::memory_order_relaxed);
  expect_handoff_race(r);
  r = message_passing(std::memory_order_relaxed, std::memory_order_acquire);
  expect_handoff_race(r);
  // A store never acquires and a load never releases, whatever they name.
  r = message_passing(std::memory_order_acquire, std::memory_order_release);
  expect_handoff_race(r);
}

// Release sequences: the producer writes `payload` and stores 1 with release; a relay thread
// waits for 1, writes `relayed`, and moves the flag to 2 with `relay` (an RMW, or a store);
// the consumer loads the flag once with acquire and, when it sees 2, reads both. (One spinning
// thread only: the consumer checks once, and the exhaustive search covers the schedules where
// it runs after the relay; rs_saw_two counts them, so a clean result is not a vacuous one.)
int rs_saw_two = 0;
int rs_payload_write = 0;
int rs_payload_read = 0;
int rs_relayed_write = 0;
int rs_relayed_read = 0;
exploration_result release_sequence(bool rmw, std::memory_order relay, bool read_relayed) {
  return explore(
      [rmw, relay, read_relayed] {
        cb::shared<int> payload{0};
        cb::shared<int> relayed{0};
        cb::atomic<int> flag{0};
        cb::thread producer([&] {
          rs_payload_write = __LINE__ + 1;
          payload.write(42);
          flag.store(1, std::memory_order_release);
        });
        cb::thread relay_thread([&] {
          while (flag.load(std::memory_order_relaxed) != 1) cb::this_thread::yield();
          rs_relayed_write = __LINE__ + 1;
          relayed.write(7);
          if (rmw) {
            flag.fetch_add(1, relay);
          } else {
            flag.store(2, relay);
          }
        });
        cb::thread consumer([&] {
          if (flag.load(std::memory_order_acquire) != 2) return;
          ++rs_saw_two;
          rs_payload_read = __LINE__ + 1;
          (void)payload.read();
          rs_relayed_read = __LINE__ + 1;
          if (read_relayed) (void)relayed.read();
        });
        producer.join();
        relay_thread.join();
        consumer.join();
      },
      exhaustive());
}

TEST(ModelMemoryOrder, ARelaxedRmwContinuesTheReleaseSequenceOfTheStoreBeforeIt) {
  // The consumer reads the RMW's value, which is in the release sequence headed by the
  // producer's release store: it synchronises with the producer.
  rs_saw_two = 0;
  expect_clean(release_sequence(true, std::memory_order_relaxed, false));
  EXPECT_GT(rs_saw_two, 0);
}

TEST(ModelMemoryOrder, ARelaxedRmwReleasesNothingOfItsOwn) {
  // ... but not with the relay thread, whose relaxed RMW heads no release sequence.
  exploration_result r = release_sequence(true, std::memory_order_relaxed, true);
  expect_payload_race(r, rs_relayed_write, rs_relayed_read);
}

TEST(ModelMemoryOrder, AReleaseRmwSynchronisesWithBothHeads) {
  rs_saw_two = 0;
  expect_clean(release_sequence(true, std::memory_order_release, true));
  expect_clean(release_sequence(true, std::memory_order_acq_rel, true));
  EXPECT_GT(rs_saw_two, 0);
}

TEST(ModelMemoryOrder, ARelaxedStoreEndsTheReleaseSequence) {
  // A plain store is no RMW: the consumer reads a value outside the producer's release
  // sequence, so nothing orders the payload.
  exploration_result r = release_sequence(false, std::memory_order_relaxed, false);
  expect_payload_race(r, rs_payload_write, rs_payload_read);
}

TEST(ModelMemoryOrder, AReleaseStoreHeadsANewSequenceAndOrdersOnlyItsOwnThread) {
  // The relay's release store publishes what the relay thread has seen; it only saw the flag
  // with a relaxed load, so the producer's payload is still unordered with the consumer.
  exploration_result r = release_sequence(false, std::memory_order_release, false);
  expect_payload_race(r, rs_payload_write, rs_payload_read);
}

// Compare-exchange: the consumer spins on a CAS 0 -> 0, which succeeds while the flag is 0
// and fails once the producer has raised it (with its release store): the failing CAS is the
// load that sees the flag, so the failure order decides whether the payload is ordered.
exploration_result cas_until_raised(std::memory_order success, std::memory_order failure) {
  return handoff(store_with(std::memory_order_release), [success, failure](cb::atomic<int>& flag) {
    for (;;) {
      int expected = 0;
      if (!flag.compare_exchange_strong(expected, 0, success, failure)) break;
      cb::this_thread::yield();
    }
  });
}

TEST(ModelMemoryOrder, AFailedCompareExchangeSynchronisesWithItsFailureOrder) {
  expect_clean(cas_until_raised(std::memory_order_relaxed, std::memory_order_acquire));
  exploration_result r = cas_until_raised(std::memory_order_acq_rel, std::memory_order_relaxed);
  expect_handoff_race(r);
}

// The same flag taken by a CAS 1 -> 2 that loops until it succeeds: the success order counts.
exploration_result cas_until_taken(std::memory_order success, std::memory_order failure) {
  return handoff(store_with(std::memory_order_release), [success, failure](cb::atomic<int>& flag) {
    int expected = 1;
    while (!flag.compare_exchange_weak(expected, 2, success, failure)) {
      expected = 1;
      cb::this_thread::yield();
    }
  });
}

TEST(ModelMemoryOrder, ASucceedingCompareExchangeSynchronisesWithItsSuccessOrder) {
  expect_clean(cas_until_taken(std::memory_order_acquire, std::memory_order_relaxed));
  exploration_result r = cas_until_taken(std::memory_order_relaxed, std::memory_order_acquire);
  expect_handoff_race(r);
}

TEST(ModelMemoryOrder, ASingleOrderCompareExchangeFailsWithoutItsReleasePart) {
  // compare_exchange(e, d, release) fails with relaxed, (e, d, acq_rel) with acquire.
  auto run = [](std::memory_order order) {
    return handoff(store_with(std::memory_order_release), [order](cb::atomic<int>& flag) {
      for (;;) {
        int expected = 0;
        if (!flag.compare_exchange_strong(expected, 0, order)) break;
        cb::this_thread::yield();
      }
    });
  };
  expect_clean(run(std::memory_order_acq_rel));
  exploration_result r = run(std::memory_order_release);
  expect_handoff_race(r);
}

// Atomic waiting: returning from wait() is a load with the order it names; notify orders
// nothing by itself.
exploration_result wait_for_flag(std::memory_order store, std::memory_order wait) {
  return handoff(
      [store](cb::atomic<int>& flag) {
        flag.store(1, store);
        flag.notify_all();
      },
      [wait](cb::atomic<int>& flag) { flag.wait(0, wait); });
}

TEST(ModelMemoryOrder, AtomicWaitSynchronisesByItsOrderAndNotifyOrdersNothing) {
  expect_clean(wait_for_flag(std::memory_order_release, std::memory_order_acquire));
  exploration_result r = wait_for_flag(std::memory_order_relaxed, std::memory_order_acquire);
  expect_handoff_race(r);
  r = wait_for_flag(std::memory_order_release, std::memory_order_relaxed);
  expect_handoff_race(r);
}

}  // namespace
