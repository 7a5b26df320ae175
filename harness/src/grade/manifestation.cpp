#include "grade/manifestation.hpp"

#include <algorithm>
#include <cmath>

namespace casebook {

std::pair<double, double> wilson_interval(int hits, int n) {
  if (n <= 0) return {0.0, 0.0};
  constexpr double z = 1.959963984540054;  // the 97.5th percentile of the standard normal
  const double p = static_cast<double>(hits) / n;
  const double z2n = z * z / n;
  const double centre = (p + z2n / 2) / (1 + z2n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Manifestation measure_manifestation(const Expectation& expected,
                                    const std::vector<TrialRecord>& trials) {
  Manifestation m;
  double elapsed = 0;
  for (const auto& t : trials) {
    ++m.trials;
    elapsed += t.duration_seconds;
    const bool hit = expected.want == Want::finds || expected.want == Want::may_find
                         ? t.reported(expected.kinds)
                         : !t.findings.empty();
    if (!hit) continue;
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

}  // namespace casebook
