// global_lock_serialisation, broken: workers sum the primes below a limit by trial division,
// each over its own blocks of numbers, and add every prime to one shared total. The total is
// guarded by one global lock, and each worker holds that lock for a whole block, the testing
// included, the way a Python thread holds the interpreter lock while it runs. Only one worker
// computes at a time: the answer is right, and the threads buy no speedup at all.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

namespace {

bool is_prime(std::uint64_t n) {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  for (std::uint64_t d = 3; d * d <= n; d += 2)
    if (n % d == 0) return false;
  return true;
}

// The reference answer, by a sieve: another method, so the check is independent.
std::uint64_t sum_of_primes_below(std::uint64_t limit) {
  std::vector<bool> composite(limit, false);
  std::uint64_t sum = 0;
  for (std::uint64_t n = 2; n < limit; ++n) {
    if (composite[n]) continue;
    sum += n;
    for (std::uint64_t m = n * n; m < limit; m += n) composite[m] = true;
  }
  return sum;
}

// CPU time the calling thread has used so far. Unlike wall time it does not grow while the
// thread waits for the lock or for a core, so it measures work, whatever else the machine runs.
double thread_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

cb::outcome run(const cb::params& p) {
  const int workers = p.threads;
  const auto limit = static_cast<std::uint64_t>(p.get("limit", 1'000'000));
  const auto block = static_cast<std::uint64_t>(p.get("block", 10'000));
  const std::uint64_t blocks = (limit + block - 1) / block;
  // Worker w takes blocks w, w + stride, w + 2 * stride, ...: the blocks further out hold
  // bigger numbers, which take longer to test, so each worker gets some of those.
  const auto stride = static_cast<std::uint64_t>(workers);

  cb::mutex big_lock;
  std::uint64_t total = 0;  // guarded by big_lock
  double held_ms = 0;       // guarded by big_lock: CPU time spent holding it
  std::vector<double> worker_ms(static_cast<std::size_t>(workers));
  std::vector<cb::thread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      const double start = thread_cpu_ms();
      for (std::uint64_t b = static_cast<std::uint64_t>(w); b < blocks; b += stride) {
        // BUG: the lock is taken for the whole block because the block adds to `total`; the
        // trial divisions, which touch nothing shared, run under it too. Every other worker
        // waits here meanwhile.
        cb::lock_guard hold(big_lock);  // casebook-bug: held across the whole block's computing
        const double in = thread_cpu_ms();
        for (std::uint64_t n = b * block; n < std::min(limit, (b + 1) * block); ++n)
          if (is_prime(n)) total += n;  // casebook-bug: the trial divisions run under the lock
        held_ms += thread_cpu_ms() - in;
      }
      worker_ms[static_cast<std::size_t>(w)] = thread_cpu_ms() - start;
    });
  }
  for (auto& t : pool) t.join();

  // The least time this run could take with a core per worker: the work done under the lock
  // runs one worker at a time however many cores there are, and each worker's own work runs
  // on one core. On a machine with free cores the wall time approaches it.
  const double critical_path_ms =
      std::max(held_ms, *std::max_element(worker_ms.begin(), worker_ms.end()));

  cb::outcome o =
      cb::outcome::equal("sum of primes below limit", total, sum_of_primes_below(limit));
  o.metrics["critical_path_ms"] = critical_path_ms;
  o.note = std::to_string(workers) + " workers; " + std::to_string(held_ms) +
           " CPU ms under the lock; critical path " + std::to_string(critical_path_ms) + " ms";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "workers hold one global lock while they compute, so only one computes at a time",
    .category = "performance",
    .expectations = {cb::expect::skip("model",
                                      "a performance case: the model has no time and no cores to "
                                      "measure (the perf detector grades it)"),
                     cb::expect::finds("perf", {"slowdown"}),
                     cb::expect::skip(
                         "property",
                         "a performance bug: every answer is right, and perf grades the cost")},
    // One worker per core, and at least two.
    .defaults = {.threads = std::max(2, static_cast<int>(cb::thread::hardware_concurrency())),
                 .extra = {{"limit", 1'000'000}, {"block", 10'000}}},
    .perf_ratio = 1.5,
    .perf_metric = "critical_path_ms",
    .run = run,
});
