// grader.hpp - turns the trials of one (case, variant, detector) into a verdict.
//
// Pure functions of their inputs: no I/O, no clocks, so the rules below are unit-tested
// exhaustively and the runner's threads can call them freely.
//
//   expected finds  -> detected (pass) when any trial reported one of the kinds; else missed,
//                      or error when a trial could not be judged.
//   expected clean  -> clean (pass) when no trial reported anything; false-positive when one
//                      did; error when a trial misbehaved without a report or could not be judged.
//   known false positive -> graded as expected clean, except that reports of the declared
//                      kinds give a passing false-positive verdict that names the reason;
//                      a report of any other kind still fails.
//   may find        -> detected (pass) when a trial reported one of the kinds, clean (pass) when
//                      none did: a chance symptom; a report of any other kind is a failing
//                      false-positive; no retries past the repeat count.
//   expected skip   -> skipped, with the declared reason; no trial runs.
//   either way, a trial the runner killed for going over a limit (memory, processes) makes
//   the verdict an error (not infrastructure) unless another trial already detected, and
//   stops the retries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "grade/line_truth.hpp"
#include "grade/trial_record.hpp"

namespace casebook {

enum class Verdict { detected, missed, clean, false_positive, error, skipped };

std::string_view verdict_name(Verdict v);  // "detected", "false-positive", ...

struct Grade {
  Verdict verdict = Verdict::error;
  bool passed = false;
  bool infrastructure = false;  // an error caused by the machine/build, not by the variant
  std::string reason;           // one or two sentences a person can act on
  int deciding_trial = -1;      // index of the trial that decided the verdict, or -1
};

// How many trials a pair gets. A broken expectation that has not shown its finding after
// max(repeat, deflake) trials goes on while its trials together took under deflake_seconds,
// up to deflake_max trials, every second one with schedule noise where the detector has it
// (retry_with_noise): a symptom that shows in 1 unperturbed run of 10 then shows in 99% of
// runs (1 - 0.9^52 from the 52 unperturbed trials of 100) where trials are quick, and a
// genuine miss costs a bounded, stated time.
struct TrialBudget {
  int repeat = 1;                // trials every non-skipped expectation gets
  int deflake = 5;               // trials a broken expectation gets at least to show its finding
  int deflake_max = 100;         // ... and at most, while time remains
  double deflake_seconds = 120;  // the time the trials past `deflake` may bring the pair to
};

// Whether trial `index` of a pair runs under schedule noise: every second adaptive retry (the
// trials past max(repeat, deflake)) does, when the detector has a build with noise
// (DetectorTraits::noisy_twin). A symptom the quiet build never shows, because the racing window is
// too short for the threads to meet in, then still gets its chance, and one that shows
// unperturbed keeps half the retries as they were.
bool retry_with_noise(int index, const TrialBudget& budget);

// line_rule, when given, makes detection line-level (DetectorTraits::requires_line_match): a
// finding of an expected kind detects only when it lands on a marked line (line_truth.hpp).

// Whether the runner should start another trial, given the ones so far.
bool wants_another_trial(const Expectation& expected, const std::vector<TrialRecord>& trials,
                         const TrialBudget& budget, const LineRule* line_rule = nullptr);

Grade grade(const Expectation& expected, const std::vector<TrialRecord>& trials,
            const LineRule* line_rule = nullptr);

}  // namespace casebook
