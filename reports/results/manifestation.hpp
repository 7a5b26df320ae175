// manifestation.hpp - how often a (case, variant, detector) showed what it is about, over the
// trials of one run: the statistics behind "a concurrency bug is a probability, not a fact".
// One rule for the harness, which writes it into results.json, and the reports, which read it
// back (or measure it from the trials of a file written without it).
//
// A hit is a trial that reported one of the expected kinds (for an expected or a possible
// finding; "*" lists any kind), or that reported anything at all (for any other pair: the
// false-positive rate). The rate comes with a 95% Wilson score interval, which stays inside
// [0, 1] and is honest at 0 or n hits, where the textbook normal interval collapses to a
// point. The rates mean what they say only when every pair got the same number of trials
// (`--repeat N`): with the deflake budget alone, a broken variant stops at its first hit.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "results/results_model.hpp"

namespace casebook::results {

// The 95% Wilson score interval (z = 1.96) for `hits` successes in `n` trials; {0, 0} for n = 0.
std::pair<double, double> wilson_interval(int hits, int n);

// Whether one trial shows what its pair is about (the rule above).
bool manifests(const Trial& trial, bool expects_finding, const std::vector<std::string>& kinds);

// Over trials, in order (any sequence of Trial, or of types derived from it).
template <class Trials>
Manifestation measure_manifestation(bool expects_finding, const std::vector<std::string>& kinds,
                                    const Trials& trials) {
  Manifestation m;
  double elapsed = 0;
  for (const Trial& t : trials) {
    ++m.trials;
    elapsed += t.duration_seconds;
    if (!manifests(t, expects_finding, kinds)) continue;
    ++m.hits;
    if (m.first_hit_trial == 0) {
      m.first_hit_trial = m.trials;
      m.seconds_to_first_hit = elapsed;
    }
  }
  if (m.trials > 0) m.rate = static_cast<double>(m.hits) / m.trials;
  std::tie(m.ci_low, m.ci_high) = wilson_interval(m.hits, m.trials);
  return m;
}

// A verdict's manifestation: the one its file holds, else measured from its trials (a file
// written before results.json carried it); nothing for a skipped pair.
std::optional<Manifestation> manifestation_of(const Verdict& verdict);

}  // namespace casebook::results
