// explore.hpp - the controlled scheduler's entry point: run a program written against the
// model facade under many schedules and report the first failing one, shrunk.
//
//   cb::model::options o;
//   o.strategy = "pct";
//   cb::model::exploration_result r = cb::model::explore([] { ...cb:: code... }, o);
//   if (r.failed) std::cout << r.failure.kind << " " << r.schedule << "\n";
//
// Values are sequentially consistent (a load reads the latest store; no reordering is
// explored), but happens-before honours memory_order: a relaxed atomic orders nothing, so a
// race that only a relaxed flag leaves open is reported; wrong values that need weak
// hardware ordering are out of reach.
// explore() is not reentrant and runs on the calling OS thread only; several OS threads may
// explore at the same time (all engine state is per exploration).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cb::model {

struct options {
  // random | pct | dfs | replay
  std::string strategy = "random";
  // random, pct: executions to try (the search stops at the first failure).
  std::size_t runs = 1000;
  // dfs: stop after this many executions even when the search is not finished.
  std::size_t max_executions = 100000;
  std::uint64_t seed = 1;
  int preemption_bound = 2;  // dfs
  int pct_depth = 3;         // pct: the bug depth d
  std::string schedule;      // replay: the schedule string to follow
  // An execution that reaches this many steps while threads can still run ends there. It is
  // a `livelock` only with evidence: every thread that can run spins (re-reads, from the same
  // call site, memory no thread has written since it last read it, or yields between such
  // reads) and nothing written could release it. Otherwise it is inconclusive: counted in
  // exploration_result::inconclusive, never a failure.
  std::size_t max_steps = 20000;
  // How many spurious condition-variable wake-ups one execution may choose (0: none).
  int spurious_wakeups = 0;
  // Fail an execution with `data-race` at the access that makes two conflicting cb::shared
  // accesses (at least one a write, unsafe_ref() counting as one) of different threads
  // unordered by happens-before. Off, races are only marked `racy` in the trace and the
  // execution goes on to whatever the race leads to (a lost update, an invariant violation).
  bool data_races = true;
  // Stop the search after this much wall time (0: no limit); dfs is then not exhaustive.
  double time_limit_seconds = 0;
  bool shrink = true;
  // Build the printable trace of the reported execution (costly for very long runs).
  bool keep_trace = true;
  std::size_t shrink_budget = 5000;  // replays the shrinker may spend
  std::size_t stack_size = 256 * 1024;
};

// One step of an interleaving: thread `thread` performed `operation` at file:line.
struct trace_step {
  std::size_t step = 0;
  int thread = 0;
  std::string operation;  // "lock mutex#1", "read shared#2", "join thread 1"
  std::string file;
  int line = 0;
  // The step is a shared-variable access concurrent (unordered by happens-before) with a
  // conflicting access of another thread: a step of interest in a race.
  bool racy = false;
  bool preemption = false;  // the scheduler switched here away from a thread that could run
};

struct failure_info {
  std::string kind;                  // data-race, deadlock, lost-wakeup, invariant-violated,
                                     // assertion-failed, unjoined-thread, mutex-misuse,
                                     // livelock, uncaught-exception
  std::string message;               // one line
  std::vector<std::string> details;  // per-thread state, locks held, the wait-for cycle
  // data-race: the two racing accesses, in TSan's order: the access that raced (the last step
  // of the execution), then the earlier access of another thread it is unordered with.
  std::vector<trace_step> accesses;
};

struct exploration_result {
  std::string strategy;
  bool failed = false;
  failure_info failure;
  // The (shrunk) failing schedule, its length and preemptions, and the interleaving.
  std::string schedule;
  std::size_t steps = 0;
  std::size_t preemptions = 0;
  std::vector<trace_step> trace;
  // The schedule as first found, before shrinking.
  std::string original_schedule;
  std::size_t original_steps = 0;
  std::size_t original_preemptions = 0;
  std::string shrink_method;  // "delta debugging over schedule decisions"
  std::size_t shrink_replays = 0;

  std::size_t executions = 0;  // executions run by the search (not counting shrinking)
  // Executions that hit options::max_steps without evidence of a livelock (threads kept
  // writing, locking or notifying): they neither fail nor pass. The first one's schedule.
  std::size_t inconclusive = 0;
  std::string inconclusive_schedule;
  std::size_t max_steps = 0;     // the bound they hit (options::max_steps)
  std::size_t total_steps = 0;   // scheduling steps over those executions
  bool exhaustive = false;       // dfs: every schedule within the bound was explored
  bool timed_out = false;        // the search stopped at options.time_limit_seconds
  bool replay_diverged = false;  // replay: the schedule did not fit the program
  // pct: depth d, most threads n, most steps k, and the bounds of the PCT guarantee.
  int pct_depth = 0;
  int pct_threads = 0;
  std::size_t pct_steps = 0;
  double pct_per_run_bound = 0;  // 1 / (n k^(d-1))
  double pct_miss_bound = 0;     // (1 - p)^R after R runs
  int preemption_bound = 0;
  std::string summary;  // one line: what was explored and what that proves
};

// Explores `body` (the model program's main thread) under options.strategy. Throws
// std::invalid_argument for an unknown strategy or an unparsable replay schedule.
exploration_result explore(const std::function<void()>& body, const options& opts);

// Parses and prints schedule strings: thread ids in decision order, run-length encoded as
// "0x5.1.0x3" (thread 0 five times, thread 1 once, thread 0 three times). parse throws
// std::invalid_argument on malformed text.
std::vector<int> parse_schedule(const std::string& text);
std::string format_schedule(const std::vector<int>& decisions);

}  // namespace cb::model
