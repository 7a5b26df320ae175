// trial_record.hpp - what one trial (one child run of a variant under a detector) left behind.
//
// Plain data produced by run_trial() and consumed by the grader and the results writer.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "parse/finding.hpp"

namespace casebook {

struct TrialRecord {
  int index = 0;           // 0-based within its (case, variant, detector)
  std::uint64_t seed = 0;  // the --seed the variant ran with
  // The schedule-noise level of an adaptive retry run on the noise build (grader.hpp,
  // retry_with_noise); 0: the detector's own build, unperturbed.
  int noise_level = 0;
  double duration_seconds = 0;
  long peak_rss_kib = 0;  // the child's peak resident memory (runner/process.hpp); 0: unknown
  std::string status;     // "exit 0", "signal 11 (SIGSEGV)", "timed out after 3.0 s", ...
  bool exited = false;
  int exit_code = 0;
  bool signaled = false;
  int term_signal = 0;
  bool timed_out = false;
  bool cancelled = false;  // killed because the runner was interrupted
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  std::vector<Finding> findings;  // what the detector saw
  // What it saw and did not report because a suppression matched (Valgrind's tools), by name.
  std::vector<SuppressionCount> suppressed;
  std::string anomaly;      // process trouble the detector cannot explain (crash with no report)
  std::string infra_error;  // the trial could not be judged at all
  // The runner killed the trial for going over one of its limits ("memory limit of 256 MiB
  // exceeded: ..."); the trial then shows neither a finding nor its absence.
  std::string runner_limit;
  std::optional<nlohmann::json> outcome;  // the variant's outcome, when it wrote one
  std::string command;                    // shell line that reruns this child by hand
  std::string stderr_tail;                // last lines of the child's stderr, for context

  // Whether a finding is of one of the kinds ("*": of any kind, catalog/catalog.hpp).
  bool reported(const std::vector<std::string>& any_of) const {
    for (const auto& f : findings) {
      if (lists_kind(any_of, f.kind)) return true;
    }
    return false;
  }
};

}  // namespace casebook
