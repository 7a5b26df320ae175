// detector.hpp - the strategy interface every detector implements, and the registry of them.
//
// A detector says which case binary it needs (plain, tsan, asan), what environment the child
// runs with, and how to read a finished child's evidence into findings. One file per detector;
// adding one means adding a file and a line in registry.cpp. Detectors are stateless and
// shared by all runner threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/declaration_check.hpp"
#include "parse/finding.hpp"
#include "runner/process.hpp"

namespace casebook {

// Everything a finished child left for a detector to read.
struct TrialEvidence {
  const VariantDecl& variant;
  const ProcessResult& process;
  std::string sanitizer_log;  // every log file the sanitizer wrote for this child, concatenated
  std::optional<nlohmann::json> outcome;  // the variant's outcome file, when it was written
  std::string source_root;                // absolute repo root, to make paths repo-relative
  // For a trial that timed out without a capture: the index of the earlier trial of the same
  // (variant, detector) pair whose stacks stand for it (the runner takes them once a pair).
  int stacks_in_trial = -1;
  // Why an outcome file that was there is not in `outcome` (too big, not an object), or "".
  std::string outcome_problem = {};
};

// What the runner tells a detector about one trial's child, for its environment.
struct ChildSettings {
  // A path prefix in the trial's own folder: the runner collects every file starting with it
  // as the tool's log.
  std::string log_prefix;
  // The schedule-noise level (1..10) a build with noise runs at: --noise, else the level the
  // invariant detector's noisy retries use (SuiteOptions::noise_level).
  int noise_level = 3;
};

struct DetectorReading {
  std::vector<Finding> findings;
  // Reports the tool found and a suppression silenced (Valgrind's tools), by suppression.
  std::vector<SuppressionCount> suppressed;
  std::string anomaly;      // the child misbehaved in a way this detector cannot explain
  std::string infra_error;  // the trial cannot be judged (sanitizer died, ...)
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view configuration() const = 0;  // suffix of casebook-cases-<config>
  // The program a trial runs, looked up in the runner's --bin-dir: the case host of the
  // detector's configuration, unless the detector runs a tool of its own.
  virtual std::string binary_name() const {
    return "casebook-cases-" + std::string(configuration());
  }
  // The arguments of a trial, for detectors that do not run the case host (whose arguments
  // the runner builds from the variant's defaults and the trial's seed). source_root is the
  // absolute repo root.
  virtual std::optional<std::vector<std::string>> own_arguments(
      const VariantDecl& variant, const std::string& source_root) const {
    (void)variant;
    (void)source_root;
    return std::nullopt;
  }
  // A program the trial runs under, with its options, in front of the binary and its
  // arguments: for detectors that watch an unchanged build from outside, such as Valgrind's
  // tools ({"valgrind", "--tool=drd", "--xml-file=<log_prefix>.%p", ...}). log_prefix is as
  // for environment(): files the wrapper writes under it are collected as the sanitizer log.
  // The by-hand repro command shows the same prefix. Empty (the default): the binary runs
  // directly. A wrapped trial that times out gets no stack capture (gdb would show the
  // wrapper's own threads, not the case's).
  virtual std::vector<std::string> command_prefix(const std::string& log_prefix) const {
    (void)log_prefix;
    return {};
  }
  // True for detectors that slow a run down by orders of magnitude or repeat it thousands of
  // times (the model scheduler, Valgrind): their trials run with the variant's .small inputs
  // (VariantDecl::small_or_defaults) instead of its defaults.
  virtual bool uses_small_inputs() const { return false; }
  // True when the case host picks the inputs itself for this variant, so the trial passes
  // none (the model detector for a variant without .small: the host derives small ones, and
  // `casebook replay` of a schedule it prints derives the same).
  virtual bool host_chooses_inputs(const VariantDecl& variant) const {
    (void)variant;
    return false;
  }
  virtual std::string_view description() const = 0;  // one line for `casebook list`
  // Why this detector cannot apply to variant, or "" when it does. Measurement detectors
  // (perf, fairness) apply only to variants that declare what to measure; the runner leaves
  // them out elsewhere, and a declared expectation for one that cannot apply is an error.
  virtual std::string not_applicable(const VariantDecl& variant) const {
    (void)variant;
    return "";
  }
  // A timeout that replaces the variant's and the runner's, for detectors whose trials do not
  // run the variant as it is (a compiler run's length has nothing to do with the case's
  // timeout; Valgrind runs it 50-500x slower).
  virtual std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl& variant) const {
    (void)variant;
    return std::nullopt;
  }
  // A check the runner polls while a trial runs (ProcessSpec::settled): true once nothing the
  // trial could still do would change how this detector grades it, and the runner then ends
  // the trial. log_prefix: where the trial's tool writes its logs ("<log_prefix>.<pid>").
  // Default: none, every trial runs to its end or its timeout.
  virtual std::function<bool()> settled_check(const VariantDecl& variant,
                                              const std::string& log_prefix) const {
    (void)variant;
    (void)log_prefix;
    return {};
  }
  // The case host command a trial runs: "run" (one variant once), "compare" (broken and
  // fixed alternately, for perf) or "property" (the invariant over generated inputs).
  virtual std::string_view host_command() const { return "run"; }
  // False for detectors a run includes only when asked (--detectors, or --noise for
  // invariant-noise): they repeat another detector's work under different conditions.
  virtual bool in_default_set() const { return true; }
  // True for detectors whose verdict is line-level by definition (a compiler warning counts
  // only where the broken variant marks its bug, see catalog/bug_markers.hpp): a finding off
  // every marked line does not detect. Other detectors detect at file level, and their
  // line-level truth is recorded beside the verdict.
  virtual bool requires_line_match() const { return false; }
  // True for detectors whose binary is an optional part of a build (the other compiler's
  // TSan catalog): a detector set (the default, `all`) leaves them out where it is missing.
  virtual bool binary_is_optional() const { return false; }
  // The program a trial starts by name before the case binary (valgrind, for Helgrind and
  // DRD), or "" when the trial starts the case binary itself. On a machine without it the
  // detector's pairs are skipped, saying so, and the rest of the run goes on.
  virtual std::string_view required_program() const { return ""; }
  // True for detectors that time things: the runner gives their trials the machine alone.
  virtual bool needs_quiet_machine() const { return false; }
  // True for detectors whose trial reads only the source (a compiler run): every trial gives
  // the same answer, so the runner runs one, whatever --repeat asks for.
  virtual bool same_every_trial() const { return false; }
  // True for detectors that read the stacks gdb takes of a trial that outlives its timeout
  // (TrialEvidence::process.timeout_evidence). Only they pay for the capture: about a second
  // per process on a quiet machine, many more on a loaded one.
  virtual bool reads_hang_stacks() const { return false; }
  // The detector that grades this one's trials the same way on a build with schedule noise
  // (the invariant detector's invariant-noise), or nullptr. The runner gives it every second
  // adaptive retry of a broken pair that has not shown its finding (grader.hpp,
  // retry_with_noise), when its binary was built.
  virtual const Detector* noisy_twin() const { return nullptr; }
  // Why this detector cannot run a standalone program (a program with its own main(), not
  // written against the cb:: case API: programs/), or "" when it can. A program's verdict for
  // such a detector is `skipped` with this reason.
  virtual std::string_view without_case_api() const { return ""; }
  // Environment for the child (ChildSettings: where its tool's logs go, its noise level).
  virtual std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const {
    (void)child;
    return {};
  }
  // The finding kinds this detector reports: case declarations are checked against them before
  // a run (catalog/declaration_check.hpp), so a misspelt kind is an error, not a run-time miss.
  virtual KindVocabulary finding_kinds() const = 0;
  virtual DetectorReading read(const TrialEvidence& evidence) const = 0;
};

// The facts check_declarations needs of the detector called name for variant (its kinds,
// whether it runs .small inputs, whether it applies); an unknown name gives no kinds.
DetectorFacts detector_facts(const VariantDecl& variant, const std::string& name);

// The Valgrind suppressions file casebook ships (harness/valgrind/casebook.supp), where a build
// tree and an install put it beside the binaries: <folder of casebook>/../share/casebook/
// valgrind/casebook.supp, found from the running executable. The path is returned whether or
// not the file is there; callers check.
std::string shipped_valgrind_suppressions();

// The suppressions files every helgrind and drd trial passes to Valgrind (--suppressions=F,
// in order). Until set: shipped_valgrind_suppressions() alone. Set once by the CLI before a
// run starts (the shipped file unless --no-default-valgrind-suppressions, then each
// --valgrind-suppressions file); read by the runner's threads afterwards. Thread-safe.
void set_valgrind_suppressions(std::vector<std::string> files);
std::vector<std::string> valgrind_suppressions();

// All detectors in their default run order.
const std::vector<std::unique_ptr<Detector>>& all_detectors();
// The detector called name, or nullptr.
const Detector* find_detector(std::string_view name);
std::vector<std::string> detector_names();

// The exit status sanitizers are told to use when they reported something (TSan's and ASan's
// exitcode option), so a report is never mistaken for the program's own failure.
inline constexpr int kSanitizerExitCode = 66;

// For sanitizer detectors: parses the sanitizer's log file and the child's stderr (a report
// can land on either: gcc's UBSan ignores log_path) with `parse`, drops duplicates, turns a
// "sanitizer-fatal" finding (the runtime itself died) into an infrastructure error when it
// reported nothing else (an anomaly beside the findings when it did), and describes any
// process trouble the reports do not explain.
using ReportParser = std::vector<Finding> (*)(std::string_view text, std::string_view source_root);
DetectorReading read_sanitizer_reports(const TrialEvidence& evidence, ReportParser parse,
                                       std::string_view sanitizer_name);

// " external_symbolizer_path=<llvm-symbolizer>" with the given separator, or "" when the build
// found none (the runtime then searches PATH).
std::string symbolizer_option(char separator);

// For sanitizer detectors: describes a child that crashed, hung or exited oddly without a
// report, or returns "" when the process ended as a sanitized run should.
std::string sanitizer_anomaly(const ProcessResult& process, const std::vector<Finding>& findings);

}  // namespace casebook
