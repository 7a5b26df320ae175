// noise_comparison.hpp - what schedule noise does to how often a bug shows: for every variant
// run under both the invariant and the invariant-noise detector, the manifestation of each
// (grade/manifestation.hpp) side by side. Only meaningful with --repeat N, where both got N
// trials. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "grade/manifestation.hpp"
#include "suite/suite.hpp"

namespace casebook {

struct NoiseComparisonRow {
  std::string case_name;
  std::string variant;
  bool expects_finding = false;  // the invariant must be violated (a broken variant's row)
  Manifestation without_noise;
  Manifestation with_noise;
};

// One row per variant with non-skipped verdicts from both detectors, in verdict order.
std::vector<NoiseComparisonRow> noise_comparison(const std::vector<VerdictRecord>& verdicts);

// results.json's "noise" (results::NoiseComparison) of rows, run at schedule-noise level.
results::NoiseComparison noise_comparison_entry(const std::vector<NoiseComparisonRow>& rows,
                                                int level);

}  // namespace casebook
