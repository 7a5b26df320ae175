// The compile detector: a must-not-compile test. A case may hold a probe file that writes its
// broken form through a checked API (casebook/crossing.hpp); the probe must be refused by the
// compiler, with the error the probe names in a "casebook-expect-error:" line. Refused for
// that reason: the finding "rejected". Compiled: nothing found (a missed detection). Refused
// for another reason (a typo, a missing header): an anomaly, never a pass.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "detectors/detector_impls.hpp"
#include "parse/compiler_diagnostics.hpp"

namespace casebook {

CompileDetector::CompileDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "compile";
        t.configuration = "compiler";
        t.binary_name = "casebook-compile-probe";
        t.description =
            "must-not-compile probe: the broken form, written through a checked API, is refused";
        t.finding_kinds = {{"rejected"}, false};
        t.without_case_api = "must-not-compile probes belong to cases written against the cb:: API";
        t.same_every_trial = true;
        return t;
      }()) {}

namespace {

constexpr std::string_view kMarker = "casebook-expect-error:";

// The text after the marker in the probe, trimmed; "" when the probe has no marker.
std::string expected_error(const std::string& probe_text) {
  const auto at = probe_text.find(kMarker);
  if (at == std::string::npos) return "";
  std::size_t begin = at + kMarker.size();
  std::size_t end = probe_text.find('\n', begin);
  if (end == std::string::npos) end = probe_text.size();
  while (begin < end && probe_text[begin] == ' ') ++begin;
  while (end > begin && (probe_text[end - 1] == ' ' || probe_text[end - 1] == '\r')) --end;
  return probe_text.substr(begin, end - begin);
}

std::string describe(const Diagnostic& d) {
  return fmt::format("{}:{}: {}: {}", d.file, d.line, d.severity, d.message);
}

}  // namespace

std::string CompileDetector::not_applicable(const VariantDecl& v) const {
  return v.compile_probe.empty() ? "the variant declares no .compile_probe (must-not-compile file)"
                                 : "";
}

std::optional<std::vector<std::string>> CompileDetector::own_arguments(
    const VariantDecl& v, const std::string& source_root) const {
  return std::vector<std::string>{v.source_path(v.compile_probe, source_root)};
}

DetectorReading CompileDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  const std::string probe = evidence.variant.compile_probe;
  std::ifstream in(evidence.variant.source_path(probe, evidence.source_root));
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    reading.anomaly = "cannot read the compile probe " + probe;
    return reading;
  }
  const std::string expected = expected_error(text.str());
  if (expected.empty()) {
    reading.anomaly = fmt::format(
        "the compile probe {} has no '{} <text>' line naming the error it must fail with", probe,
        kMarker);
    return reading;
  }
  if (p.timed_out || p.signaled) {
    reading.anomaly = "the compiler did not finish: " + describe_status(p);
    return reading;
  }
  if (p.exited && p.exit_code == 0) return reading;  // it compiled: the broken form got through

  const auto diagnostics = parse_compiler_diagnostics(p.stderr_text, evidence.source_root);
  const Diagnostic* rejection = nullptr;
  const Diagnostic* first_error = nullptr;
  for (const auto& d : diagnostics) {
    if (d.severity != "error" && d.severity != "fatal error") continue;
    if (first_error == nullptr) first_error = &d;
    if (d.message.find(expected) != std::string::npos) {
      rejection = &d;
      break;
    }
  }
  if (rejection == nullptr) {
    reading.anomaly = fmt::format(
        "the compile probe {} failed, but not with the expected error '{}': {}", probe, expected,
        first_error ? describe(*first_error) : "no error line in the compiler's output");
    return reading;
  }

  // The instantiation chain, from the refused line in the probe down to the check, as a stack:
  // the probe's own line is what a reader wants first.
  Finding f;
  f.tool = "compile";
  f.kind = "rejected";
  Stack chain;
  chain.title = "compiler diagnostics, from the probe to the check that refused it";
  int index = 0;
  const Diagnostic* in_probe = nullptr;
  for (auto it = diagnostics.rbegin(); it != diagnostics.rend(); ++it) {
    Frame frame;
    frame.index = index++;
    frame.function = it->severity + ": " + it->message;
    frame.file = it->file;
    frame.line = it->line;
    frame.column = it->column;
    chain.frames.push_back(std::move(frame));
    if (in_probe == nullptr && it->file == probe) in_probe = &*it;
  }
  f.stacks.push_back(std::move(chain));
  f.summary = fmt::format("refused at compile time{}: {}",
                          in_probe ? fmt::format(" ({}:{})", probe, in_probe->line) : "", expected);
  f.location = in_probe ? fmt::format("{}:{}", in_probe->file, in_probe->line) : probe;
  f.raw = p.stderr_text;
  reading.findings.push_back(std::move(f));
  return reading;
}

}  // namespace casebook
