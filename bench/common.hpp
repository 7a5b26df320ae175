// common.hpp - what every casebook benchmark shares: the problem-size scale, the worker
// series, fanning work out to threads or forked processes, and the counters each run reports.
//
// Naming convention (bench/summarise.py relies on it): a benchmark is called
// `<workload>[/<variant>]/<mode>` with mode `sequential`, `threads` or `processes`, and its
// arguments are named (`workers:2/points:100000000`). Every run sets a `workers` counter, so a
// series is all runs of one workload, variant, mode and size, ordered by workers.
//
// Sizes come from the environment variable CASEBOOK_BENCH_SCALE, read once while the
// benchmarks register (before main): `full` (the default: the sizes, plus the short
// ones so a full run can still be compared with the short Python reference), `short` (the CI
// pass, about 1/10 to 1/30 of the work) or `tiny` (tests: just enough to run every code path).
//
// Thread-safety: everything here is called from the benchmark's own thread; run_threads and
// fork_workers call the given body concurrently from k threads or k children.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <casebook/crossing.hpp>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace casebook::bench {

enum class scale { tiny, small, full };

// The scale chosen by CASEBOOK_BENCH_SCALE (tiny, short or full; full when unset). An unknown
// value prints a message and exits 2: a typo must not silently run the 10-minute pass.
scale current_scale();
const char* scale_name(scale s);

// One problem size per scale. Under `full` both the short and the full size run.
struct sizes {
  std::int64_t tiny;
  std::int64_t small;
  std::int64_t full;
};
std::vector<std::int64_t> selected(const sizes& s);

// Worker counts of every threads/processes series: 1, 2, ... up to max(4, cores) (at most 8
// densely), then doubling to 2x the cores. On a 2-core machine that is 1, 2, 3, 4: the last two
// oversubscribe the cores on purpose, to show what that costs.
std::vector<int> worker_counts();

// Registers Args({workers, size}) for every worker count and selected size, named
// `workers:<w>/<size_name>:<size>`.
void add_series(benchmark::internal::Benchmark* b, const char* size_name, const sizes& s);
// Registers Args({size}) for a sequential baseline, named `<size_name>:<size>`.
void add_sizes(benchmark::internal::Benchmark* b, const char* size_name, const sizes& s);

// Sets the `workers` counter and items_per_second (items done per iteration).
void report(benchmark::State& state, int workers, std::int64_t items_per_iteration);

// Runs body(i) on k new threads, i in [0, k), and joins them. Creating k threads costs about
// 10-50 us, negligible against the workloads timed with it (tens of ms and up).
template <class Body>
void run_threads(int k, Body body) {
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) threads.emplace_back(body, i);
  for (auto& t : threads) t.join();
}

// Runs body(i) in k forked children, i in [0, k); each sends its result (a record that can
// cross a process boundary, see casebook/crossing.hpp) back through its own pipe and _exits,
// so no atexit handler or stdio buffer of the parent runs twice. Returns the k results in
// order, or an empty vector with `error` set when a fork, a pipe or a child failed.
//
// Must be called while the process has no other threads: only the forking thread exists in
// the child, so a lock another thread held at fork time would stay locked there forever.
template <class T, class Body>
std::vector<T> fork_workers(int k, Body body, std::string& error) {
  std::vector<pid_t> pids;
  std::vector<int> fds;
  for (int i = 0; i < k; ++i) {
    int fd[2];
    if (::pipe(fd) != 0) {
      error = "pipe() failed";
      break;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fd[0]);
      const T result = body(i);
      ::_exit(cb::send_record(fd[1], result) ? 0 : 1);
    }
    ::close(fd[1]);
    if (pid < 0) {
      ::close(fd[0]);
      error = "fork() failed";
      break;
    }
    pids.push_back(pid);
    fds.push_back(fd[0]);
  }
  std::vector<T> results;
  for (std::size_t i = 0; i < pids.size(); ++i) {
    const auto result = cb::receive_record<T>(fds[i]);
    ::close(fds[i]);
    int status = 0;
    ::waitpid(pids[i], &status, 0);
    if (!result || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      if (error.empty()) error = "a worker process died or sent nothing";
    } else {
      results.push_back(*result);
    }
  }
  if (!error.empty()) results.clear();
  return results;
}

// CPU seconds used so far by this process's waited-for children. Process CPU time
// (MeasureProcessCPUTime) leaves children out, so the processes series add the difference as
// the counter `children_cpu_s` per iteration.
double children_cpu_seconds();

}  // namespace casebook::bench
