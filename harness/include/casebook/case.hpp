// case.hpp - what a case file uses to declare a variant: parameters, outcome, expectations,
// and the one registration macro.
//
// A case is a folder cases/<name>/ with broken.cpp and fixed.cpp. Each file registers exactly
// one variant with CASEBOOK_VARIANT; the case and variant names come from the folder and file
// names (the build passes them in), so no central list exists and none can drift.
//
//   #include <casebook/case.hpp>
//   #include <casebook/sync.hpp>
//
//   static cb::outcome run(const cb::params& p) { ...; return cb::outcome::equal(
//       "final == threads * iterations", observed, expected); }
//
//   CASEBOOK_VARIANT({
//       .title = "threads bump a counter through an unlocked read-modify-write",
//       .category = "race",
//       .expectations = {cb::expect::finds("tsan", {"data-race"}),
//                        cb::expect::finds("invariant", {"invariant-violated"})},
//       .defaults = {.threads = 4, .iterations = 20000},
//       .run = run,
//   });
//
// Detectors not named in .expectations must stay clean. A detector that cannot apply to a
// variant is declared with cb::expect::skip and a reason; silence is never a skip.
#pragma once

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cb {

// The inputs of one run of a variant. The runner starts from the variant's defaults and
// overrides the seed per trial (and, later, whatever a property test generates).
struct params {
  int threads = 2;
  std::int64_t iterations = 1000;
  std::uint64_t seed = 1;
  std::map<std::string, std::int64_t> extra;  // case-specific sizes, e.g. {"capacity", 8}

  // The case-specific value `name`, or `fallback` when the run did not set it.
  std::int64_t get(std::string_view name, std::int64_t fallback) const {
    auto it = extra.find(std::string(name));
    return it == extra.end() ? fallback : it->second;
  }
};

// What a run observed about its invariant. Returned by every variant; the `invariant`
// detector grades it (a fixed variant whose invariant fails is a false positive).
struct outcome {
  std::string invariant;  // the property in words: "final == threads * iterations"
  bool holds = true;
  std::string observed;
  std::string expected;
  std::string note;  // optional context: "lost 1234 of 80000 increments"
  // Work done by each thread (acquisitions, items), for the fairness detector; empty when the
  // variant does not measure it.
  std::vector<double> shares;
  // The longest single wait of each thread for its turn (request to grant), in seconds, for
  // the fairness detector's max_wait_seconds; empty when the variant does not measure it.
  std::vector<double> waits;
  // Named measurements for the perf detector, e.g. {"latency_ms", 12.5}. The wall time of
  // run() is always measured by the case host as "seconds"; add others when wall time is not
  // what the case is about (CPU burned while idle, delivery latency).
  std::map<std::string, double> metrics;

  // The usual shape: the invariant holds when observed == expected.
  template <class T>
  static outcome equal(std::string invariant, const T& observed, const T& expected) {
    outcome o;
    o.invariant = std::move(invariant);
    o.holds = observed == expected;
    o.observed = to_text(observed);
    o.expected = to_text(expected);
    return o;
  }

  template <class T>
  static std::string to_text(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }
};

// What one detector must see in one variant.
struct expectation {
  enum class what { finds, clean, skip, false_positive, may_find };
  std::string detector;  // "tsan", "asan", "watchdog", "invariant", ...
  what want = what::clean;
  std::vector<std::string> kinds;  // finds: a trial detects when it reports any of these;
                                   // false_positive: the kinds the tool wrongly reports;
                                   // may_find: the kinds it reports in some trials only
  std::string reason;  // skip: why the detector cannot apply; false_positive: why the tool is
                       // wrong here; may_find: why the finding shows only sometimes (all three
                       // required)
};

namespace expect {
// The detector must report one of `any_of` (finding kinds such as "data-race").
inline expectation finds(std::string detector, std::vector<std::string> any_of) {
  return {std::move(detector), expectation::what::finds, std::move(any_of), {}};
}
// The detector must report nothing in any trial.
inline expectation clean(std::string detector) {
  return {std::move(detector), expectation::what::clean, {}, {}};
}
// The detector does not apply here; `reason` says why and is shown in every report.
inline expectation skip(std::string detector, std::string reason) {
  return {std::move(detector), expectation::what::skip, {}, std::move(reason)};
}
// A known false positive: the detector may report `kinds` here although the code is correct,
// because of a limit of the tool that `reason` explains (and the case's README too). The run
// still passes; anything else it reports fails it, and the scorecard counts the report as the
// false positive it is.
inline expectation false_positive(std::string detector, std::vector<std::string> kinds,
                                  std::string reason) {
  return {std::move(detector), expectation::what::false_positive, std::move(kinds),
          std::move(reason)};
}
// The detector may or may not report `kinds` on this broken variant: its symptom shows by
// chance (a re-entered malloc may deadlock, corrupt the heap or do nothing; a Valgrind tool that
// serialises threads sees the race only in some schedules). Neither outcome fails the run: a
// trial that reports one of `kinds` makes the verdict `detected`, none makes it `clean`, and the
// reports show how often it was seen. Any other kind still fails, and the scorecard counts a
// trial run that saw nothing as the miss it is. `reason` says why the symptom is a matter of
// chance. Only for broken variants: a fixed variant that a tool sometimes flags declares a
// known false_positive instead.
inline expectation may_find(std::string detector, std::vector<std::string> kinds,
                            std::string reason) {
  return {std::move(detector), expectation::what::may_find, std::move(kinds), std::move(reason)};
}
// The known false positive many cases share: Helgrind and DRD flag every condition variable
// notified while no thread holds its mutex, although notifying just after the unlock (with the
// predicate changed under the mutex) is correct C++. tool: "helgrind" or "drd".
inline expectation notify_after_unlock(const std::string& tool) {
  if (tool == "drd") {
    return false_positive("drd", {"unlocked-signal"},
                          "DRD reports every pthread_cond_signal/broadcast made without the "
                          "associated mutex held (CondRaceErr, \"probably a race condition\"); "
                          "here the predicate changes under the mutex and notify runs just after "
                          "the unlock, which is correct C++ (the waiter rechecks its predicate "
                          "under the mutex)");
  }
  return false_positive(tool, {"unlocked-signal"},
                        "Helgrind reports every pthread_cond_signal/broadcast made while no "
                        "thread holds the condition variable's mutex (\"dubious: associated lock "
                        "is not held by any thread\"); here the predicate changes under the mutex "
                        "and notify runs just after the unlock, which is correct C++ (the waiter "
                        "rechecks its predicate under the mutex) and spares it waking into a held "
                        "lock");
}
// The skips every case whose bug is a hang shares. The property detector checks values, and
// a broken variant that hangs returns none: the watchdog grades it, so both variants skip it.
inline expectation hang_skips_property() {
  return skip("property",
              "the bug is a hang: the broken variant never returns an outcome to check, so the "
              "watchdog grades it; the pair is not about values");
}
// Valgrind's tools (tool: "helgrind" or "drd") on a broken variant that hangs: 50-500x slower,
// the trial runs into its own timeout and shows nothing the watchdog's stacks do not.
inline expectation hang_skips_valgrind(const std::string& tool) {
  return skip(tool,
              "the bug is a hang: under Valgrind, 50-500x slower, the trial only runs into its "
              "own timeout (the watchdog grades hangs, with every thread's stack)");
}
}  // namespace expect

// One input the property detector generates (see variant_spec::vary).
struct param_range {
  std::string name;  // "threads", "iterations", "seed", or the name of an extra
  std::int64_t min = 0;
  std::int64_t max = 0;  // inclusive
};

// Everything a variant declares about itself.
struct variant_spec {
  std::string title;  // one line: what this variant does
  // What kind of bug the case is about; both variants of a case say the same. One of:
  // "race", "lifetime", "liveness", "process", "performance", "misuse".
  std::string category;
  std::vector<expectation> expectations;
  params defaults;
  // Inputs for detectors that slow a run down by orders of magnitude or repeat it thousands of
  // times (the model scheduler, Valgrind): the smallest that still shows the bug, such as
  // {.threads = 2, .iterations = 2}. threads == 0 (the default) means none declared: those
  // detectors then use `defaults`.
  params small = {.threads = 0, .iterations = 0};
  double timeout_seconds = 0;  // per-trial timeout; 0 uses the runner's default
  // Per-trial memory cap in MiB: the resident memory of all the trial's processes together,
  // sanitizer shadow included, in every configuration. Above it the runner kills the trial
  // and grades it an error ("memory limit of N MiB exceeded"). 0 uses the runner's default
  // (4096 MiB); declare more for a variant that needs it under TSan (5-10x memory).
  int memory_limit_mib = 0;
  // Per-trial cap on tasks, processes and threads together, alive at once: the kernel's pids
  // cgroup makes fork() and thread creation fail past it, and the runner then kills the trial
  // and grades it an error (a fork bomb). 0 uses the runner's default (4096); where the
  // machine gives no pids cgroup, the runner's look at /proc every 100 ms is what remains.
  int max_tasks = 0;
  // Fairness detector: a thread whose share of outcome.shares is below fairness_floor times
  // its fair share (1 / number of threads) is starved. 0: the detector does not apply.
  double fairness_floor = 0;
  // Fairness detector: a thread whose longest wait for one turn (outcome.waits) exceeds this
  // many seconds is starved. Unlike a share of turns, a wait does not depend on how the CPUs
  // are shared among threads that all get their turns. 0: not checked.
  double max_wait_seconds = 0;
  // Perf detector (declared on the broken variant): broken is slow when the best (lowest) of
  // its perf_metric over the rounds is at least perf_ratio times the fixed variant's best,
  // both measured alternately in one process. perf_metric names an outcome.metrics entry ("seconds"
  // = wall time of run()). 0: the detector does not apply.
  double perf_ratio = 0;
  std::string perf_metric = "seconds";
  // Compile detector: the name of a file in the case folder that writes the broken form
  // through a checked API (see casebook/crossing.hpp) and must therefore fail to compile. A
  // line in it holding "casebook-expect-error: <text>" names the error it must fail with, so
  // a probe that fails for another reason (a typo, a missing include) is not a pass.
  // Empty: the detector does not apply.
  std::string compile_probe;
  // Property detector: the inputs rapidcheck generates, each drawn from [min, max] and shrunk
  // toward min; every other input stays at `defaults`. The property is the variant's own
  // invariant (outcome.holds) for every input. Empty: the detector does not apply, and the
  // variant says why with cb::expect::skip("property", "...").
  std::vector<param_range> vary;
  // Property detector: inputs to try. A fixed variant must hold for all of them; a broken
  // variant must fail on one. 0: 100.
  int property_tests = 0;
  // Property detector: true when the inputs alone decide the failure, whatever the schedule
  // (a bad record kills a worker; forked workers share a seed), so a replayed counterexample
  // must fail again. False for races: a replay re-runs the same input, which then fails as
  // often as the race shows at that size.
  bool inputs_decide_failure = false;
  outcome (*run)(const params&) = nullptr;
};

namespace detail {
// Adds one variant to the process-wide registry at static-initialisation time.
struct registrar {
  // cases_root: the folder holding the case's folder when it came from CASEBOOK_EXTRA_CASES
  // (its files are named relative to it), "" for a case of the repository's catalog.
  registrar(const char* case_name, const char* variant_name, const char* file,
            const char* cases_root, variant_spec spec);
};
}  // namespace detail

}  // namespace cb

#if !defined(CASEBOOK_CASE_NAME) || !defined(CASEBOOK_VARIANT_NAME)
#define CASEBOOK_VARIANT(...)                                                               \
  static_assert(false,                                                                      \
                "CASEBOOK_VARIANT is only usable in cases/<name>/{broken,fixed}.cpp built " \
                "through casebook's CMake, which names the case and variant")
#else
// casebook's CMake defines CASEBOOK_CASES_ROOT for cases from outside the catalog; compiles
// that do not (the thread-safety analysis, compile probes) only check the code.
#if defined(CASEBOOK_CASES_ROOT)
#define CASEBOOK_INTERNAL_CASES_ROOT CASEBOOK_CASES_ROOT
#else
#define CASEBOOK_INTERNAL_CASES_ROOT ""
#endif
#define CASEBOOK_INTERNAL_CONCAT2(a, b) a##b
#define CASEBOOK_INTERNAL_CONCAT(a, b) CASEBOOK_INTERNAL_CONCAT2(a, b)
// Registers this file's variant. The argument is a cb::variant_spec initializer.
#define CASEBOOK_VARIANT(...)                                                                      \
  static const ::cb::detail::registrar CASEBOOK_INTERNAL_CONCAT(casebook_registrar_, __COUNTER__)( \
      CASEBOOK_CASE_NAME, CASEBOOK_VARIANT_NAME, __FILE__, CASEBOOK_INTERNAL_CASES_ROOT,           \
      ::cb::variant_spec __VA_ARGS__)
#endif
