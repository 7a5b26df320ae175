// simpson.cpp - pi by Simpson's rule, 4 * integral_0^1 sqrt(1 - x^2) dx, the lectures' first
// pleasingly parallel workload: the intervals are split into equal contiguous ranges, one per
// worker, and only one double per worker comes back. Sequential, threads and forked processes.
//
// Self-check: with n intervals the error of this integrand is about 0.46 * n^-1.5 (the
// integrand's slope is infinite at x = 1, so Simpson loses its usual n^-4); a result further
// than max(n^-1.5, 1e-12) from pi fails the run.
#include <cmath>
#include <numbers>
#include <string>

#include "common.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kIntervals{.tiny = 100'000, .small = 10'000'000, .full = 100'000'000};

double f(double x) {
  return std::sqrt(1.0 - x * x);
}

// Simpson's weighted sum (1, 4, 2, 4, ..., 4, 1) over interval pairs [first, last) of n
// intervals, not yet multiplied by h/3. Adjacent ranges share an end point, and each range
// counts its end points with weight 1, so the partial sums add up to the whole sum.
double weighted_sum(std::int64_t first_pair, std::int64_t last_pair, std::int64_t n) {
  const double h = 1.0 / static_cast<double>(n);
  const auto x = [h](std::int64_t i) { return static_cast<double>(i) * h; };
  double sum = f(x(2 * first_pair)) + f(x(2 * last_pair));
  for (std::int64_t i = 2 * first_pair + 1; i < 2 * last_pair; i += 2) sum += 4.0 * f(x(i));
  for (std::int64_t i = 2 * first_pair + 2; i < 2 * last_pair; i += 2) sum += 2.0 * f(x(i));
  return sum;
}

// Worker w of k gets pairs [w*m/k, (w+1)*m/k) of the m = n/2 pairs: equal shares, +-1 pair.
double share(int w, int k, std::int64_t n) {
  const std::int64_t pairs = n / 2;
  return weighted_sum(pairs * w / k, pairs * (w + 1) / k, n);
}

void check(benchmark::State& state, double sum, std::int64_t n) {
  const double pi = 4.0 * sum / (3.0 * static_cast<double>(n));
  const double error = std::abs(pi - std::numbers::pi);
  state.counters["abs_error"] = error;
  if (!(error <= std::max(std::pow(static_cast<double>(n), -1.5), 1e-12)))
    state.SkipWithError(("pi off by " + std::to_string(error)).c_str());
}

void simpson_sequential(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  double sum = 0;
  for (auto _ : state) {
    sum = share(0, 1, n);
    benchmark::DoNotOptimize(sum);
  }
  cbb::report(state, 1, n);
  check(state, sum, n);
}

void simpson_threads(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t n = state.range(1);
  double sum = 0;
  for (auto _ : state) {
    std::vector<double> partial(static_cast<std::size_t>(k));
    cbb::run_threads(k, [&](int w) { partial[static_cast<std::size_t>(w)] = share(w, k, n); });
    sum = 0;
    for (const double p : partial) sum += p;
  }
  cbb::report(state, k, n);
  check(state, sum, n);
}

void simpson_processes(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t n = state.range(1);
  const double cpu_before = cbb::children_cpu_seconds();
  double sum = 0;
  std::string error;
  for (auto _ : state) {
    const auto partial = cbb::fork_workers<double>(
        k, [&](int w) { return share(w, k, n); }, error);
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
    sum = 0;
    for (const double p : partial) sum += p;
  }
  if (state.error_occurred()) return;
  state.counters["children_cpu_s"] = benchmark::Counter(cbb::children_cpu_seconds() - cpu_before,
                                                        benchmark::Counter::kAvgIterations);
  cbb::report(state, k, n);
  check(state, sum, n);
}

void sequential_args(benchmark::internal::Benchmark* b) {
  cbb::add_sizes(b, "points", kIntervals);
}
void series_args(benchmark::internal::Benchmark* b) {
  cbb::add_series(b, "points", kIntervals);
}

}  // namespace

// Real time for all: the speedup of a fan-out is wall-clock time saved; process CPU time shows
// the total work of all threads (children's CPU is the separate counter children_cpu_s).
BENCHMARK(simpson_sequential)
    ->Name("simpson/sequential")
    ->Apply(sequential_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(simpson_threads)
    ->Name("simpson/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(simpson_processes)
    ->Name("simpson/processes")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
