// trial_record.hpp - what one trial (one child run of a variant under a detector) left behind.
//
// Plain data produced by run_trial() and consumed by the grader and the results writer, which
// writes its results::Trial part as it is.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "results/results_model.hpp"

namespace casebook {

// A trial as results.json holds it (results::Trial: seed, status, exit or signal, findings,
// outcome, the by-hand command, ...), plus what the runner knows of it and does not write.
struct TrialRecord : results::Trial {
  bool cancelled = false;  // killed because the runner was interrupted
  // The runner killed the trial for going over one of its limits ("memory limit of 256 MiB
  // exceeded: ..."); the trial then shows neither a finding nor its absence.
  std::string runner_limit;

  // Whether a finding is of one of the kinds ("*": of any kind, catalog/catalog.hpp).
  bool reported(const std::vector<std::string>& any_of) const {
    for (const auto& f : findings) {
      if (lists_kind(any_of, f.kind)) return true;
    }
    return false;
  }
};

}  // namespace casebook
