// The invariant detector: a plain build, graded by the variant's own outcome. A wrong answer
// is "invariant-violated"; a child that dies before or while reporting is a "crash".
#include <string>

#include "detectors/detector_impls.hpp"

namespace casebook {

DetectorReading InvariantDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (p.timed_out) {
    reading.anomaly = "timed out before returning an outcome (hangs are the watchdog's to grade)";
    return reading;
  }
  if (evidence.outcome && !evidence.outcome->value("holds", true)) {
    const auto& o = *evidence.outcome;
    Finding f;
    f.tool = "invariant";
    f.kind = "invariant-violated";
    f.summary = o.value("invariant", "") + ": observed " + o.value("observed", "") + ", expected " +
                o.value("expected", "");
    const std::string note = o.value("note", "");
    if (!note.empty()) f.summary += " (" + note + ")";
    f.raw = o.dump();
    reading.findings.push_back(std::move(f));
  }
  const bool clean_exit = p.exited && p.exit_code == 0;
  if (!clean_exit || !evidence.outcome) {
    Finding f;
    f.tool = "invariant";
    f.kind = "crash";
    f.summary = describe_status(p) + (evidence.outcome ? " after reporting its outcome"
                                                       : " without reporting an outcome");
    f.raw = p.stderr_text.substr(p.stderr_text.size() > 4000 ? p.stderr_text.size() - 4000 : 0);
    reading.findings.push_back(std::move(f));
  }
  return reading;
}

}  // namespace casebook
