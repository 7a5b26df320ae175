#include "record/noise_comparison.hpp"

#include "detectors/detector.hpp"

namespace casebook {

std::vector<NoiseComparisonRow> noise_comparison(const std::vector<VerdictRecord>& verdicts) {
  std::vector<NoiseComparisonRow> rows;
  for (const auto& plain : verdicts) {
    // A detector with a build that injects schedule noise (DetectorTraits::noisy_twin: invariant's
    // invariant-noise), paired with that twin's verdict of the same variant.
    const Detector* detector = find_detector(plain.detector);
    const Detector* twin = detector != nullptr ? noisy_twin_of(*detector) : nullptr;
    if (twin == nullptr || plain.grade.verdict == Verdict::skipped) continue;
    for (const auto& noisy : verdicts) {
      if (noisy.detector != twin->name() || noisy.grade.verdict == Verdict::skipped ||
          noisy.variant.id() != plain.variant.id()) {
        continue;
      }
      // The plain pair's noisy retries (TrialRecord::noise_level) belong to neither side.
      std::vector<TrialRecord> unperturbed;
      for (const auto& t : plain.trials) {
        if (t.noise_level == 0) unperturbed.push_back(t);
      }
      rows.push_back({plain.variant.case_name, plain.variant.variant,
                      plain.expected.want == Want::finds,
                      measure_manifestation(plain.expected, unperturbed),
                      measure_manifestation(noisy.expected, noisy.trials)});
    }
  }
  return rows;
}

namespace {

results::Rate side(const Manifestation& m) {
  return {m.trials, m.hits, m.rate, m.ci_low, m.ci_high, m.first_hit_trial};
}

}  // namespace

results::NoiseComparison noise_comparison_entry(const std::vector<NoiseComparisonRow>& rows,
                                                int level) {
  results::NoiseComparison out;
  out.level = level;
  for (const auto& r : rows) {
    out.comparison.push_back(
        {r.case_name, r.variant, r.expects_finding, side(r.without_noise), side(r.with_noise)});
  }
  return out;
}

}  // namespace casebook
