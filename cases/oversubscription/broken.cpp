// oversubscription, broken: a heat-diffusion solver cuts a rod into 100 chunks and starts one
// thread per chunk. Every time step ends at a barrier, so a step is over only when all 100
// threads have run their few microseconds of arithmetic. On a 2-core machine that means about
// a hundred context switches per step: the answer is right, and the solver takes an order of
// magnitude more time, and burns an order of magnitude more CPU, than the same work on one
// thread per core.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

namespace {

using grid = std::vector<double>;

// One explicit time step of the heat equation over cells [from, to) of the rod.
void step_cells(const grid& now, grid& next, std::int64_t from, std::int64_t to) {
  for (std::int64_t i = from; i < to; ++i)
    next[i] = now[i] + 0.25 * (now[i - 1] - 2 * now[i] + now[i + 1]);
}

// A rod of `cells` cells at 0 degrees, its left end held at 100 degrees and its right end at
// 0 (the two extra cells, which never change).
grid initial_rod(std::int64_t cells) {
  grid rod(static_cast<std::size_t>(cells + 2), 0.0);
  rod.front() = 100.0;
  return rod;
}

// CPU time used so far by all the threads of this process, exited ones included, in user
// and kernel mode: the context switches and futex calls count, time spent waiting does not.
double process_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

cb::outcome run(const cb::params& p) {
  const std::int64_t cells = p.get("cells", 20'000);
  const std::int64_t steps = p.iterations;
  const std::int64_t chunks = p.threads;                   // the rod is cut into this many chunks
  grid rod[2] = {initial_rod(cells), initial_rod(cells)};  // step s reads rod[s % 2]

  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_ms();
  // BUG: one thread per chunk of the problem, whatever the machine has: 100 runnable threads
  // for 2 cores. At every step's barrier, each of them must be scheduled before anyone goes on.
  cb::barrier step_done(chunks);  // casebook-bug: all 100 threads must meet here every step
  std::vector<cb::thread> threads;
  for (std::int64_t c = 0; c < chunks; ++c) {
    threads.emplace_back([&, c] {  // casebook-bug: one thread per chunk: 100 threads on 2 cores
      const std::int64_t from = 1 + cells * c / chunks, to = 1 + cells * (c + 1) / chunks;
      for (std::int64_t s = 0; s < steps; ++s) {
        step_cells(rod[s % 2], rod[(s + 1) % 2], from, to);
        step_done.arrive_and_wait();  // step s+1 reads the neighbours' cells of step s
      }
    });
  }
  for (auto& t : threads) t.join();
  const double solve_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const double solve_cpu_ms = process_cpu_ms() - cpu_start;

  // The check (not timed): the same steps on one thread give the same rod, bit for bit.
  grid ref[2] = {initial_rod(cells), initial_rod(cells)};
  for (std::int64_t s = 0; s < steps; ++s) step_cells(ref[s % 2], ref[(s + 1) % 2], 1, cells + 1);
  std::int64_t differ = 0;
  for (std::int64_t i = 0; i < cells + 2; ++i) differ += rod[steps % 2][i] != ref[steps % 2][i];

  cb::outcome o =
      cb::outcome::equal("cells differing from a sequential solve", differ, std::int64_t{0});
  o.metrics["solve_ms"] = solve_ms;
  o.metrics["solve_cpu_ms"] = solve_cpu_ms;
  o.note = std::to_string(chunks) + " threads for " + std::to_string(chunks) + " chunks, " +
           std::to_string(steps) + " steps in " + std::to_string(solve_ms) + " ms (" +
           std::to_string(solve_cpu_ms) + " ms of CPU)";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "a stepped solver runs one thread per chunk: 100 threads meet at a barrier per step",
    .category = "performance",
    .expectations = {cb::expect::false_positive(
                         "helgrind", {"data-race"},
                         "cb::barrier is std::barrier, which libstdc++ builds from atomics and "
                         "futex waits, not pthread calls: Helgrind does not see that each step's "
                         "writes happen before the next step's reads across the barrier, and "
                         "reports the cells neighbouring threads share as races"),
                     cb::expect::false_positive(
                         "drd", {"data-race"},
                         "cb::barrier is std::barrier, which libstdc++ builds from atomics and "
                         "futex waits, not pthread calls: DRD does not see that each step's writes "
                         "happen before the next step's reads across the barrier, and reports the "
                         "cells neighbouring threads share as races"),
                     cb::expect::skip("model",
                                      "a performance case: the model has no time and no cores to "
                                      "measure (the perf detector grades it)"),
                     cb::expect::finds("perf", {"slowdown"}),
                     cb::expect::skip(
                         "property",
                         "a performance bug: every answer is right, and perf grades the cost")},
    .defaults = {.threads = 100, .iterations = 300, .extra = {{"cells", 20'000}}},
    // Valgrind runs every thread one at a time, 50-500x slower: 8 chunks meeting at a barrier for
    // 20 steps are enough for what its tools say here (the barrier they cannot see).
    .small = {.threads = 8, .iterations = 20, .extra = {{"cells", 1'600}}},
    .perf_ratio = 5,
    // The CPU the solve burns, not its wall time: the switches cost CPU on any machine, but
    // when other programs hold every core, the pool of the fixed variant also waits for a
    // core at each barrier, and the wall times of both variants converge.
    .perf_metric = "solve_cpu_ms",
    .run = run,
});
