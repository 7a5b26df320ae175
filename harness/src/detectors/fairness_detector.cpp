// The fairness detector: a plain build whose variant reports what each thread got. Two
// measures, either or both declared by the variant:
//   - outcome.shares, each thread's work: a thread below fairness_floor x its fair share is
//     starved;
//   - outcome.waits, each thread's longest wait for one turn: a thread that waited longer than
//     max_wait_seconds is starved. Where threads of unequal cost share few CPUs, their shares
//     of turns swing with the scheduler even when every thread gets in; a wait bounded by the
//     lock's design does not.
// Every answer may be right and nothing hang: the bug is who gets to run.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "detectors/detector_impls.hpp"

namespace casebook {

FairnessDetector::FairnessDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "fairness";
        t.configuration = "plain";
        t.description =
            "per-thread shares of the work: a thread far below its fair share is starved";
        t.finding_kinds = {{"starvation"}, false};
        t.without_case_api =
            "per-thread shares come from a case's outcome, which a standalone program does not "
            "write";
        // Waits are wall time, and a thread that is runnable but not running waits too: next to
        // a TSan job of the same case, writer_starvation/fixed's readers waited 129-221 ms for a
        // turn in 3 of 100 trials (ceiling 100 ms). So, like perf, its trials get the machine
        // alone.
        t.needs_quiet_machine = true;
        return t;
      }()) {}

std::string FairnessDetector::not_applicable(const VariantDecl& v) const {
  return v.fairness_floor > 0 || v.max_wait_seconds > 0
             ? ""
             : "the variant declares neither .fairness_floor nor .max_wait_seconds to measure "
               "against";
}

namespace {

// A finding when the least-served thread's share of the work is below the floor.
void check_shares(const std::vector<double>& shares, double floor, DetectorReading& reading) {
  const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
  const auto least = std::min_element(shares.begin(), shares.end());
  const double fair = 1.0 / static_cast<double>(shares.size());
  const double got = total > 0 ? *least / total : 0.0;
  if (got >= floor * fair) return;
  Finding f;
  f.tool = "fairness";
  f.kind = "starvation";
  f.summary = fmt::format(
      "thread {} got {:.2f}% of the work, its fair share is {:.1f}% (floor: {:.0f}% of fair)",
      least - shares.begin(), got * 100, fair * 100, floor * 100);
  f.raw = fmt::format("shares: {}", fmt::join(shares, ", "));
  reading.findings.push_back(std::move(f));
}

// A finding when some thread's longest wait for a turn exceeds the ceiling.
void check_waits(const std::vector<double>& waits, double ceiling, DetectorReading& reading) {
  const auto longest = std::max_element(waits.begin(), waits.end());
  if (*longest <= ceiling) return;
  Finding f;
  f.tool = "fairness";
  f.kind = "starvation";
  f.summary = fmt::format("thread {} waited {:.1f} ms for one turn (ceiling: {:.1f} ms)",
                          longest - waits.begin(), *longest * 1000, ceiling * 1000);
  std::vector<std::string> ms;
  for (double w : waits) ms.push_back(fmt::format("{:.3f}", w * 1000));
  f.raw = fmt::format("longest waits (ms): {}", fmt::join(ms, ", "));
  reading.findings.push_back(std::move(f));
}

}  // namespace

DetectorReading FairnessDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (p.timed_out || !evidence.outcome) {
    reading.anomaly = p.timed_out ? "timed out before reporting its shares"
                                  : describe_status(p) + " without reporting its shares";
    return reading;
  }
  const VariantDecl& v = evidence.variant;
  if (v.fairness_floor > 0) {
    const std::vector<double> shares = evidence.outcome->shares.value_or(std::vector<double>{});
    if (shares.size() < 2) {
      reading.anomaly = "the outcome carries fewer than two per-thread shares";
      return reading;
    }
    check_shares(shares, v.fairness_floor, reading);
  }
  if (v.max_wait_seconds > 0) {
    const std::vector<double> waits = evidence.outcome->waits.value_or(std::vector<double>{});
    if (waits.empty()) {
      reading.anomaly =
          "the variant declares .max_wait_seconds but its outcome carries no per-thread waits";
      return reading;
    }
    check_waits(waits, v.max_wait_seconds, reading);
  }
  return reading;
}

}  // namespace casebook
