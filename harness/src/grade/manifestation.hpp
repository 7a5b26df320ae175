// manifestation.hpp - how often a (case, variant, detector) showed what it is about, over the
// trials of one run: the statistics behind "a concurrency bug is a probability, not a fact".
//
// A hit is a trial that reported one of the expected kinds (for an expected or a possible
// finding), or that
// reported anything at all (for an expected-clean pair: the false-positive rate). The rate
// comes with a 95% Wilson score interval, which stays inside [0, 1] and is honest at 0 or n
// hits, where the textbook normal interval collapses to a point.
//
// The rates mean what they say only when every pair got the same number of trials
// (`--repeat N`): with the deflake budget alone, a broken variant stops at its first hit.
// Pure functions; thread-safe.
#pragma once

#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "grade/trial_record.hpp"

namespace casebook {

struct Manifestation {
  int trials = 0;
  int hits = 0;
  double rate = 0;    // hits / trials (0 with no trials)
  double ci_low = 0;  // 95% Wilson score interval
  double ci_high = 0;
  int first_hit_trial = 0;          // 1-based; 0 when no trial hit
  double seconds_to_first_hit = 0;  // summed durations of the trials up to and including it
};

// The 95% Wilson score interval (z = 1.96) for `hits` successes in `n` trials; {0, 0} for n = 0.
std::pair<double, double> wilson_interval(int hits, int n);

Manifestation measure_manifestation(const Expectation& expected,
                                    const std::vector<TrialRecord>& trials);

}  // namespace casebook
