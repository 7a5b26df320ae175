// The invariant detector: a plain build, graded by the variant's own outcome. A wrong answer
// is "invariant-violated"; a child that dies before or while reporting is a "crash". The
// invariant-noise detector grades the noise build's runs the same way.
#include <string>

#include "detectors/detector_impls.hpp"

namespace casebook {

namespace {

// A standalone program's own verdict is its exit: a non-zero status is its check failing
// (invariant-violated), a signal (an abort, a failed assert, a crash) a crash.
DetectorReading read_program_exit(const ProcessResult& p, std::string_view tool) {
  DetectorReading reading;
  if (p.timed_out) {
    reading.anomaly = "timed out before it exited (hangs are the watchdog's to grade)";
    return reading;
  }
  if (p.exited && p.exit_code == 0) return reading;
  Finding f;
  f.tool = tool;
  f.kind = p.exited ? "invariant-violated" : "crash";
  f.summary = p.exited ? "the program exited with status " + std::to_string(p.exit_code)
                       : "the program ended: " + describe_status(p);
  f.raw = p.stderr_text.substr(p.stderr_text.size() > 4000 ? p.stderr_text.size() - 4000 : 0);
  reading.findings.push_back(std::move(f));
  return reading;
}

// The grading both detectors share; findings carry `tool` ("invariant", "invariant-noise") so
// reports tell them apart.
DetectorReading read_invariant(const TrialEvidence& evidence, std::string_view tool) {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (evidence.variant.program) return read_program_exit(p, tool);
  if (p.timed_out) {
    reading.anomaly = "timed out before returning an outcome (hangs are the watchdog's to grade)";
    return reading;
  }
  if (evidence.outcome && !evidence.outcome->holds) {
    const protocol::Outcome& o = *evidence.outcome;
    Finding f;
    f.tool = tool;
    f.kind = "invariant-violated";
    f.summary = o.invariant + ": observed " + o.observed + ", expected " + o.expected;
    if (!o.note.empty()) f.summary += " (" + o.note + ")";
    f.raw = to_json(o).dump();
    reading.findings.push_back(std::move(f));
  }
  const bool clean_exit = p.exited && p.exit_code == 0;
  if (!clean_exit || !evidence.outcome) {
    Finding f;
    f.tool = tool;
    f.kind = "crash";
    f.summary = describe_status(p) + (evidence.outcome ? " after reporting its outcome"
                                                       : " without reporting an outcome");
    if (!evidence.outcome_problem.empty()) f.summary += " (" + evidence.outcome_problem + ")";
    f.raw = p.stderr_text.substr(p.stderr_text.size() > 4000 ? p.stderr_text.size() - 4000 : 0);
    reading.findings.push_back(std::move(f));
  }
  return reading;
}

DetectorTraits invariant_traits(bool with_noise) {
  DetectorTraits t;
  t.finding_kinds = {{"invariant-violated", "crash"}, false};
  if (!with_noise) {
    t.name = "invariant";
    t.configuration = "plain";
    t.description = "the variant's own invariant check on its outcome; a crash counts too";
    t.noisy_twin = "invariant-noise";
    return t;
  }
  t.name = "invariant-noise";
  t.configuration = "noise";
  t.description =
      "the invariant detector with seeded schedule noise (yields, short sleeps) at every cb:: "
      "operation";
  t.in_default_set = false;
  t.added_by_noise = true;
  t.expectations_of = "invariant";  // the same invariant, only under schedule noise
  t.without_case_api =
      "schedule noise is injected by the cb:: facade, which a standalone program does not use";
  return t;
}

}  // namespace

InvariantDetector::InvariantDetector() : Detector(invariant_traits(false)) {}

DetectorReading InvariantDetector::read(const TrialEvidence& evidence) const {
  return read_invariant(evidence, name());
}

InvariantNoiseDetector::InvariantNoiseDetector() : Detector(invariant_traits(true)) {}

std::vector<std::pair<std::string, std::string>> InvariantNoiseDetector::environment(
    const ChildSettings& child) const {
  return {{"CASEBOOK_NOISE_LEVEL", std::to_string(child.noise_level)}};
}

DetectorReading InvariantNoiseDetector::read(const TrialEvidence& evidence) const {
  return read_invariant(evidence, name());
}

}  // namespace casebook
