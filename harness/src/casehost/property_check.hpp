// property_check.hpp - a variant's invariant as a rapidcheck property over generated inputs.
//
// Internal to the case host (plain configuration) and the property test program. The
// property: for inputs drawn from the variant's .vary ranges (the rest stay at its defaults),
// run() returns an outcome whose invariant holds. rapidcheck generates the inputs, and on a
// failure shrinks them toward the ranges' minimums, re-running the variant for every
// candidate; the result names the smallest failing input found and the string that replays
// it. Concurrency bugs are probabilities: every input gets a few runs (attempts) and fails
// when one of them fails; a shrink candidate that passes all of them is rejected, so the
// counterexample is the smallest input that failed when tried, and a replay fails again only
// as often as the bug shows at that size.
//
// Every run is a forked child (forked_run.hpp): no run inherits another's heap or threads, and
// a run that crashes is a failing input, shrunk like any other.
//
// Not thread-safe: one check at a time per process (rapidcheck's own state is global), and no
// other thread may run beside it (fork() copies only the calling thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "registry.hpp"

namespace casebook::casehost {

struct property_options {
  int tests = 100;  // inputs to try before the property passes
  // Runs of the variant per input: an input fails when any run fails. A race shows with a
  // probability at every size, so one lucky pass would otherwise reject a smaller input that
  // does fail (during shrinking) or hide a failure (for a fixed variant, every run counts).
  int attempts = 3;
  std::uint64_t seed = 0;  // rapidcheck's seed: the same seed generates the same inputs
  std::string reproduce;   // a failure's reproduce string: replays that one input only
  // Called with each input, as "threads=2 iterations=7", before it runs: a variant that
  // crashes the process is then still known by the input that crashed it.
  std::function<void(const std::string&)> on_input;
};

struct property_result {
  bool failed = false;
  bool gave_up = false;        // rapidcheck gave up (an error in the property itself)
  int tests_run = 0;           // inputs tried, the failing one included
  int shrinks = 0;             // accepted shrink steps
  std::string counterexample;  // the shrunk failing input, "threads=2 iterations=1"
  std::map<std::string, std::int64_t> counterexample_params;
  bool crashed = false;   // the counterexample's failing run died instead of reporting
  std::string failure;    // what the variant reported for it, or how its run died
  std::string reproduce;  // replays the counterexample: RC_PARAMS="reproduce=<this>"
  std::string message;    // gave_up: rapidcheck's description
};

// Checks v's property. Throws std::invalid_argument when v declares no .vary, or names an
// input it does not have, or a range with min > max.
property_result check_property(const registered_variant& v, const property_options& options);

// The inputs of one run: v's defaults with the named values set.
cb::params params_with(const registered_variant& v,
                       const std::map<std::string, std::int64_t>& values);

}  // namespace casebook::casehost
