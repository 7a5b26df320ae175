// shared_rng, fixed: every worker owns its generator, seeded from the run's seed and the
// worker's index through std::seed_seq. No generator is shared, so nothing races, and each
// worker's stream of numbers depends only on (seed, index): the estimate no longer depends on
// how the threads were scheduled.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

// Throws `points` points and counts the ones inside the quarter circle x^2 + y^2 <= 1.
std::int64_t throw_points(std::mt19937& gen, std::int64_t points) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::int64_t inside = 0;
  for (std::int64_t i = 0; i < points; ++i) {
    const double x = unit(gen);
    const double y = unit(gen);
    if (x * x + y * y <= 1.0) ++inside;
  }
  return inside;
}

// Worker t's own generator. seed_seq spreads (seed, t) over the whole 624-word state, so the
// workers' streams are unrelated even though their seeds differ only in t.
std::mt19937 generator_for(std::uint64_t seed, int t) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(t)};
  return std::mt19937(seq);
}

// The estimate with `threads` workers, each drawing from its own generator.
std::int64_t parallel_hits(const cb::params& p) {
  std::vector<std::int64_t> hits(static_cast<std::size_t>(p.threads), 0);
  cb::atomic<bool> go{false};  // start gate, so the workers draw at the same time
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 gen = generator_for(p.seed, t);  // this worker's alone
      while (!go.load()) cb::this_thread::yield();
      hits[static_cast<std::size_t>(t)] = throw_points(gen, p.iterations);
    });
  }
  go.store(true);
  for (auto& w : workers) w.join();
  std::int64_t total = 0;
  for (const std::int64_t h : hits) total += h;
  return total;
}

// The same workers with the same seed, run one after another on this thread: what the
// program computes when nothing overlaps. A result that depends only on the seed equals it.
std::int64_t sequential_hits(const cb::params& p) {
  std::int64_t total = 0;
  for (int t = 0; t < p.threads; ++t) {
    std::mt19937 gen = generator_for(p.seed, t);
    total += throw_points(gen, p.iterations);
  }
  return total;
}

cb::outcome run(const cb::params& p) {
  const std::int64_t points = std::int64_t{p.threads} * p.iterations;
  const std::int64_t parallel = parallel_hits(p);
  const std::int64_t replay = sequential_hits(p);
  cb::outcome o = cb::outcome::equal(
      "the estimate depends only on the seed: hits == hits of a one-thread replay", parallel,
      replay);
  o.note = "pi ~ " +
           std::to_string(4.0 * static_cast<double>(parallel) / static_cast<double>(points)) +
           " from " + std::to_string(points) + " points; the replay gives " +
           std::to_string(4.0 * static_cast<double>(replay) / static_cast<double>(points));
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same Monte Carlo workers, each with its own seed_seq-seeded std::mt19937",
    .category = "race",
    .expectations = {cb::expect::clean("model")},
    .defaults = {.threads = 4, .iterations = 30000},
    .small = {.threads = 2, .iterations = 200},
    .vary = {{"threads", 1, 8}, {"iterations", 1, 30000}},
    .run = run,
});
