// global_lock_serialisation, fixed: each worker sums its primes into a variable of its own and
// takes the global lock once, at the end, to add its result to the total. The trial divisions
// run outside the lock, on every core at once.
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

// The reference answer, by a sieve.
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

// CPU time the calling thread has used so far.
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
      std::uint64_t mine = 0;  // FIX: a partial sum of its own, touched by this worker only
      for (std::uint64_t b = static_cast<std::uint64_t>(w); b < blocks; b += stride) {
        for (std::uint64_t n = b * block; n < std::min(limit, (b + 1) * block); ++n)
          if (is_prime(n)) mine += n;
      }
      {
        cb::lock_guard hold(big_lock);  // the lock is taken once, only to merge
        const double in = thread_cpu_ms();
        total += mine;
        held_ms += thread_cpu_ms() - in;
      }
      worker_ms[static_cast<std::size_t>(w)] = thread_cpu_ms() - start;
    });
  }
  for (auto& t : pool) t.join();

  // The least time this run could take with a core per worker (see broken.cpp).
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
    .title = "workers compute into partial sums and take the lock once, to merge",
    .category = "performance",
    .expectations = {cb::expect::skip("model",
                                      "a performance case: the model has no time and no cores to "
                                      "measure (the perf detector grades it)"),
                     cb::expect::skip(
                         "property",
                         "a performance bug: every answer is right, and perf grades the cost")},
    // One worker per core, and at least two.
    .defaults = {.threads = std::max(2, static_cast<int>(cb::thread::hardware_concurrency())),
                 .extra = {{"limit", 1'000'000}, {"block", 10'000}}},
    .run = run,
});
