// The property detector: the variant's invariant checked by rapidcheck over generated inputs
// (`casebook-cases-plain property`, see harness/src/casehost/property_command.hpp). A failing
// input, shrunk, is a "counterexample". Every run is a child of the case host, so a run that
// crashes is a failing input too, shrunk and replayable, reported as a "crash"; should the case
// host itself die, the input it named last on stderr is the one that was running.
#include <fmt/format.h>

#include <string>

#include "detectors/detector_impls.hpp"

namespace casebook {

PropertyDetector::PropertyDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "property";
        t.configuration = "plain";
        t.description =
            "rapidcheck property: the invariant over generated inputs, shrunk on failure";
        t.host_command = "property";
        t.finding_kinds = {{"counterexample", "crash"}, false};
        t.without_case_api =
            "generated inputs go to a case's run(params); a standalone program takes none";
        return t;
      }()) {}

std::string PropertyDetector::not_applicable(const VariantDecl& v) const {
  if (!v.vary.empty() || expectation_of(v, *this).want == Want::skip) return "";
  return "the variant declares no .vary inputs to generate";
}

namespace {

// The input the case host announced last before the process ended, or "".
std::string last_input(const std::string& stderr_text) {
  const std::string marker = "casebook property input: ";
  const auto at = stderr_text.rfind(marker);
  if (at == std::string::npos) return "";
  const auto start = at + marker.size();
  return stderr_text.substr(start, stderr_text.find('\n', start) - start);
}

}  // namespace

DetectorReading PropertyDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (p.timed_out) {
    reading.anomaly = "the property check timed out (input " + last_input(p.stderr_text) + ")";
    return reading;
  }
  const bool clean_exit = p.exited && p.exit_code == 0;
  if (!clean_exit || !evidence.outcome) {
    const std::string input = last_input(p.stderr_text);
    if (p.exited && p.exit_code == 2) {
      reading.anomaly = "the case host refused the property: " +
                        p.stderr_text.substr(0, p.stderr_text.find('\n'));
      return reading;
    }
    Finding f;
    f.tool = "property";
    f.kind = "crash";
    f.summary = describe_status(p) +
                (input.empty() ? " before the first input" : " while running input " + input);
    f.raw = p.stderr_text.substr(p.stderr_text.size() > 4000 ? p.stderr_text.size() - 4000 : 0);
    reading.findings.push_back(std::move(f));
    return reading;
  }
  const auto& o = *evidence.outcome;
  const results::PropertyCheck property = o.property.value_or(results::PropertyCheck{});
  if (property.gave_up) {
    reading.anomaly = "rapidcheck gave up: " + *property.gave_up;
    return reading;
  }
  if (!o.holds) {
    const bool crashed = property.crashed.value_or(false);
    Finding f;
    f.tool = "property";
    f.kind = crashed ? "crash" : "counterexample";
    f.summary = fmt::format("{} for {} (found after {} inputs, {} shrinks): {}",
                            crashed ? "crashes" : "fails", property.counterexample.value_or("?"),
                            property.tests_run, property.shrinks, property.failure.value_or(""));
    f.raw = "replay: " + property.replay_command.value_or("");
    reading.findings.push_back(std::move(f));
  }
  return reading;
}

}  // namespace casebook
