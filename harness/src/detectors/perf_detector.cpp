// The perf detector: the case host runs broken and fixed alternately in one process (the
// `compare` command) and reports the ratio of their best rounds on the case's metric. Correct
// answers, wrong behaviour: the finding is the slowdown itself.
#include <fmt/format.h>

#include "detectors/detector_impls.hpp"

namespace casebook {

PerfDetector::PerfDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "perf";
        t.configuration = "plain";
        t.description =
            "broken against fixed in one process: a ratio past the case's threshold is a slowdown";
        t.host_command = "compare";
        t.finding_kinds = {{"slowdown"}, false};
        t.without_case_api =
            "the comparison runs a case's broken and fixed run() alternately; a standalone "
            "program has its own main()";
        t.needs_quiet_machine = true;
        return t;
      }()) {}

std::string PerfDetector::not_applicable(const VariantDecl& v) const {
  if (v.variant != "broken")
    return "the fixed variant is the baseline the broken one is timed against";
  return v.perf_ratio > 0 ? "" : "the variant declares no .perf_ratio threshold";
}

DetectorReading PerfDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (p.timed_out || !evidence.outcome || !(p.exited && p.exit_code == 0)) {
    reading.anomaly = "the comparison did not finish: " + describe_status(p);
    return reading;
  }
  if (!evidence.outcome->comparison) {
    reading.anomaly = "the outcome is not a comparison of broken against fixed";
    return reading;
  }
  const protocol::Comparison& o = *evidence.outcome->comparison;
  const double ratio = o.ratio;
  // A host that does not write the threshold it compared with has the variant's declared one.
  const double threshold = o.threshold.value_or(evidence.variant.perf_ratio);
  if (threshold > 0 && ratio >= threshold) {
    Finding f;
    f.tool = "perf";
    f.kind = "slowdown";
    f.summary = fmt::format(
        "broken/fixed = {:.1f}x on {} (best of {} rounds {:.4g} vs {:.4g}; threshold {:.1f}x)",
        ratio, o.metric, o.rounds, o.broken_best, o.fixed_best, threshold);
    f.raw = fmt::format("broken: {}\nfixed:  {}", nlohmann::json(o.broken).dump(),
                        nlohmann::json(o.fixed).dump());
    reading.findings.push_back(std::move(f));
  }
  return reading;
}

}  // namespace casebook
