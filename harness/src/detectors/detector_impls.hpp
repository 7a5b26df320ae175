// detector_impls.hpp - the concrete detectors. Internal to detectors/: everything else goes
// through the Detector interface and the registry in detector.hpp.
#pragma once

#include "detectors/detector.hpp"

namespace casebook {

// ThreadSanitizer, in three spellings: `tsan` is the tsan build of the project's compiler;
// `tsan-clang` and `tsan-gcc` name a compiler. The one naming the project's compiler runs the
// same binary as `tsan` (so only --detectors asks for it); the other runs the case catalog
// built by the other compiler in a sub-build (cmake/other_compiler_tsan.cmake), so that the
// two runtimes' differences show in the scorecard. Expectations for tsan-<compiler> are
// tsan's unless a variant declares its own (VariantDecl::expectation_for).
class TsanDetector final : public Detector {
 public:
  // compiler: "" for `tsan`, else "clang" or "gcc".
  explicit TsanDetector(std::string compiler = "");
  std::string_view name() const override { return name_; }
  std::string_view configuration() const override { return configuration_; }
  std::string_view description() const override { return description_; }
  bool in_default_set() const override { return default_set_; }
  bool binary_is_optional() const override { return configuration_ != "tsan"; }
  std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const override;
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;

 private:
  std::string name_;
  std::string configuration_;  // tsan, or tsan-<other compiler> for the sub-build's catalog
  std::string description_;
  bool default_set_ = true;
};

class AsanDetector final : public Detector {
 public:
  std::string_view name() const override { return "asan"; }
  std::string_view configuration() const override { return "asan"; }
  std::string_view description() const override {
    return "AddressSanitizer + UBSan + LeakSanitizer: use-after-free, overflows, UB, leaks";
  }
  std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const override;
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class WatchdogDetector final : public Detector {
 public:
  std::string_view name() const override { return "watchdog"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "hang watchdog: a run past its timeout is a hang, with every thread's stack";
  }
  bool reads_hang_stacks() const override { return true; }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class InvariantDetector final : public Detector {
 public:
  std::string_view name() const override { return "invariant"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "the variant's own invariant check on its outcome; a crash counts too";
  }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  const Detector* noisy_twin() const override { return find_detector("invariant-noise"); }
  DetectorReading read(const TrialEvidence& evidence) const override;
};

// The invariant detector on the noise build (casebook/noise/facade.hpp): the same grading,
// with seeded schedule noise at every cb:: operation. Its expectation is the invariant
// detector's unless a variant declares one of its own (see VariantDecl::expectation_for).
class InvariantNoiseDetector final : public Detector {
 public:
  std::string_view without_case_api() const override {
    return "schedule noise is injected by the cb:: facade, which a standalone program does not use";
  }
  std::string_view name() const override { return "invariant-noise"; }
  std::string_view configuration() const override { return "noise"; }
  std::string_view description() const override {
    return "the invariant detector with seeded schedule noise (yields, short sleeps) at every "
           "cb:: operation";
  }
  bool in_default_set() const override { return false; }
  std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const override;
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class FairnessDetector final : public Detector {
 public:
  std::string_view without_case_api() const override {
    return "per-thread shares come from a case's outcome, which a standalone program does not "
           "write";
  }
  std::string_view name() const override { return "fairness"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "per-thread shares of the work: a thread far below its fair share is starved";
  }
  std::string not_applicable(const VariantDecl& variant) const override;
  // Waits are wall time, and a thread that is runnable but not running waits too: next to a
  // TSan job of the same case, writer_starvation/fixed's readers waited 129-221 ms for a turn
  // in 3 of 100 trials (ceiling 100 ms). So, like perf, its trials get the machine alone.
  bool needs_quiet_machine() const override { return true; }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class PerfDetector final : public Detector {
 public:
  std::string_view without_case_api() const override {
    return "the comparison runs a case's broken and fixed run() alternately; a standalone program "
           "has its own main()";
  }
  std::string_view name() const override { return "perf"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "broken against fixed in one process: a ratio past the case's threshold is a slowdown";
  }
  std::string not_applicable(const VariantDecl& variant) const override;
  std::string_view host_command() const override { return "compare"; }
  bool needs_quiet_machine() const override { return true; }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class PropertyDetector final : public Detector {
 public:
  std::string_view without_case_api() const override {
    return "generated inputs go to a case's run(params); a standalone program takes none";
  }
  std::string_view name() const override { return "property"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "rapidcheck property: the invariant over generated inputs, shrunk on failure";
  }
  std::string not_applicable(const VariantDecl& variant) const override;
  std::string_view host_command() const override { return "property"; }
  // One trial checks a whole property (100 inputs by default), not one run of the variant.
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl&) const override {
    return std::chrono::seconds(300);
  }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

// One line of a blocked model execution's details ("thread 1 blocked in lock m0 at
// cases/x/broken.cpp:42, holding m1") as a stack of one frame at the blocking call; nullopt
// for any other line (a wait-for cycle, a thread's state).
std::optional<Stack> blocked_thread_stack(std::string_view detail);

class ModelDetector final : public Detector {
 public:
  std::string_view without_case_api() const override {
    return "the controlled scheduler runs code written against the cb:: API; a standalone "
           "program's threads are its own";
  }
  std::string_view name() const override { return "model"; }
  std::string_view configuration() const override { return "model"; }
  std::string_view description() const override {
    return "the controlled scheduler: deadlock, lost wake-up, livelock, misuse, invariant, "
           "with a shrunk replayable schedule";
  }
  std::string_view host_command() const override { return "explore"; }
  bool uses_small_inputs() const override { return true; }
  bool host_chooses_inputs(const VariantDecl& variant) const override {
    return !variant.small.has_value();
  }
  // CASEBOOK_RUNNER_BINARY: this casebook's path, for the replay command the host prints.
  std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const override;
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl&) const override {
    // dfs for up to 5 s, then up to 10,000 PCT runs: not the variant's own timeout.
    return std::chrono::seconds(180);
  }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class CompileDetector final : public Detector {
 public:
  std::string_view without_case_api() const override {
    return "must-not-compile probes belong to cases written against the cb:: API";
  }
  std::string_view name() const override { return "compile"; }
  std::string_view configuration() const override { return "compiler"; }
  std::string_view description() const override {
    return "must-not-compile probe: the broken form, written through a checked API, is refused";
  }
  std::string binary_name() const override { return "casebook-compile-probe"; }
  std::string not_applicable(const VariantDecl& variant) const override;
  std::optional<std::vector<std::string>> own_arguments(
      const VariantDecl& variant, const std::string& source_root) const override;
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl&) const override {
    return std::chrono::seconds(120);  // a compiler run, not the variant's: its timeout is moot
  }
  bool same_every_trial() const override { return true; }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

// Clang's -Wthread-safety analysis on the variant's source: static, one compile per trial.
// Applies only to variants that declare an expectation for it (their data is annotated), and
// detects only at a line the broken variant marks as its bug.
class ThreadSafetyDetector final : public Detector {
 public:
  std::string_view without_case_api() const override {
    return "the analysis checks the cb:: annotations of a case's shared state";
  }
  std::string_view name() const override { return "thread-safety"; }
  std::string_view configuration() const override { return "compiler"; }
  std::string_view description() const override {
    return "Clang's -Wthread-safety analysis of the annotated source: unguarded access, lock "
           "not held, double lock, lock order";
  }
  std::string binary_name() const override { return "casebook-thread-safety"; }
  std::string not_applicable(const VariantDecl& variant) const override;
  std::optional<std::vector<std::string>> own_arguments(
      const VariantDecl& variant, const std::string& source_root) const override;
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl&) const override {
    return std::chrono::seconds(120);  // a compiler run, not the variant's
  }
  bool same_every_trial() const override { return true; }
  bool requires_line_match() const override { return true; }
  KindVocabulary finding_kinds() const override;  // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

// The finding kind of one of the analysis's warning messages (with or without its trailing
// "[-Wthread-safety-...]" flag): "unguarded-access", "lock-not-held", "double-lock", ...
std::string thread_safety_kind(std::string_view message);

// Valgrind's tools on the plain build (detectors/valgrind_run.hpp): the case host runs under
// valgrind, 50-500x slower, so trials take the variant's .small inputs and a timeout of their
// own. Generous: the slowest catalog trial (shared_map_writers/fixed, which declares no .small,
// under DRD) took 102 s on a loaded 2-core machine; bounded, so a variant that hangs under
// Valgrind costs three minutes, not the run. Not in the default set: the whole catalog under
// both tools took 8.9 min of wall time at -j2 (445 s of Helgrind trials, 615 s of DRD ones, on
// a shared machine), against about 75 s for the whole default suite.
inline constexpr std::chrono::milliseconds kValgrindTrialTimeout = std::chrono::seconds(180);

// The timeout of a Valgrind trial of `variant`: kValgrindTrialTimeout, except for a variant that
// declares it hangs (VariantDecl::declares_hang). Its findings come before the hang (Valgrind
// writes each as it finds it) and the rest of the trial is the hang itself, so the trial gets
// 20 times the variant's own timeout (the time its work takes before the hang, with the
// margin its author gave it), at least 30 s, never above the ceiling: recursive_relock/broken's
// two Valgrind trials took 360 s of the pass's 584 s of pair time at the ceiling, for a relock
// reported in the first second.
std::chrono::milliseconds valgrind_trial_timeout(const VariantDecl& variant);

// The settled check of a Valgrind trial of `variant` under `detector` (Detector::settled_check):
// for a variant that declares it hangs and expects (finds, or may find) a kind of this
// detector's, true as soon as the XML written so far (every "<log_prefix>.<pid>" file) holds a
// finding of such a kind. The verdict is then "detected" whatever follows, and what follows is
// the hang, which only the timeout would end. Empty for every other variant: a run that ends by
// itself, or one expected clean, is always seen to its end.
std::function<bool()> valgrind_settled_check(const VariantDecl& variant, std::string_view detector,
                                             const std::string& log_prefix);

class HelgrindDetector final : public Detector {
 public:
  std::string_view name() const override { return "helgrind"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "Valgrind Helgrind on the plain build: races, lock-order inversions, pthread misuse";
  }
  std::vector<std::string> command_prefix(const std::string& log_prefix) const override;
  std::string_view required_program() const override { return "valgrind"; }
  bool uses_small_inputs() const override { return true; }
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl& variant) const override {
    return valgrind_trial_timeout(variant);
  }
  std::function<bool()> settled_check(const VariantDecl& variant,
                                      const std::string& log_prefix) const override {
    return valgrind_settled_check(variant, name(), log_prefix);
  }
  bool in_default_set() const override { return false; }  // see kValgrindTrialTimeout
  KindVocabulary finding_kinds() const override;          // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class DrdDetector final : public Detector {
 public:
  std::string_view name() const override { return "drd"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "Valgrind DRD on the plain build: races, pthread misuse, signals without the mutex";
  }
  std::vector<std::string> command_prefix(const std::string& log_prefix) const override;
  std::string_view required_program() const override { return "valgrind"; }
  bool uses_small_inputs() const override { return true; }
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl& variant) const override {
    return valgrind_trial_timeout(variant);
  }
  std::function<bool()> settled_check(const VariantDecl& variant,
                                      const std::string& log_prefix) const override {
    return valgrind_settled_check(variant, name(), log_prefix);
  }
  bool in_default_set() const override { return false; }  // see kValgrindTrialTimeout
  KindVocabulary finding_kinds() const override;          // in finding_kinds.cpp
  DetectorReading read(const TrialEvidence& evidence) const override;
};

}  // namespace casebook
