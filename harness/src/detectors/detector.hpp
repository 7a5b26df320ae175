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
#include "process/process.hpp"
#include "protocol/host_protocol.hpp"

namespace casebook {

// Everything a finished child left for a detector to read.
struct TrialEvidence {
  const VariantDecl& variant;
  const ProcessResult& process;
  std::string sanitizer_log;  // every log file the sanitizer wrote for this child, concatenated
  // The variant's outcome file, when it was written and reads as one (protocol::read_outcome).
  std::optional<protocol::Outcome> outcome;
  std::string source_root;  // absolute repo root, to make paths repo-relative
  // For a trial that timed out without a capture: the index of the earlier trial of the same
  // (variant, detector) pair whose stacks stand for it (the runner takes them once a pair).
  int stacks_in_trial = -1;
  // Why an outcome file that was there is not in `outcome` (too big, not an outcome), or "".
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

// What a detector is and how the runner treats it, as data. Each detector fills one in its
// constructor; the runner, the CLI, the declaration check and the standalone-program path ask
// these traits, never a detector's name, so a new detector is one file and one registry line.
struct DetectorTraits {
  std::string name;
  // Suffix of the case host it runs, casebook-cases-<configuration>: plain, tsan, asan, noise,
  // model, tsan-<other compiler>, or "compiler" for the detectors that run a compiler.
  std::string configuration;
  std::string description;  // one line for `casebook list`
  // The program a trial runs, looked up in the runner's --bin-dir; empty: the case host of the
  // configuration (casebook-cases-<configuration>).
  std::string binary_name;
  // The case host command a trial runs: "run" (one variant once), "compare" (broken and fixed
  // alternately, for perf), "property" (the invariant over generated inputs) or "explore" (the
  // model scheduler).
  std::string host_command = "run";
  // The finding kinds it reports: case declarations are checked against them before a run
  // (catalog/declaration_check.hpp), so a misspelt kind is an error, not a run-time miss.
  KindVocabulary finding_kinds;
  // False for detectors a run includes only when asked (--detectors): they repeat another
  // detector's work under other conditions or cost minutes (Valgrind).
  bool in_default_set = true;
  // True for the detector --noise adds to a run (the invariant detector on the noise build).
  bool added_by_noise = false;
  // Non-empty for a detector whose binary is an optional part of a build (the other compiler's
  // TSan catalog): how to build it, for the error that names it missing. A detector set (the
  // default, `all`) leaves such a detector out where its binary is missing.
  std::string optional_build;
  // The detector whose declared expectation stands for this one's when a variant declares none
  // for it (invariant-noise: invariant; tsan-gcc: tsan), or "": an undeclared pair is clean.
  std::string expectations_of;
  // The detector that grades this one's trials the same way on a build with schedule noise, or
  // "". The runner gives it every second adaptive retry of a broken pair that has not shown its
  // finding (grader.hpp, retry_with_noise), when its binary was built.
  std::string noisy_twin;
  // The program a trial starts by name before the case binary (valgrind), or "". On a machine
  // without it the detector's pairs are skipped, saying so, and the rest of the run goes on.
  std::string required_program;
  // Why it cannot run a standalone program (its own main(), not written against the cb:: case
  // API: programs/), or "" when it can. Such a program's verdict is `skipped` with this reason.
  std::string without_case_api;
  // Why it cannot judge an OpenMP program (the runtime's own synchronisation is invisible to
  // it), or "". Such a program's verdict is `skipped` with this reason.
  std::string blind_to_openmp;
  // True for detectors that slow a run down by orders of magnitude or repeat it thousands of
  // times (the model scheduler, Valgrind): their trials run with the variant's .small inputs
  // (VariantDecl::small_or_defaults) instead of its defaults.
  bool uses_small_inputs = false;
  // True for detectors whose verdict is line-level by definition (a compiler warning counts
  // only where the broken variant marks its bug, see catalog/bug_markers.hpp): a finding off
  // every marked line does not detect. Others detect at file level, and their line-level truth
  // is recorded beside the verdict.
  bool requires_line_match = false;
  // True for detectors that time things: the runner gives their trials the machine alone.
  bool needs_quiet_machine = false;
  // True for detectors whose trial reads only the source (a compiler run): every trial gives
  // the same answer, so the runner runs one, whatever --repeat asks for.
  bool same_every_trial = false;
  // True for detectors that read the stacks taken of a trial that outlives its timeout
  // (TrialEvidence::process.timeout_evidence). Only they pay for the capture.
  bool reads_hang_stacks = false;
};

class Detector {
 public:
  explicit Detector(DetectorTraits traits);
  virtual ~Detector() = default;
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  const DetectorTraits& traits() const { return traits_; }
  std::string_view name() const { return traits_.name; }  // the one trait asked everywhere

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
  // directly. A wrapped trial that times out gets no stack capture (it would show the
  // wrapper's own threads, not the case's).
  virtual std::vector<std::string> command_prefix(const std::string& log_prefix) const {
    (void)log_prefix;
    return {};
  }
  // True when the case host picks the inputs itself for this variant, so the trial passes
  // none (the model detector for a variant without .small: the host derives small ones, and
  // `casebook replay` of a schedule it prints derives the same).
  virtual bool host_chooses_inputs(const VariantDecl& variant) const {
    (void)variant;
    return false;
  }
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
  // How long a trial of `variant` may use no CPU at all before the runner ends it as its
  // timeout would (ProcessSpec::idle_timeout). Default: zero, a trial waits out its timeout.
  virtual std::chrono::milliseconds idle_end(const VariantDecl& variant) const {
    (void)variant;
    return std::chrono::milliseconds::zero();
  }
  // Environment for the child (ChildSettings: where its tool's logs go, its noise level).
  virtual std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const {
    (void)child;
    return {};
  }
  virtual DetectorReading read(const TrialEvidence& evidence) const = 0;

 private:
  DetectorTraits traits_;
};

// The expectation a variant declares for detector d, the one d's traits inherit
// (DetectorTraits::expectations_of) when it declares none, else an implicit clean one.
Expectation expectation_of(const VariantDecl& variant, const Detector& d);

// The same for a detector known only by its name (read back from a results file): an unknown
// name inherits nothing.
Expectation expectation_of(const VariantDecl& variant, const std::string& detector);

// The detector that repeats d's grading under schedule noise (DetectorTraits::noisy_twin), or
// nullptr.
const Detector* noisy_twin_of(const Detector& d);

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
