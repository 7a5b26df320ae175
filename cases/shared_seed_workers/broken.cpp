// shared_seed_workers, broken: a Monte Carlo estimate of pi split over worker processes. The
// program seeds its random generator once, from the run's seed, and then forks the workers. fork()
// copies the generator's state into every child, so every worker draws exactly the same "random"
// points. The workers do N times the work and the estimate is no better than one worker's: its
// error does not shrink as workers are added.
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

  // BUG: one generator, seeded once, before the fork. Each child gets a copy of its state, so each
  // child's first draw is the same number, and so is every draw after it.
  std::mt19937_64 rng(p.seed);  // casebook-bug: seeded once, then copied into every child

  std::vector<pid_t> children;
  std::string trouble;
  for (int w = 0; w < workers; ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      results[w] = throw_points(rng, points);  // casebook-bug: every child draws the same stream
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
    .title = "Monte Carlo pi over forked workers that all inherit one seeded generator",
    .category = "process",
    .expectations = {cb::expect::skip("model",
                                      "a process case (fork, pipes, shared memory): the model "
                                      "schedules the threads of one process, not processes"),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("property", {"counterexample"})},
    .defaults = {.threads = 1, .iterations = 100000, .extra = {{"workers", 4}}},
    .vary = {{"iterations", 1, 100000}, {"workers", 1, 6}},
    .inputs_decide_failure = true,
    .run = run,
});
