// shared_seed_workers, fixed: the same Monte Carlo estimate over the same forked workers, but each
// worker seeds a generator of its own after the fork, from std::seed_seq{run seed, worker index}.
// The streams are distinct (and still reproducible from the run's seed), so N workers really throw
// N times as many points and the error shrinks like 1/sqrt(N).
//
// This case uses POSIX directly (fork, mmap, waitpid); the controlled scheduler does not apply.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

constexpr const char* kInvariant = "distinct random streams == workers";

// What one worker reports back, through shared memory.
struct result {
  std::int64_t hits;          // points that fell inside the quarter circle
  std::uint64_t first_draws;  // a fingerprint of the worker's first few draws
};

// Throws `points` random points into the unit square and counts those inside the quarter circle.
result throw_points(std::mt19937_64& rng, std::int64_t points) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  result r{0, 0};
  for (std::int64_t i = 0; i < points; ++i) {
    const double x = unit(rng);
    const double y = unit(rng);
    if (x * x + y * y <= 1.0) ++r.hits;
    if (i < 4) {  // remember how this worker's stream starts, to compare the streams later
      std::uint64_t bits;
      std::memcpy(&bits, &x, sizeof bits);
      r.first_draws = r.first_draws * 0x100000001b3ull ^ bits;
    }
  }
  return r;
}

std::string fixed_text(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

cb::outcome run(const cb::params& p) {
  const int workers = static_cast<int>(std::max<std::int64_t>(p.get("workers", 4), 1));
  const std::int64_t points = p.iterations;  // per worker
  const std::size_t bytes = sizeof(result) * static_cast<std::size_t>(workers);

  void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    cb::outcome o;
    o.invariant = kInvariant;
    o.holds = false;
    o.note = std::string("mmap failed: ") + std::strerror(errno);
    return o;
  }
  auto* results = static_cast<result*>(memory);

  std::vector<pid_t> children;
  std::string trouble;
  for (int w = 0; w < workers; ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      // FIX: a generator per worker, seeded from the run's seed AND the worker's index. seed_seq
      // mixes all its inputs into the whole engine state, so neighbouring indices give unrelated
      // streams (seeding with seed + w would give neighbouring seeds).
      std::seed_seq seeds{static_cast<std::uint32_t>(p.seed),
                          static_cast<std::uint32_t>(p.seed >> 32), static_cast<std::uint32_t>(w)};
      std::mt19937_64 rng(seeds);
      results[w] = throw_points(rng, points);
      ::_exit(0);
    }
    if (pid < 0) {
      trouble = std::string("fork failed: ") + std::strerror(errno);
      break;
    }
    children.push_back(pid);
  }

  // Reap every worker; none may outlive the run.
  int failed = 0;
  for (pid_t pid : children) {
    int status = 0;
    pid_t reaped;
    do {
      reaped = ::waitpid(pid, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    if (reaped != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }

  std::set<std::uint64_t> streams;
  std::int64_t hits = 0;
  for (std::size_t w = 0; w < children.size(); ++w) {
    streams.insert(results[w].first_draws);
    hits += results[w].hits;
  }
  const std::int64_t first_hits = children.empty() ? 0 : results[0].hits;
  ::munmap(memory, bytes);

  // The estimate, and the error it should have: the standard deviation of a hit-or-miss pi estimate
  // over n independent points is sqrt(pi * (4 - pi) / n).
  const double pi = std::numbers::pi;
  const double total = static_cast<double>(workers) * static_cast<double>(points);
  const double estimate = 4.0 * static_cast<double>(hits) / total;
  const double one_worker = 4.0 * static_cast<double>(first_hits) / static_cast<double>(points);
  const double sd_all = std::sqrt(pi * (4 - pi) / total);
  const double sd_one = std::sqrt(pi * (4 - pi) / static_cast<double>(points));

  cb::outcome o = cb::outcome::equal(kInvariant, static_cast<int>(streams.size()), workers);
  o.holds = o.holds && failed == 0 && trouble.empty();
  o.note = std::to_string(workers) + " workers x " + std::to_string(points) + " points: pi ~ " +
           fixed_text(estimate, 5) + " (error " + fixed_text(std::abs(estimate - pi), 5) +
           "), worker 0 alone: " + fixed_text(one_worker, 5) + " (error " +
           fixed_text(std::abs(one_worker - pi), 5) + "); expected error (1 sd) " +
           fixed_text(sd_all, 5) + " for all points, " + fixed_text(sd_one, 5) + " for one worker";
  if (failed != 0) o.note += "; " + std::to_string(failed) + " worker(s) failed";
  if (!trouble.empty()) o.note += "; " + trouble;
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same Monte Carlo pi, each worker seeding its own generator with seed_seq",
    .category = "process",
    .expectations = {cb::expect::skip("model",
                                      "a process case (fork, pipes, shared memory): the model "
                                      "schedules the threads of one process, not processes")},
    .defaults = {.threads = 1, .iterations = 100000, .extra = {{"workers", 4}}},
    .vary = {{"iterations", 1, 100000}, {"workers", 1, 6}},
    .run = run,
});
