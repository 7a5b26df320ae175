// producer_consumer.cpp - one producer, one consumer, three bounded queues of 1024 slots:
//
//   queue/condvar   std::mutex + two std::condition_variables: a waiting side sleeps until
//                   the other side tells it (the fix of cases/busy_wait_polling);
//   queue/polling   std::mutex, no condition variable: a side that finds the queue empty (or
//                   full) sleeps 50 us and looks again (the bug of cases/busy_wait_polling);
//   queue/spsc      a lock-free single-producer single-consumer ring: two atomic indices,
//                   acquire/release, spinning (with yield) instead of sleeping.
//
// Two measures each: `throughput` streams N messages one way; `latency` bounces N messages
// through a pair of queues (ping-pong) and reports the round trip's percentiles (rtt_p50_us,
// rtt_p99_us). Self-check: every message arrives, once, in order.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "common.hpp"

namespace cbb = casebook::bench;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kCapacity = 1024;
constexpr cbb::sizes kStreamed{.tiny = 1 << 12, .small = 1 << 17, .full = 1 << 20};
constexpr cbb::sizes kBounced{.tiny = 64, .small = 500, .full = 5000};
constexpr auto kPollInterval = 50us;

class condvar_queue {
 public:
  void push(std::uint64_t v) {
    std::unique_lock hold(lock_);
    not_full_.wait(hold, [&] { return items_.size() < kCapacity; });
    items_.push_back(v);
    not_empty_.notify_one();
  }
  std::uint64_t pop() {
    std::unique_lock hold(lock_);
    not_empty_.wait(hold, [&] { return !items_.empty(); });
    const std::uint64_t v = items_.front();
    items_.pop_front();
    not_full_.notify_one();
    return v;
  }

 private:
  std::mutex lock_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<std::uint64_t> items_;
};

class polling_queue {
 public:
  void push(std::uint64_t v) {
    for (;;) {
      {
        const std::lock_guard hold(lock_);
        if (items_.size() < kCapacity) return items_.push_back(v);
      }
      std::this_thread::sleep_for(kPollInterval);  // nobody will tell us when there is room
    }
  }
  std::uint64_t pop() {
    for (;;) {
      {
        const std::lock_guard hold(lock_);
        if (!items_.empty()) {
          const std::uint64_t v = items_.front();
          items_.pop_front();
          return v;
        }
      }
      std::this_thread::sleep_for(kPollInterval);  // nor when an item arrives
    }
  }

 private:
  std::mutex lock_;
  std::deque<std::uint64_t> items_;
};

// head_ is written only by the consumer, tail_ only by the producer. The release store of
// tail_ publishes the slot written before it; the consumer's acquire load of tail_ sees it.
// Each index on its own cache line, so the two sides do not false-share.
class spsc_ring {
 public:
  void push(std::uint64_t v) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    while (tail - head_.load(std::memory_order_acquire) == kCapacity) std::this_thread::yield();
    slots_[tail % kCapacity] = v;
    tail_.store(tail + 1, std::memory_order_release);
  }
  std::uint64_t pop() {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    while (tail_.load(std::memory_order_acquire) == head) std::this_thread::yield();
    const std::uint64_t v = slots_[head % kCapacity];
    head_.store(head + 1, std::memory_order_release);
    return v;
  }

 private:
  alignas(64) std::atomic<std::size_t> head_{0};
  alignas(64) std::atomic<std::size_t> tail_{0};
  alignas(64) std::uint64_t slots_[kCapacity] = {};
};

template <class Queue>
void throughput(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  bool in_order = true;
  for (auto _ : state) {
    Queue queue;
    std::thread producer([&] {
      for (std::int64_t i = 0; i < n; ++i) queue.push(static_cast<std::uint64_t>(i));
    });
    for (std::int64_t i = 0; i < n; ++i)
      if (queue.pop() != static_cast<std::uint64_t>(i)) in_order = false;
    producer.join();
  }
  cbb::report(state, 2, n);
  if (!in_order) state.SkipWithError("a message was lost, duplicated or reordered");
}

template <class Queue>
void latency(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  constexpr std::uint64_t kStop = ~std::uint64_t{0};
  bool in_order = true;
  std::vector<double> rtt_us;
  for (auto _ : state) {
    Queue ping;
    Queue pong;
    std::thread echo([&] {
      for (std::uint64_t v; (v = ping.pop()) != kStop;) pong.push(v);
    });
    rtt_us.clear();
    for (std::int64_t i = 0; i < n; ++i) {
      const auto start = std::chrono::steady_clock::now();
      ping.push(static_cast<std::uint64_t>(i));
      if (pong.pop() != static_cast<std::uint64_t>(i)) in_order = false;
      rtt_us.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
    }
    ping.push(kStop);
    echo.join();
  }
  cbb::report(state, 2, n);
  if (!in_order) return state.SkipWithError("a reply was lost or reordered");
  // Percentiles of the last iteration's round trips.
  std::sort(rtt_us.begin(), rtt_us.end());
  const auto at = [&](double q) {
    return rtt_us[static_cast<std::size_t>(q * static_cast<double>(rtt_us.size() - 1))];
  };
  state.counters["rtt_p50_us"] = at(0.50);
  state.counters["rtt_p99_us"] = at(0.99);
}

void streamed_args(benchmark::internal::Benchmark* b) {
  cbb::add_sizes(b, "messages", kStreamed);
}
void bounced_args(benchmark::internal::Benchmark* b) {
  cbb::add_sizes(b, "messages", kBounced);
}

}  // namespace

// No threads/processes series here: one producer and one consumer (workers = 2).
BENCHMARK(throughput<condvar_queue>)
    ->Name("queue/condvar/throughput")
    ->Apply(streamed_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(throughput<polling_queue>)
    ->Name("queue/polling/throughput")
    ->Apply(streamed_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(throughput<spsc_ring>)
    ->Name("queue/spsc/throughput")
    ->Apply(streamed_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(latency<condvar_queue>)
    ->Name("queue/condvar/latency")
    ->Apply(bounced_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(latency<polling_queue>)
    ->Name("queue/polling/latency")
    ->Apply(bounced_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(latency<spsc_ring>)
    ->Name("queue/spsc/latency")
    ->Apply(bounced_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
