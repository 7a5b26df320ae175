// gil.cpp - the GIL analogue: the chunked prime work of primes.cpp, but every worker holds one
// global lock while it works on a unit, as a CPython thread holds the global interpreter lock
// while it runs bytecode. The lectures' central lesson, in C++:
//
//   primes/gil/threads    all threads share the one lock, so only one computes at a time:
//                         the series stays flat (or gets worse: the lock hand-offs cost),
//                         as the lectures' Python threads took 25.5 s on one and 28 s on two;
//   primes/gil/processes  each forked child has its own copy of the lock, which nobody else
//                         takes, so processes scale like primes/chunks/processes
//                         (the lectures: 27, 19, 18 s on 1, 2, 3 processes).
//
// A unit is 4096 numbers, a fraction of a millisecond of work: the lock changes hands about as
// often as CPython's 5 ms switch interval lets the GIL, give or take. Self-check: the exact sums.
#include <mutex>
#include <string>

#include "common.hpp"
#include "primes.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kLimit{.tiny = 30'000, .small = 300'000, .full = 3'000'000};
constexpr std::uint32_t kBlock = 4096;

// The "interpreter lock": one per process. A forked child gets its own copy, unlocked (the
// parent never holds it while forking).
std::mutex interpreter_lock;

cbb::prime_sums locked_share(int w, int k, const std::vector<cbb::prime_unit>& units) {
  cbb::prime_sums sums{};
  for (std::size_t i = static_cast<std::size_t>(w); i < units.size();
       i += static_cast<std::size_t>(k)) {
    const std::lock_guard hold(interpreter_lock);  // released after each unit, like the GIL
    sums[static_cast<std::size_t>(units[i].task)] += cbb::sum_primes(units[i].lo, units[i].hi);
  }
  return sums;
}

void gil_threads(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t limit = state.range(1);
  const auto units = cbb::prime_units(limit, kBlock);
  cbb::prime_sums sums{};
  for (auto _ : state) {
    std::vector<cbb::prime_sums> parts(static_cast<std::size_t>(k));
    cbb::run_threads(
        k, [&](int w) { parts[static_cast<std::size_t>(w)] = locked_share(w, k, units); });
    sums = cbb::add_sums(parts);
  }
  cbb::report(state, k, cbb::prime_items(limit));
  cbb::check_prime_sums(state, sums, limit);
}

void gil_processes(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t limit = state.range(1);
  const auto units = cbb::prime_units(limit, kBlock);
  const double cpu_before = cbb::children_cpu_seconds();
  cbb::prime_sums sums{};
  for (auto _ : state) {
    std::string error;
    const auto parts = cbb::fork_workers<cbb::prime_sums>(
        k, [&](int w) { return locked_share(w, k, units); }, error);
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
    sums = cbb::add_sums(parts);
  }
  if (state.error_occurred()) return;
  state.counters["children_cpu_s"] = benchmark::Counter(cbb::children_cpu_seconds() - cpu_before,
                                                        benchmark::Counter::kAvgIterations);
  cbb::report(state, k, cbb::prime_items(limit));
  cbb::check_prime_sums(state, sums, limit);
}

void series_args(benchmark::internal::Benchmark* b) {
  cbb::add_series(b, "limit", kLimit);
}

}  // namespace

// The sequential baseline is primes/sequential (primes.cpp): the same numbers, no lock.
BENCHMARK(gil_threads)
    ->Name("primes/gil/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(gil_processes)
    ->Name("primes/gil/processes")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
