// valgrind_run.cpp - see valgrind_run.hpp.
#include "detectors/valgrind_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "common/mutex.hpp"
#include "common/text_file.hpp"
#include "detectors/detector_impls.hpp"
#include "parse/report_text.hpp"
#include "parse/valgrind_parser.hpp"

namespace casebook {

namespace fs = std::filesystem;

std::vector<std::string> valgrind_command(std::string_view tool, const std::string& log_prefix,
                                          const std::vector<std::string>& tool_options) {
  std::vector<std::string> argv = {
      "valgrind", "--tool=" + std::string(tool), "--xml=yes",
      // %p: a process that execs another under --trace-children would otherwise share a file.
      "--xml-file=" + log_prefix + ".%p", "--error-exitcode=" + std::to_string(kValgrindExitCode),
      // No --quiet: at verbosity 0 Valgrind leaves <suppcounts> (which suppressions fired)
      // out of the XML. With --xml=yes its text commentary is empty either way, so stderr
      // still holds only the client's own output and Valgrind's fatal errors.
      // A forked child runs on under Valgrind but would write into its parent's XML stream:
      // silence it (the process cases' children are judged by other detectors).
      "--child-silent-after-fork=yes",
      // The case's frame sits under the std::thread, lambda and cb:: facade frames that
      // Valgrind shows inlined: the default 12 often cut it off.
      "--num-callers=40",
      // Valgrind runs one thread at a time; its default hand-over lets a spinning thread keep
      // the CPU while the thread it waits for never runs. A ticket lock takes turns.
      "--fair-sched=try"};
  // Reports about the C++ runtime's and libc's own memory (harness/valgrind/casebook.supp),
  // then the user's; Valgrind's default.supp applies as well.
  for (const auto& file : valgrind_suppressions()) argv.push_back("--suppressions=" + file);
  argv.insert(argv.end(), tool_options.begin(), tool_options.end());
  return argv;
}

std::string shipped_valgrind_suppressions() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  const fs::path bin = ec ? fs::current_path(ec) : self.parent_path();
  return (bin.parent_path() / "share" / "casebook" / "valgrind" / "casebook.supp").string();
}

namespace {

// The CLI sets the list before trials start and every trial's command reads it: a copy under
// the lock each time, which costs nothing beside a Valgrind run.
struct SuppressionFiles {
  Mutex mu;
  std::vector<std::string> files CB_GUARDED_BY(mu){shipped_valgrind_suppressions()};
};

SuppressionFiles& suppression_files() {
  static SuppressionFiles state;
  return state;
}

}  // namespace

void set_valgrind_suppressions(std::vector<std::string> files) {
  SuppressionFiles& state = suppression_files();
  MutexLock lock(state.mu);
  state.files = std::move(files);
}

std::vector<std::string> valgrind_suppressions() {
  SuppressionFiles& state = suppression_files();
  MutexLock lock(state.mu);
  return state.files;
}

std::chrono::milliseconds valgrind_trial_timeout(const VariantDecl& variant) {
  if (!variant.declares_hang()) return kValgrindTrialTimeout;
  const double own = variant.timeout_seconds > 0 ? variant.timeout_seconds : 10.0;
  const auto scaled = std::chrono::milliseconds(static_cast<long long>(own * 20 * 1000));
  return std::clamp<std::chrono::milliseconds>(scaled, std::chrono::seconds(30),
                                               kValgrindTrialTimeout);
}

std::chrono::milliseconds valgrind_idle_end(const VariantDecl& variant) {
  return variant.declares_hang() ? kValgrindIdleEnd : std::chrono::milliseconds::zero();
}

std::function<bool()> valgrind_settled_check(const VariantDecl& variant, std::string_view detector,
                                             const std::string& log_prefix) {
  if (!variant.declares_hang()) return {};
  const Expectation want = expectation_of(variant, std::string(detector));
  if ((want.want != Want::finds && want.want != Want::may_find) || want.kinds.empty()) return {};
  const fs::path prefix(log_prefix);
  return [folder = prefix.parent_path(), stem = prefix.filename().string(), kinds = want.kinds]() {
    const std::string xml = read_prefixed_files(folder, stem);
    if (xml.empty()) return false;
    const ValgrindOutput out = parse_valgrind_xml(xml, "");
    return std::any_of(out.findings.begin(), out.findings.end(),
                       [&](const Finding& f) { return lists_kind(kinds, f.kind); });
  };
}

namespace {

// Lines of Valgrind's own failures: the run says nothing about the program.
std::string valgrind_failure(std::string_view stderr_text) {
  for (std::string_view line : parse_text::split_lines(stderr_text)) {
    for (std::string_view marker :
         {"the 'impossible' happened", "the `impossible' happened", "Valgrind: FATAL",
          "valgrind: failed to start tool", "Valgrind's memory management: out of memory",
          // A --valgrind-suppressions file Valgrind cannot parse: it stops before the client.
          "FATAL: in suppressions file", "valgrind: Fatal error", "I can't recover",
          "unhandled instruction bytes"}) {
      if (line.find(marker) != std::string_view::npos) return std::string(parse_text::trim(line));
    }
  }
  return "";
}

}  // namespace

DetectorReading read_valgrind_trial(const TrialEvidence& evidence, std::string_view tool_name) {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  ValgrindOutput out = parse_valgrind_xml(evidence.sanitizer_log, evidence.source_root);
  reading.findings = std::move(out.findings);
  reading.suppressed = std::move(out.suppressed);
  if (const std::string failure = valgrind_failure(p.stderr_text); !failure.empty()) {
    reading.infra_error = fmt::format("Valgrind ({}) itself failed: {}", tool_name, failure);
    return reading;
  }
  if (out.documents == 0 && !p.timed_out) {
    reading.infra_error =
        fmt::format("Valgrind ({}) wrote no XML output ({})", tool_name, describe_status(p));
    return reading;
  }
  const bool reported = !reading.findings.empty();
  if (p.timed_out) {
    if (!reported && p.ended_idle) {
      reading.anomaly = fmt::format(
          "blocked under {} (no CPU used for {:.0f} s) with no report (a hang is the "
          "watchdog's to grade)",
          tool_name, std::chrono::duration<double>(p.idle_timeout).count());
    } else if (!reported) {
      reading.anomaly = fmt::format(
          "timed out under {} after {:.0f} s with no report (Valgrind runs the case 50-500x "
          "slower; a hang is the watchdog's to grade)",
          tool_name, std::chrono::duration<double>(p.timeout).count());
    }
    return reading;
  }
  if (p.signaled) {
    if (!reported) {
      reading.anomaly =
          fmt::format("died by {} under {} with no report", describe_status(p), tool_name);
    }
    return reading;
  }
  if (p.exited && p.exit_code == kValgrindExitCode && !reported) {
    reading.anomaly = fmt::format(
        "exited with {}'s error code {} but no error could be read from its XML ({})", tool_name,
        kValgrindExitCode, out.problem.empty() ? "the XML is complete" : out.problem);
  } else if (p.exited && p.exit_code != 0 && p.exit_code != kValgrindExitCode) {
    reading.anomaly =
        fmt::format("{} (neither 0 nor {}'s {})", describe_status(p), tool_name, kValgrindExitCode);
  } else if (!out.complete) {
    reading.anomaly = fmt::format("{}'s XML output is incomplete: {}", tool_name, out.problem);
  }
  return reading;
}

}  // namespace casebook
