// suite.hpp - run every (variant, detector) pair of a selection, N at a time, and grade them.
//
// Each pair is one job: its trials run one after another (a broken variant's deflake retries
// depend on the previous trial), while up to `jobs` pairs run in parallel on worker threads.
// The result order is fixed (catalog order, then detector order) whatever order jobs finish in.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "detectors/detector.hpp"
#include "grade/grader.hpp"
#include "grade/line_truth.hpp"
#include "grade/trial_record.hpp"
#include "suite/shard.hpp"

namespace casebook {

struct SuiteOptions {
  std::vector<VariantDecl> variants;
  std::vector<const Detector*> detectors;
  TrialBudget budget;
  int jobs = 2;
  // True when the run measures rates (--repeat): every pair runs alone, one after another, so
  // no trial shares the CPUs with another pair's and a rate is the variant's own, not the
  // runner's (a race that needs two threads to overlap shows less often beside a second
  // trial). False: up to `jobs` pairs at once.
  bool trials_alone = false;
  std::chrono::milliseconds default_timeout{10000};           // when a variant declares none
  std::optional<std::chrono::milliseconds> timeout_override;  // --timeout: wins over all
  std::uint64_t seed = 1;  // trial i of every pair runs with seed + i
  // The schedule-noise level of the invariant-noise detector's trials and of the invariant
  // detector's noisy retries: --noise, else 3.
  int noise_level = 3;
  std::string bin_dir;      // folder of casebook-cases-<config>
  std::string work_dir;     // trial folders go under it
  std::string source_root;  // absolute repo root
  // How repro lines start: the runner's `run` command with any flag a rerun needs (such as a
  // non-default --bin-dir); the pair's --filter, --detectors and --seed are appended.
  std::string runner_command = "casebook run";
  Shard shard;  // this machine's part of the pairs (suite/shard.hpp); default: all of them
};

// One (variant, detector) pair the run will grade.
struct PlannedJob {
  const VariantDecl* variant;
  const Detector* detector;
};

// The pairs this run (this shard) grades: every applicable (variant, detector), numbered in
// variant order then detector order, those of the shard kept. Throws UsageError when a variant
// declares an expectation for a detector that cannot apply to it.
std::vector<PlannedJob> plan_jobs(const SuiteOptions& options);

// The order jobs start in, as indices into jobs. A variant that declares a hang hangs under
// every detector that runs it to its end, so its pairs last their timeouts: they start first,
// the longest timeout first (a Valgrind trial's 40 s before a watchdog's 3 s), so that their
// waits overlap the short pairs instead of trailing the run. The rest keep plan order.
std::vector<std::size_t> start_order(const std::vector<PlannedJob>& jobs,
                                     const SuiteOptions& options);

struct VerdictRecord;

// A pair's name in a run: (case/variant, detector).
using PairKey = std::pair<std::string, std::string>;

struct VerdictRecord {
  VariantDecl variant;
  std::string detector;
  Expectation expected;
  Grade grade;
  std::vector<TrialRecord> trials;
  double duration_seconds = 0;
  std::string repro;  // one line that reruns this pair with the deciding seed first
  // Where the findings landed against the variant's casebook-bug lines; only for a variant
  // that marks lines and a verdict that ran trials.
  std::optional<LineTruth> line_truth;
  bool cancelled = false;  // interrupted before it could be graded; never reported

  PairKey key() const { return {variant.id(), detector}; }
};

// What a run does besides running its pairs: keep the ones an earlier run graded, and tell
// someone about each pair graded now.
struct SuiteContinuation {
  // Pairs an interrupted run already graded (`casebook run --resume`): kept as they are, in
  // their place in the order, and not run again.
  std::map<PairKey, VerdictRecord> graded_before;
  // Called on a worker thread with each pair the moment it is graded (the run journal);
  // must be thread-safe and must not throw.
  std::function<void(const VerdictRecord&)> on_graded;
};

// Told about progress from worker threads; implementations must be thread-safe.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void started(const VariantDecl& variant, std::string_view detector) = 0;
  virtual void finished(const VerdictRecord& record, int done, int total) = 0;
};

// Throws InfraError naming the first case binary that jobs need and bin_dir lacks, or holds
// without the right to execute it.
void require_case_binaries(const SuiteOptions& options, const std::vector<PlannedJob>& jobs);

// Runs the whole selection. Throws InfraError when a needed case binary is missing. When the
// runner is interrupted (process/cancellation.hpp), the trials in flight are killed, nothing
// new starts, and only the pairs that finished are returned.
std::vector<VerdictRecord> run_suite(const SuiteOptions& options, ProgressSink* progress,
                                     const SuiteContinuation& continuation = {});

}  // namespace casebook
