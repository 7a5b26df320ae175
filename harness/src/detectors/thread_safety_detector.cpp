// The thread-safety detector: Clang's -Wthread-safety analysis, static and at compile time. A
// trial compiles the variant's source with casebook-thread-safety (cmake/thread-safety.sh.in):
// clang++ -fsyntax-only -Wthread-safety -Wthread-safety-beta against the annotated cb:: locks
// (casebook/thread_safety/facade.hpp). Each analysis warning becomes a finding with one frame at
// the warning's file:line; its notes ("mutex acquired here") stay in the raw text, so that only
// the line the analysis blames can meet a casebook-bug marker. The verdict is line-level: a
// warning detects only on a line the broken variant marks (see catalog/bug_markers.hpp).
#include <fmt/format.h>

#include <utility>

#include "detectors/detector_impls.hpp"
#include "parse/compiler_diagnostics.hpp"

namespace casebook {

ThreadSafetyDetector::ThreadSafetyDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "thread-safety";
        t.configuration = "compiler";
        t.binary_name = "casebook-thread-safety";
        t.description =
            "Clang's -Wthread-safety analysis of the annotated source: unguarded access, lock not "
            "held, double lock, lock order";
        // thread_safety_kind's slugs of clang's -Wthread-safety wordings.
        t.finding_kinds = {
            {"bad-annotation", "unguarded-access", "unguarded-reference", "lock-not-held",
             "call-while-held", "double-lock", "unlock-not-held", "lock-kind-mismatch", "lock-leak",
             "inconsistent-locking", "lock-order", "negative-capability", "thread-safety-warning"},
            false};
        t.without_case_api = "the analysis checks the cb:: annotations of a case's shared state";
        t.same_every_trial = true;
        t.requires_line_match = true;
        return t;
      }()) {}

namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The line with every "<source_root>/" removed: raw text names files as results.json does.
std::string repo_relative(std::string_view line, std::string_view source_root) {
  std::string out(line);
  if (source_root.empty()) return out;
  const std::string prefix = std::string(source_root) + "/";
  for (auto at = out.find(prefix); at != std::string::npos; at = out.find(prefix, at)) {
    out.erase(at, prefix.size());
  }
  return out;
}

// The analysis's warnings carry their flag at the end: "... [-Wthread-safety-analysis]".
bool is_thread_safety_warning(const Diagnostic& d) {
  return d.severity == "warning" && contains(d.message, "[-Wthread-safety");
}

}  // namespace

// The stable slug for one of the analysis's warnings, from clang's wording (clang 14's
// DiagnosticSemaKinds.td, the thread-safety group). Unknown wordings of the analysis become
// "thread-safety-warning", so a newer clang's new warning is still a finding.
std::string thread_safety_kind(std::string_view message) {
  if (contains(message, "[-Wthread-safety-attributes]")) return "bad-annotation";
  // "reading variable 'x' requires holding mutex 'm'", "writing the value pointed to by 'p'
  // requires holding mutex 'm' exclusively".
  if ((starts_with(message, "reading ") || starts_with(message, "writing ")) &&
      contains(message, " requires holding ")) {
    return "unguarded-access";
  }
  // "passing variable 'x' by reference requires holding mutex 'm'".
  if (starts_with(message, "passing ") && contains(message, " requires holding ")) {
    return "unguarded-reference";
  }
  // "calling function 'f' requires holding mutex 'm' exclusively".
  if (starts_with(message, "calling function ") && contains(message, " requires holding ")) {
    return "lock-not-held";
  }
  // "cannot call function 'f' while mutex 'm' is held": f takes m itself (CB_EXCLUDES), so the
  // call would lock m a second time.
  if (starts_with(message, "cannot call function ") && contains(message, " is held")) {
    return "call-while-held";
  }
  if (starts_with(message, "acquiring ") && contains(message, " that is already held")) {
    return "double-lock";
  }
  if (starts_with(message, "releasing ") && contains(message, " that was not held")) {
    return "unlock-not-held";
  }
  if (starts_with(message, "releasing ") && contains(message, " access, expected ")) {
    return "lock-kind-mismatch";
  }
  if (contains(message, " is still held at the end of ")) return "lock-leak";
  // Paths that disagree about a lock: "is not held on every path through here", "expecting
  // mutex 'm' to be held at start of each loop" / "at the end of function", "is acquired
  // exclusively and shared in the same scope".
  if (contains(message, " is not held on every path") || starts_with(message, "expecting ") ||
      contains(message, " exclusively and shared in the same scope")) {
    return "inconsistent-locking";
  }
  // "mutex 'a' must be acquired before 'b'", "Cycle in acquired_before/after dependencies".
  if (contains(message, " must be acquired before ") ||
      contains(message, "acquired_before/after")) {
    return "lock-order";
  }
  if (contains(message, "negative capability")) return "negative-capability";
  return "thread-safety-warning";
}

std::string ThreadSafetyDetector::not_applicable(const VariantDecl& v) const {
  return expectation_of(v, *this).declared
             ? ""
             : "the variant declares no thread-safety expectation (its data carries no "
               "CB_GUARDED_BY-style annotations for the analysis to check)";
}

std::optional<std::vector<std::string>> ThreadSafetyDetector::own_arguments(
    const VariantDecl& v, const std::string& source_root) const {
  // The names casebook's CMake passes to every case file (CASEBOOK_VARIANT needs them).
  return std::vector<std::string>{fmt::format("-DCASEBOOK_CASE_NAME=\"{}\"", v.case_name),
                                  fmt::format("-DCASEBOOK_VARIANT_NAME=\"{}\"", v.variant),
                                  v.source_path(v.file, source_root)};
}

DetectorReading ThreadSafetyDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (p.timed_out || p.signaled) {
    reading.anomaly = "the compiler did not finish: " + describe_status(p);
    return reading;
  }

  // One line at a time, so each warning keeps the lines printed under it (the source line,
  // the caret, its notes) as its raw text.
  std::vector<std::pair<Diagnostic, std::string>> warnings;
  std::vector<Diagnostic> errors;
  bool in_warning = false;
  std::string_view text = p.stderr_text;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    auto parsed = parse_compiler_diagnostics(line, evidence.source_root);
    if (!parsed.empty() && parsed.front().severity != "note") {
      in_warning = is_thread_safety_warning(parsed.front());
      if (in_warning) {
        warnings.emplace_back(std::move(parsed.front()),
                              repo_relative(line, evidence.source_root) + "\n");
      } else if (parsed.front().severity == "error" || parsed.front().severity == "fatal error") {
        errors.push_back(std::move(parsed.front()));
      }
      continue;
    }
    if (in_warning && !starts_with(line, "In file included from ") &&
        !contains(line, " generated.")) {
      warnings.back().second += repo_relative(line, evidence.source_root) + "\n";
    }
  }
  const Diagnostic* first_error = errors.empty() ? nullptr : &errors.front();

  if (!p.exited || p.exit_code != 0) {
    if (p.exited && p.exit_code == 127 && first_error == nullptr) {
      reading.infra_error = "the analysis could not run: " +
                            std::string(p.stderr_text.substr(0, p.stderr_text.find('\n')));
    } else {
      reading.anomaly = fmt::format(
          "{} does not compile in the thread-safety configuration ({}): {}", evidence.variant.file,
          describe_status(p),
          first_error ? fmt::format("{}:{}: {}: {}", first_error->file, first_error->line,
                                    first_error->severity, first_error->message)
                      : "no error line in the compiler's output");
    }
    return reading;
  }

  for (auto& [d, raw] : warnings) {
    Finding f;
    f.tool = "thread-safety";
    std::string message = d.message;
    const auto flag = message.rfind(" [-W");
    f.kind = thread_safety_kind(message);
    if (flag != std::string::npos) message.erase(flag);
    f.summary = fmt::format("{}:{}: {}", d.file, d.line, message);
    f.location = fmt::format("{}:{}", d.file, d.line);
    Stack at;
    at.title = "where the analysis warns";
    Frame frame;
    frame.function = message;
    frame.file = d.file;
    frame.line = d.line;
    frame.column = d.column;
    at.frames.push_back(std::move(frame));
    f.stacks.push_back(std::move(at));
    f.raw = std::move(raw);
    reading.findings.push_back(std::move(f));
  }
  return reading;
}

}  // namespace casebook
