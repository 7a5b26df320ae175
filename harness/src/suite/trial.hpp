// trial.hpp - run one trial: one child process of one variant under one detector.
//
// run_trial builds the child's command line and environment from the variant's defaults and
// the trial's seed, runs it in isolation (process/process.hpp), with stacks captured on timeout
// when the plan asks, collects the sanitizer logs and the outcome file from the trial's own
// folder, and lets the detector read them. Thread-safe: trials share nothing but read-only inputs.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "detectors/detector.hpp"
#include "grade/trial_record.hpp"
#include "process/process.hpp"

namespace casebook {

// The per-trial resident memory cap of a variant that declares none (.memory_limit_mib).
// Generous for the catalog's cases under TSan (5-10x memory), small enough that two trials
// at once stay well inside a 24 GiB machine.
inline constexpr int kDefaultMemoryLimitMiB = 4096;

// The per-trial cap on processes and threads of a variant that declares none (.max_tasks):
// far above what any case starts (TSan and Valgrind add a few threads of their own), far
// below what takes a machine down.
inline constexpr int kDefaultMaxTasks = 4096;

// A trial's address-space cap where its build has no sanitizer, and its file-size cap.
inline constexpr unsigned long long kTrialAddressSpaceBytes = 8ULL << 30;
inline constexpr unsigned long long kTrialFileSizeBytes = 256ULL << 20;

// The limits a trial of variant runs under in configuration (a row of
// configurations/build_configurations.hpp): the variant's declared resident-memory and task
// caps, or the defaults above, and an address-space cap only where no sanitizer reserves
// terabytes of it (an unknown configuration gets none either).
ResourceLimits trial_limits(const VariantDecl& variant, std::string_view configuration);

struct TrialPlan {
  const VariantDecl* variant = nullptr;
  const Detector* detector = nullptr;
  int index = 0;
  std::uint64_t seed = 0;
  std::chrono::milliseconds timeout{10000};
  std::string case_binary;  // absolute path of the detector's program (casebook-cases-<config>)
  std::string work_dir;     // an empty folder of this trial's own (created by run_trial)
  std::string source_root;  // absolute repo root
  // The earlier trial of the same pair whose hang stacks stand for this one's, or -1: a
  // timeout then takes the stacks, if the detector reads them (once a pair).
  int stacks_in_trial = -1;
  int noise_level = 3;  // the level a detector with a noise build runs at (ChildSettings)
};

TrialRecord run_trial(const TrialPlan& plan);

// The detector's reading of a trial's evidence. An outcome file the case host did not write
// (a variant writing its own, a field of another type) makes a detector's JSON access throw:
// that outcome is then set aside, evidence.outcome_problem says why, and the detector reads
// the trial again without it. So what a variant writes is the variant's to answer for, never
// an infrastructure error of the runner's.
DetectorReading read_evidence(const Detector& detector, TrialEvidence evidence);

// An outcome file's document as the detectors read it (protocol::read_outcome), or nothing and
// the problem a detector that reads outcomes reports ("its outcome file is not the case host's
// (outcome.holds: expected a boolean, found \"yes\"): ignored").
struct ReadOutcome {
  std::optional<protocol::Outcome> outcome;
  std::string problem;
};
ReadOutcome outcome_of(const nlohmann::json& document);

// The child's argv for a plan (also used to print the by-hand repro command): the detector's
// command prefix (made with log_prefix), then the binary and its arguments.
std::vector<std::string> trial_argv(const TrialPlan& plan, const std::string& outcome_path,
                                    const std::string& log_prefix);

// Quotes a word for a POSIX shell when it needs it.
std::string shell_quote(const std::string& word);

}  // namespace casebook
