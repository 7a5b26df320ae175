// counters.cpp - k threads share the work of N increments of one count, six ways:
//
//   counters/unsynchronised  read, add, write with nothing in between held: lost updates. Done
//                            with relaxed atomic loads and stores, which compile to the same
//                            plain moves as the racy `++count` but are defined behaviour (and
//                            TSan-clean), so the sanitized builds can time it too. Wrong on
//                            purpose: the run reports `lost_fraction` and does not fail on it.
//   counters/mutex           a std::mutex around every increment.
//   counters/atomic          fetch_add on one atomic: correct, but its cache line ping-pongs.
//   counters/sharded         each thread counts in its own local and adds it once at the end.
//   counters/false_sharing   each thread increments its own slot, but the slots are adjacent
//                            longs: one cache line, which the cores keep stealing from each other.
//   counters/padded          the same slots, each alignas(64) on a cache line of its own.
//
// counters/sequential is the floor: one thread, a local count. Self-check: every variant but
// the unsynchronised one must count exactly N.
#include <atomic>
#include <mutex>
#include <string>

#include "common.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kIncrements{.tiny = 1 << 14, .small = 1 << 20, .full = 1 << 24};

// Tells the compiler `value` is read and changed here, without sending it to memory: each
// increment stays one register add and the loop cannot be folded into a single `+= times`.
// (benchmark::DoNotOptimize would do, but clang gives it a memory operand, and the counts
// in the register-only variants would then time a store-to-load chain instead.)
inline void opaque(std::int64_t& value) {
  asm volatile("" : "+r"(value));
}

// Increments done by worker w of k (the shares add up to n exactly).
std::int64_t share(int w, int k, std::int64_t n) {
  return n * (w + 1) / k - n * w / k;
}

struct unpadded_slot {
  std::atomic<std::int64_t> value{0};
};
struct alignas(64) padded_slot {
  std::atomic<std::int64_t> value{0};
};

// Single-writer increment: only worker w touches its slot, so a relaxed load and store
// suffice, and each increment still goes to memory, where the cache line is contended.
template <class Slot>
void bump(Slot& slot, std::int64_t times) {
  for (std::int64_t i = 0; i < times; ++i)
    slot.value.store(slot.value.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

enum class way { unsynchronised, mutex, atomic, sharded, false_sharing, padded };

// One run: n increments over k threads; returns the final count.
std::int64_t count(way how, int k, std::int64_t n) {
  std::atomic<std::int64_t> shared{0};
  std::mutex lock;
  std::int64_t locked_count = 0;
  std::vector<unpadded_slot> slots(static_cast<std::size_t>(k));
  std::vector<padded_slot> padded(static_cast<std::size_t>(k));
  cbb::run_threads(k, [&](int w) {
    const std::int64_t times = share(w, k, n);
    switch (how) {
      case way::unsynchronised:
        for (std::int64_t i = 0; i < times; ++i)
          shared.store(shared.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        break;
      case way::mutex:
        for (std::int64_t i = 0; i < times; ++i) {
          const std::lock_guard hold(lock);
          ++locked_count;
        }
        break;
      case way::atomic:
        for (std::int64_t i = 0; i < times; ++i) shared.fetch_add(1, std::memory_order_relaxed);
        break;
      case way::sharded: {
        std::int64_t local = 0;
        for (std::int64_t i = 0; i < times; ++i) {
          ++local;
          opaque(local);  // one increment per event, not one add of `times`
        }
        shared.fetch_add(local, std::memory_order_relaxed);
        break;
      }
      case way::false_sharing:
        bump(slots[static_cast<std::size_t>(w)], times);
        break;
      case way::padded:
        bump(padded[static_cast<std::size_t>(w)], times);
        break;
    }
  });
  std::int64_t total = shared.load() + locked_count;
  for (const auto& s : slots) total += s.value.load();
  for (const auto& s : padded) total += s.value.load();
  return total;
}

void counters_sequential(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  std::int64_t local = 0;
  for (auto _ : state) {
    local = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      ++local;
      opaque(local);
    }
  }
  cbb::report(state, 1, n);
  if (local != n) state.SkipWithError("the sequential count is wrong");
}

template <way How>
void counters(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t n = state.range(1);
  std::int64_t lost = 0;
  std::int64_t result = n;
  for (auto _ : state) {
    result = count(How, k, n);
    lost += n - result;
  }
  cbb::report(state, k, n);
  if (How == way::unsynchronised) {
    // The expected wrong answer: report how wrong, averaged over the iterations.
    state.counters["lost_fraction"] =
        static_cast<double>(lost) /
        (static_cast<double>(n) * static_cast<double>(state.iterations()));
  } else if (result != n) {
    state.SkipWithError(
        ("counted " + std::to_string(result) + ", not " + std::to_string(n)).c_str());
  }
}

void sequential_args(benchmark::internal::Benchmark* b) {
  cbb::add_sizes(b, "increments", kIncrements);
}
void series_args(benchmark::internal::Benchmark* b) {
  cbb::add_series(b, "increments", kIncrements);
}

}  // namespace

BENCHMARK(counters_sequential)
    ->Name("counters/sequential")
    ->Apply(sequential_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(counters<way::unsynchronised>)
    ->Name("counters/unsynchronised/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(counters<way::mutex>)
    ->Name("counters/mutex/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(counters<way::atomic>)
    ->Name("counters/atomic/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(counters<way::sharded>)
    ->Name("counters/sharded/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(counters<way::false_sharing>)
    ->Name("counters/false_sharing/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(counters<way::padded>)
    ->Name("counters/padded/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
