// primes.cpp - sum the primes <= 1M, 2M and 3M by trial division (primes.hpp), the lectures'
// CPU-bound workload, in two shapes:
//
//   primes/tasks/...   the lectures' shape: three tasks, task t on worker t % k. The tasks
//                      cost about 1 : 2.6 : 4.6 (n^1.5 / ln n), so 2 workers (one gets 1M and
//                      3M, the other 2M) can do no better than 8.2/5.6 = 1.46x (73% efficiency),
//                      and 3 workers no better than 8.2/4.6 = 1.8x: the 3M task alone is the
//                      critical path. Load imbalance, not overhead; the lectures' Python
//                      processes show the same (27 s, 19 s, 18 s: 1.42x and 1.5x).
//   primes/chunks/...  the same numbers cut into units of 4096, interleaved across workers:
//                      the pleasingly parallel version, which scales with the cores.
//
// Sequential, threads and forked processes. Self-check: the exact sums (primes.hpp).
#include <string>

#include "common.hpp"
#include "primes.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kLimit{.tiny = 30'000, .small = 300'000, .full = 3'000'000};
constexpr std::uint32_t kBlock = 4096;

// Worker w's share in the task shape: the whole tasks t with t % k == w.
cbb::prime_sums task_share(int w, int k, std::int64_t limit) {
  cbb::prime_sums sums{};
  for (int t = w; t < cbb::kPrimeTasks; t += k)
    sums[static_cast<std::size_t>(t)] = cbb::sum_primes(2, cbb::task_limit(limit, t));
  return sums;
}

// Worker w's share in the chunk shape: units w, w+k, w+2k, ...
cbb::prime_sums chunk_share(int w, int k, const std::vector<cbb::prime_unit>& units) {
  cbb::prime_sums sums{};
  for (std::size_t i = static_cast<std::size_t>(w); i < units.size();
       i += static_cast<std::size_t>(k))
    sums[static_cast<std::size_t>(units[i].task)] += cbb::sum_primes(units[i].lo, units[i].hi);
  return sums;
}

void primes_sequential(benchmark::State& state) {
  const std::int64_t limit = state.range(0);
  cbb::prime_sums sums{};
  for (auto _ : state) {
    sums = task_share(0, 1, limit);
    benchmark::DoNotOptimize(sums);
  }
  cbb::report(state, 1, cbb::prime_items(limit));
  cbb::check_prime_sums(state, sums, limit);
}

// Runs share(w) on k threads (Processes = false) or k forked children and checks the sums.
template <bool Processes, class Share>
void fan_out(benchmark::State& state, int k, std::int64_t limit, Share share) {
  const double cpu_before = cbb::children_cpu_seconds();
  cbb::prime_sums sums{};
  for (auto _ : state) {
    if constexpr (Processes) {
      std::string error;
      const auto parts = cbb::fork_workers<cbb::prime_sums>(k, share, error);
      if (!error.empty()) {
        state.SkipWithError(error.c_str());
        break;
      }
      sums = cbb::add_sums(parts);
    } else {
      std::vector<cbb::prime_sums> parts(static_cast<std::size_t>(k));
      cbb::run_threads(k, [&](int w) { parts[static_cast<std::size_t>(w)] = share(w); });
      sums = cbb::add_sums(parts);
    }
  }
  if (state.error_occurred()) return;
  if (Processes)
    state.counters["children_cpu_s"] = benchmark::Counter(cbb::children_cpu_seconds() - cpu_before,
                                                          benchmark::Counter::kAvgIterations);
  cbb::report(state, k, cbb::prime_items(limit));
  cbb::check_prime_sums(state, sums, limit);
}

template <bool Processes>
void primes_tasks(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t limit = state.range(1);
  fan_out<Processes>(state, k, limit, [&](int w) { return task_share(w, k, limit); });
}

template <bool Processes>
void primes_chunks(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t limit = state.range(1);
  const auto units = cbb::prime_units(limit, kBlock);
  fan_out<Processes>(state, k, limit, [&](int w) { return chunk_share(w, k, units); });
}

void sequential_args(benchmark::internal::Benchmark* b) {
  cbb::add_sizes(b, "limit", kLimit);
}
void series_args(benchmark::internal::Benchmark* b) {
  cbb::add_series(b, "limit", kLimit);
}

}  // namespace

BENCHMARK(primes_sequential)
    ->Name("primes/sequential")
    ->Apply(sequential_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(primes_tasks<false>)
    ->Name("primes/tasks/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(primes_tasks<true>)
    ->Name("primes/tasks/processes")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(primes_chunks<false>)
    ->Name("primes/chunks/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(primes_chunks<true>)
    ->Name("primes/chunks/processes")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
