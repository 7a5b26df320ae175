// results_model.hpp - results.json as C++ types: the one model of the file `casebook run`
// writes and that `--resume`, the merge of shards, the scorecard and every report writer read.
// Its schema is reports/schema/results.schema.json.
//
// Reading (read_results and the from_json functions) is exactly as strict as the schema: a
// field the schema requires must be there, a field that is there must have its type, and a
// field added since schema_version 1 that an older file lacks reads as its default. The first
// field that breaks this stops the reader with one FieldError naming its path
// ("verdicts[3].trials[0].seed: expected an unsigned integer, found -7"), so every reader of a
// results file refuses a bad one with the same message.
//
// Writing (to_json) gives what the harness writes; what it reads back writes out unchanged
// (to_json(read(to_json(x))) == to_json(x), tested). Plain data; thread-safe as values are.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "results/finding.hpp"
#include "results/json_fields.hpp"
#include "results/outcome.hpp"
#include "results/property_check.hpp"
#include "results/scorecard_model.hpp"

namespace casebook::results {

// The schema_version this build reads and writes; it changes only when a reader must.
inline constexpr int kSchemaVersion = 1;

// One run of a variant under a detector.
struct Trial {
  int index = 0;           // 0-based within its (case, variant, detector)
  std::uint64_t seed = 0;  // the --seed the variant ran with
  int noise_level = 0;     // schedule noise of an adaptive retry; 0: unperturbed
  double duration_seconds = 0;
  long peak_rss_kib = 0;         // the child's peak resident memory; 0: unknown
  std::string status;            // "exit 0", "signal 11 (SIGSEGV)", "timed out after 3.0 s"
  std::optional<int> exit_code;  // when it exited
  std::optional<int> signal;     // when a signal ended it
  bool timed_out = false;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  std::vector<Finding> findings;
  std::vector<SuppressionCount> suppressed;  // written only when a tool suppressed something
  std::string anomaly;
  std::string infra_error;
  // The variant's outcome file, as the case host wrote it (with the model's source paths
  // located and, past a pair's first trace, the trace left out); none: no outcome, or one that
  // was not the case host's and was set aside.
  std::optional<Outcome> outcome;
  std::string command;  // the shell line that reruns this child by hand
  std::string stderr_tail;

  bool operator==(const Trial&) const = default;
};

// What the variant declares for the detector, as the verdict was graded against it.
struct Expected {
  std::string verdict;  // "detected", "clean", "skipped", "false-positive", "may-find"
  bool declared = false;
  std::vector<std::string> kinds;
  std::string reason;
  std::vector<std::string> false_positive_kinds;
  std::string false_positive_reason;

  bool operator==(const Expected&) const = default;
};

// How often the trials showed what the pair is about (grade/manifestation.hpp computes it).
struct Manifestation {
  int trials = 0;
  int hits = 0;
  double rate = 0;
  double ci_low = 0;
  double ci_high = 0;
  int first_hit_trial = 0;  // 1-based; 0 when no trial hit
  double seconds_to_first_hit = 0;

  bool operator==(const Manifestation&) const = default;
};

// A rate over trials as the --noise comparison shows it: a Manifestation without the time to
// the first hit.
struct Rate {
  int trials = 0;
  int hits = 0;
  double rate = 0;
  double ci_low = 0;
  double ci_high = 0;
  int first_hit_trial = 0;

  bool operator==(const Rate&) const = default;
};

// One variant run under both the invariant detector and its noisy twin.
struct NoiseRow {
  std::string case_name;  // "case" in the document
  std::string variant;
  bool expects_finding = false;
  Rate without_noise;
  Rate with_noise;

  bool operator==(const NoiseRow&) const = default;
};

// What --noise at `level` did to how often each variant showed its finding.
struct NoiseComparison {
  int level = 0;
  std::vector<NoiseRow> comparison;

  bool operator==(const NoiseComparison&) const = default;
};

// The frame a line-level verdict names (grade/line_truth.hpp's FrameRef).
struct LineFrame {
  int trial = 0;
  int stack = 0;
  std::string stack_title;
  std::string thread;
  int frame = 0;
  std::string function;

  bool operator==(const LineFrame&) const = default;
};

struct RacePair {
  bool both = false;
  bool one = false;
  std::vector<int> at;
  // A standalone program's labelled pairs (the first access's line, the second's) as its
  // labels file gave them; none for a case, whose marked lines pair up.
  std::optional<std::vector<std::pair<int, int>>> labelled;

  bool operator==(const RacePair&) const = default;
};

struct LineLevel {
  std::vector<int> marked_lines;
  bool located = false;
  bool hit = false;
  std::string at;
  std::optional<LineFrame> frame;
  std::optional<RacePair> race_pair;

  bool operator==(const LineLevel&) const = default;
};

// One (case, variant, detector) and how it was graded.
struct Verdict {
  std::string case_name;  // "case" in the file
  std::string variant;
  std::string detector;
  std::string verdict;  // "detected", "missed", "clean", "false-positive", "error", "skipped"
  bool passed = false;
  Expected expected;
  std::string reason;
  bool infrastructure = false;
  std::string title;
  std::string category;
  std::string file;
  std::string file_base;  // written only off the repository
  std::string repro;
  double duration_seconds = 0;
  int deciding_trial = -1;
  std::vector<Trial> trials;
  std::optional<Manifestation> manifestation;  // none for a skip
  std::optional<PropertyCheck> property;       // the property detector's figures; none: null
  std::optional<LineLevel> line_level;
  // Standalone programs only: their ground truth and where it came from.
  std::optional<bool> positive;
  std::string labelled_by;

  bool operator==(const Verdict&) const = default;
};

struct Run {
  std::string started_at;  // ISO 8601 UTC
  double duration_seconds = 0;
  std::uint64_t seed = 0;
  int repeat = 1;
  int deflake = 5;
  int deflake_max = 100;
  double deflake_seconds = 120;
  // Pairs ran one at a time (a --repeat run measuring rates); unknown in files of older builds.
  std::optional<bool> trials_alone;
  int jobs = 1;
  std::string filter;
  std::vector<std::string> detectors;
  std::string command;
  int shard_index = 0;
  int shard_count = 1;
  int noise_level = 0;
  nlohmann::json identity;  // what a --resume must match; null: not recorded
  int resumed_times = 0;    // written only when the run was resumed
  int pairs_kept = 0;

  bool operator==(const Run&) const = default;
};

struct Summary {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int total = 0;
  int infrastructure_errors = 0;

  bool operator==(const Summary&) const = default;
};

// Where the run happened, so a report from another machine explains itself.
struct Environment {
  std::string compiler_id;                            // "Clang"
  std::string compiler_version;                       // "14.0.6"
  std::map<std::string, std::string> configurations;  // case binary configuration -> its flags
  std::string kernel;                                 // "Linux 6.1.0-18-amd64"
  std::string machine;                                // "x86_64"; written when known
  int cpu_count = 0;
  std::string git_commit;  // the checkout's commit when the run started; empty: not git
  // The commit the binaries were built from, and whether tracked files had changes then;
  // written when known.
  std::string build_commit;
  std::optional<bool> build_dirty;
  std::string task_cap;  // each trial's pids cgroup, or "none: " and why; written when known

  bool operator==(const Environment&) const = default;
};

// One input of a merged document (`casebook report` with several files).
struct MergedInput {
  std::string file;
  std::string started_at;
  std::uint64_t seed = 0;
  std::string git_commit;
  std::string build_commit;
  double duration_seconds = 0;
  int shard_index = 0;
  int shard_count = 1;
  int verdicts = 0;

  bool operator==(const MergedInput&) const = default;
};

// How many standalone programs the run compiled, found compiled already, or could not build.
struct Programs {
  int compiled = 0;
  int reused = 0;
  int failed = 0;

  bool operator==(const Programs&) const = default;
};

// One case's folder as the run saw it ("cases"): what the reports render as its README and
// sources, so a report never reads the checkout again.
struct CaseText {
  std::string category;
  std::string folder;       // repo-relative, or relative to the source base folder_base names
  std::string folder_base;  // a key of Results::source_bases; "" for the repository's cases
  std::map<std::string, std::string> files;  // README.md and the sources, by file name

  bool operator==(const CaseText&) const = default;
};

// A folder outside the repository that file names with its base id are relative to
// ("source_bases": CASEBOOK_EXTRA_CASES folders, --programs folders).
struct SourceBase {
  std::string path;  // absolute, on the machine that built the cases
  std::optional<std::string> description;

  bool operator==(const SourceBase&) const = default;
};

struct Results {
  int schema_version = kSchemaVersion;
  std::string tool_name = "casebook";
  std::string tool_version;
  Environment environment;
  Run run;
  std::optional<NoiseComparison> noise;  // the --noise comparison; none without --noise
  Summary summary;
  bool interrupted = false;
  std::vector<Verdict> verdicts;
  std::map<std::string, CaseText> cases;  // by case name
  // Written only when present.
  std::optional<Programs> programs;
  std::optional<Scorecard> scorecard;  // reports/scorecard; none: not computed
  // By base id ("%EXTRA_CASES_<NAME>%"); none when every case is the repository's.
  std::optional<std::map<std::string, SourceBase>> source_bases;
  std::vector<MergedInput> merged_from;  // the files `casebook report` merged; none: one run

  bool operator==(const Results&) const = default;
};

// The one rule for a summary: skipped verdicts count as skipped whatever they say, the rest
// as passed or failed, and failures caused by the machine also as infrastructure errors. The
// harness counts its own records with it too (record/results_json.hpp).
void count_verdict(Summary& s, bool skipped, bool passed, bool infrastructure);
Summary summarize(const std::vector<Verdict>& verdicts);

// "N passed, N failed, N skipped": the closing line of every run and report.
std::string summary_line(const Summary& s);

// The detectors of a document in the order reports show them: the run's own order
// (run.detectors, the order the runner ran them in), then any other detector a verdict names
// (a merged file's other runs), by name. The one place that order is decided.
std::vector<std::string> detector_order(const std::vector<std::string>& run_detectors,
                                        const std::vector<std::string>& named_by_verdicts);
std::vector<std::string> detector_order(const Results& r);

// The bug categories a case may declare, in the order the catalog and the reports list them
// ("program": a standalone program whose bug class nobody declared).
const std::vector<std::string>& category_order();

// What a report adds about the binaries to environment.git_commit (the checkout when the run
// started): `commit` is the build commit when the binaries were built from another commit
// (empty when it is the same one), `dirty` whether tracked files had uncommitted changes.
// Nothing when the build commit is unknown or would only repeat git_commit.
struct BuildProvenance {
  std::string commit;
  bool dirty = false;
};
std::optional<BuildProvenance> build_provenance(const Environment& e);

nlohmann::json to_json(const Environment& e);
nlohmann::json to_json(const Finding& f);
nlohmann::json to_json(const Trial& t);
nlohmann::json to_json(const Expected& e);
nlohmann::json to_json(const Verdict& v);
nlohmann::json to_json(const Results& r);

// Each reads the object at `where` (the path its messages name it by) and throws FieldError.
Finding finding_from_json(const nlohmann::json& value, const std::string& where);
Trial trial_from_json(const nlohmann::json& value, const std::string& where);
Expected expected_from_json(const nlohmann::json& value, const std::string& where);
Verdict verdict_from_json(const nlohmann::json& value, const std::string& where);
// A whole document. It must say it is casebook's (tool.name) and be of kSchemaVersion; the
// message for another version names both and what to do.
Results read_results(const nlohmann::json& doc);

}  // namespace casebook::results
