// detector_impls.hpp - the concrete detectors. Internal to detectors/: everything else goes
// through the Detector interface and the registry in detector.hpp.
#pragma once

#include "detectors/detector.hpp"

namespace casebook {

// Each detector's traits (detector.hpp) are set in its constructor, in its own .cpp file, beside
// the code that reads its evidence.

// ThreadSanitizer, in three spellings: `tsan` is the tsan build of the project's compiler;
// `tsan-clang` and `tsan-gcc` name a compiler. The one naming the project's compiler runs the
// same binary as `tsan` (so only --detectors asks for it); the other runs the case catalog
// built by the other compiler in a sub-build (cmake/other_compiler_tsan.cmake), so that the
// two runtimes' differences show in the scorecard. Expectations for tsan-<compiler> are
// tsan's unless a variant declares its own (VariantDecl::expectation_for).
class TsanDetector final : public Detector {
 public:
  // compiler: "" for `tsan`, else "clang" or "gcc".
  explicit TsanDetector(std::string_view compiler = "");
  std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const override;
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class AsanDetector final : public Detector {
 public:
  AsanDetector();
  std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const override;
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class WatchdogDetector final : public Detector {
 public:
  WatchdogDetector();
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class InvariantDetector final : public Detector {
 public:
  InvariantDetector();
  DetectorReading read(const TrialEvidence& evidence) const override;
};

// The invariant detector on the noise build (casebook/noise/facade.hpp): the same grading,
// with seeded schedule noise at every cb:: operation. Its expectation is the invariant
// detector's unless a variant declares one of its own (DetectorTraits::expectations_of).
class InvariantNoiseDetector final : public Detector {
 public:
  InvariantNoiseDetector();
  std::vector<std::pair<std::string, std::string>> environment(
      const ChildSettings& child) const override;
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class FairnessDetector final : public Detector {
 public:
  FairnessDetector();
  std::string not_applicable(const VariantDecl& variant) const override;
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class PerfDetector final : public Detector {
 public:
  PerfDetector();
  std::string not_applicable(const VariantDecl& variant) const override;
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class PropertyDetector final : public Detector {
 public:
  PropertyDetector();
  std::string not_applicable(const VariantDecl& variant) const override;
  // One trial checks a whole property (100 inputs by default), not one run of the variant.
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl&) const override {
    return std::chrono::seconds(300);
  }
  DetectorReading read(const TrialEvidence& evidence) const override;
};

// One line of a blocked model execution's details ("thread 1 blocked in lock m0 at
// cases/x/broken.cpp:42, holding m1") as a stack of one frame at the blocking call; nullopt
// for any other line (a wait-for cycle, a thread's state).
std::optional<Stack> blocked_thread_stack(std::string_view detail);

class ModelDetector final : public Detector {
 public:
  ModelDetector();
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
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class CompileDetector final : public Detector {
 public:
  CompileDetector();
  std::string not_applicable(const VariantDecl& variant) const override;
  std::optional<std::vector<std::string>> own_arguments(
      const VariantDecl& variant, const std::string& source_root) const override;
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl&) const override {
    return std::chrono::seconds(120);  // a compiler run, not the variant's: its timeout is moot
  }
  DetectorReading read(const TrialEvidence& evidence) const override;
};

// Clang's -Wthread-safety analysis on the variant's source: static, one compile per trial.
// Applies only to variants that declare an expectation for it (their data is annotated), and
// detects only at a line the broken variant marks as its bug.
class ThreadSafetyDetector final : public Detector {
 public:
  ThreadSafetyDetector();
  std::string not_applicable(const VariantDecl& variant) const override;
  std::optional<std::vector<std::string>> own_arguments(
      const VariantDecl& variant, const std::string& source_root) const override;
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl&) const override {
    return std::chrono::seconds(120);  // a compiler run, not the variant's
  }
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

// The idle end of a Valgrind trial of `variant` (Detector::idle_end): for a variant that
// declares it hangs, kValgrindIdleEnd; zero for every other, which ends by itself. A hang
// under Valgrind waits out its timeout (the variant's own x 20, at least 30 s) so that a slow
// run is not taken for a stuck one; a run whose processes have used no CPU at all for
// kValgrindIdleEnd is stuck, and Helgrind reports some hangs (a relock of a held mutex) only
// when the process is ended, which the idle end does as the timeout would.
inline constexpr std::chrono::milliseconds kValgrindIdleEnd = std::chrono::seconds(3);
std::chrono::milliseconds valgrind_idle_end(const VariantDecl& variant);

// Valgrind's two tools (Helgrind, DRD): the same trial under another --tool, told apart only
// by their traits.
class ValgrindToolDetector final : public Detector {
 public:
  // tool: "helgrind" or "drd".
  explicit ValgrindToolDetector(std::string_view tool);
  std::vector<std::string> command_prefix(const std::string& log_prefix) const override;
  std::optional<std::chrono::milliseconds> own_timeout(const VariantDecl& variant) const override {
    return valgrind_trial_timeout(variant);
  }
  std::function<bool()> settled_check(const VariantDecl& variant,
                                      const std::string& log_prefix) const override {
    return valgrind_settled_check(variant, name(), log_prefix);
  }
  std::chrono::milliseconds idle_end(const VariantDecl& variant) const override {
    return valgrind_idle_end(variant);
  }
  DetectorReading read(const TrialEvidence& evidence) const override;
};

}  // namespace casebook
