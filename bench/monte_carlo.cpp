// monte_carlo.cpp - pi by Monte Carlo: throw points into the unit square, count those inside
// the quarter circle. Each worker owns its generator, seeded with its own seed (base + worker
// index): sharing one generator is a data race (cases/shared_rng), and forked workers that
// inherit one seeded generator all draw the same points (cases/shared_seed_workers).
//
// Self-check: the estimate's standard error is 4 * sqrt(p(1-p)/S) ~ 1.64/sqrt(S) for S
// samples (p = pi/4); a result more than 5 standard errors from pi fails the run. The seeds
// are fixed, so a run that passes once passes always.
#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "common.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kSamples{.tiny = 100'000, .small = 2'000'000, .full = 50'000'000};
constexpr std::uint64_t kSeedBase = 20240607;

// A uniform double in [0, 1) from the top 53 bits of one draw. Not
// std::uniform_real_distribution: libstdc++'s generate_canonical computes logarithms on every
// call, which made a sample cost ~200 ns instead of ~10 ns and timed the library, not the work.
double uniform(std::mt19937_64& gen) {
  return static_cast<double>(gen() >> 11) * 0x1.0p-53;
}

// Hits among worker w's share of `samples` points, from worker w's own generator.
std::int64_t hits(int w, int k, std::int64_t samples) {
  std::mt19937_64 gen(kSeedBase + static_cast<std::uint64_t>(w));
  const std::int64_t count = samples * (w + 1) / k - samples * w / k;
  std::int64_t inside = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    const double x = uniform(gen);
    const double y = uniform(gen);
    inside += (x * x + y * y <= 1.0) ? 1 : 0;
  }
  return inside;
}

void check(benchmark::State& state, std::int64_t inside, std::int64_t samples) {
  const double s = static_cast<double>(samples);
  const double pi = 4.0 * static_cast<double>(inside) / s;
  const double p = std::numbers::pi / 4;
  const double standard_error = 4.0 * std::sqrt(p * (1 - p) / s);
  state.counters["abs_error"] = std::abs(pi - std::numbers::pi);
  if (!(std::abs(pi - std::numbers::pi) <= 5 * standard_error))
    state.SkipWithError(
        ("pi estimate " + std::to_string(pi) + " is beyond 5 standard errors").c_str());
}

void monte_carlo_sequential(benchmark::State& state) {
  const std::int64_t samples = state.range(0);
  std::int64_t inside = 0;
  for (auto _ : state) {
    inside = hits(0, 1, samples);
    benchmark::DoNotOptimize(inside);
  }
  cbb::report(state, 1, samples);
  check(state, inside, samples);
}

void monte_carlo_threads(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t samples = state.range(1);
  std::int64_t inside = 0;
  for (auto _ : state) {
    std::vector<std::int64_t> partial(static_cast<std::size_t>(k));
    cbb::run_threads(k, [&](int w) { partial[static_cast<std::size_t>(w)] = hits(w, k, samples); });
    inside = 0;
    for (const auto p : partial) inside += p;
  }
  cbb::report(state, k, samples);
  check(state, inside, samples);
}

void monte_carlo_processes(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t samples = state.range(1);
  const double cpu_before = cbb::children_cpu_seconds();
  std::int64_t inside = 0;
  std::string error;
  for (auto _ : state) {
    const auto partial = cbb::fork_workers<std::int64_t>(
        k, [&](int w) { return hits(w, k, samples); }, error);
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
    inside = 0;
    for (const auto p : partial) inside += p;
  }
  if (state.error_occurred()) return;
  state.counters["children_cpu_s"] = benchmark::Counter(cbb::children_cpu_seconds() - cpu_before,
                                                        benchmark::Counter::kAvgIterations);
  cbb::report(state, k, samples);
  check(state, inside, samples);
}

void sequential_args(benchmark::internal::Benchmark* b) {
  cbb::add_sizes(b, "samples", kSamples);
}
void series_args(benchmark::internal::Benchmark* b) {
  cbb::add_series(b, "samples", kSamples);
}

}  // namespace

BENCHMARK(monte_carlo_sequential)
    ->Name("monte_carlo/sequential")
    ->Apply(sequential_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(monte_carlo_threads)
    ->Name("monte_carlo/threads")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(monte_carlo_processes)
    ->Name("monte_carlo/processes")
    ->Apply(series_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
