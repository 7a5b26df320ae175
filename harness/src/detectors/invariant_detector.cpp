// The invariant detector: a plain build, graded by the variant's own outcome. A wrong answer
// is "invariant-violated"; a child that dies before or while reporting is a "crash". The
// invariant-noise detector grades the noise build's runs the same way.
#include <string>

#include "detectors/detector_impls.hpp"

namespace casebook {

std::vector<std::pair<std::string, std::string>> InvariantNoiseDetector::environment(
    const ChildSettings& child) const {
  return {{"CASEBOOK_NOISE_LEVEL", std::to_string(child.noise_level)}};
}

// Graded exactly as the invariant detector grades; findings keep the tool name
// "invariant-noise" so reports tell them apart.
DetectorReading InvariantNoiseDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading = InvariantDetector().read(evidence);
  for (auto& f : reading.findings) f.tool = "invariant-noise";
  return reading;
}

namespace {

// A standalone program's own verdict is its exit: a non-zero status is its check failing
// (invariant-violated), a signal (an abort, a failed assert, a crash) a crash.
DetectorReading read_program_exit(const ProcessResult& p) {
  DetectorReading reading;
  if (p.timed_out) {
    reading.anomaly = "timed out before it exited (hangs are the watchdog's to grade)";
    return reading;
  }
  if (p.exited && p.exit_code == 0) return reading;
  Finding f;
  f.tool = "invariant";
  f.kind = p.exited ? "invariant-violated" : "crash";
  f.summary = p.exited ? "the program exited with status " + std::to_string(p.exit_code)
                       : "the program ended: " + describe_status(p);
  f.raw = p.stderr_text.substr(p.stderr_text.size() > 4000 ? p.stderr_text.size() - 4000 : 0);
  reading.findings.push_back(std::move(f));
  return reading;
}

}  // namespace

DetectorReading InvariantDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (evidence.variant.program) return read_program_exit(p);
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
    if (!evidence.outcome_problem.empty()) f.summary += " (" + evidence.outcome_problem + ")";
    f.raw = p.stderr_text.substr(p.stderr_text.size() > 4000 ? p.stderr_text.size() - 4000 : 0);
    reading.findings.push_back(std::move(f));
  }
  return reading;
}

}  // namespace casebook
