// The fairness detector: a plain build whose variant reports how much work each thread got
// (outcome.shares). A thread below fairness_floor x its fair share is starved, even though
// every answer is right and nothing hangs: the bug is who gets to run.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "detectors/detector_impls.hpp"

namespace casebook {

std::string FairnessDetector::not_applicable(const VariantDecl& v) const {
  return v.fairness_floor > 0 ? "" : "the variant declares no .fairness_floor to measure against";
}

DetectorReading FairnessDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (p.timed_out || !evidence.outcome) {
    reading.anomaly = p.timed_out ? "timed out before reporting its shares"
                                  : describe_status(p) + " without reporting its shares";
    return reading;
  }
  const auto shares = evidence.outcome->value("shares", std::vector<double>{});
  const double floor = evidence.variant.fairness_floor;
  if (shares.size() < 2) {
    reading.anomaly = "the outcome carries fewer than two per-thread shares";
    return reading;
  }
  const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
  const auto least = std::min_element(shares.begin(), shares.end());
  const double fair = 1.0 / static_cast<double>(shares.size());
  const double got = total > 0 ? *least / total : 0.0;
  if (got < floor * fair) {
    Finding f;
    f.tool = "fairness";
    f.kind = "starvation";
    f.summary = fmt::format(
        "thread {} got {:.2f}% of the work, its fair share is {:.1f}% (floor: {:.0f}% of fair)",
        least - shares.begin(), got * 100, fair * 100, floor * 100);
    f.raw = fmt::format("shares: {}", fmt::join(shares, ", "));
    reading.findings.push_back(std::move(f));
  }
  return reading;
}

}  // namespace casebook
