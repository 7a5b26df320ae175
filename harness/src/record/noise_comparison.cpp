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

nlohmann::json side(const Manifestation& m) {
  return {{"trials", m.trials}, {"hits", m.hits},       {"rate", m.rate},
          {"ci_low", m.ci_low}, {"ci_high", m.ci_high}, {"first_hit_trial", m.first_hit_trial}};
}

}  // namespace

nlohmann::json noise_comparison_to_json(const std::vector<NoiseComparisonRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back({{"case", r.case_name},
                   {"variant", r.variant},
                   {"expects_finding", r.expects_finding},
                   {"without_noise", side(r.without_noise)},
                   {"with_noise", side(r.with_noise)}});
  }
  return out;
}

}  // namespace casebook
