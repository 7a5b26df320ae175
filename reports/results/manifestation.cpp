#include "results/manifestation.hpp"

#include <cmath>

namespace casebook::results {

std::pair<double, double> wilson_interval(int hits, int n) {
  if (n <= 0) return {0.0, 0.0};
  constexpr double z = 1.959963984540054;  // the 97.5th percentile of the standard normal
  const double p = static_cast<double>(hits) / n;
  const double z2n = z * z / n;
  const double centre = (p + z2n / 2) / (1 + z2n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

bool manifests(const Trial& trial, bool expects_finding, const std::vector<std::string>& kinds) {
  if (!expects_finding) return !trial.findings.empty();
  return std::any_of(trial.findings.begin(), trial.findings.end(), [&](const Finding& f) {
    return std::any_of(kinds.begin(), kinds.end(),
                       [&](const std::string& k) { return k == f.kind || k == "*"; });
  });
}

std::optional<Manifestation> manifestation_of(const Verdict& verdict) {
  if (verdict.manifestation) return verdict.manifestation;
  if (verdict.verdict == "skipped") return std::nullopt;
  const bool expects_finding =
      verdict.expected.verdict == "detected" || verdict.expected.verdict == "may-find";
  return measure_manifestation(expects_finding, verdict.expected.kinds, verdict.trials);
}

}  // namespace casebook::results
