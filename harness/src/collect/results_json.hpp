// results_json.hpp - the run's verdicts as results.json, the one file every report is built
// from (reports never look at runner internals, so a file from another shard renders the same).
//
// The format is published as reports/schema/results.schema.json; changes are additive and
// bump schema_version only when a reader must change.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exec/suite.hpp"

namespace casebook {

inline constexpr int kResultsSchemaVersion = 1;

struct RunInfo {
  std::string started_at;  // ISO 8601 UTC
  double duration_seconds = 0;
  std::uint64_t seed = 0;
  int repeat = 1;
  int deflake = 5;
  int deflake_max = 100;
  double deflake_seconds = 120;
  bool trials_alone = false;  // pairs ran one at a time (a --repeat run measuring rates)
  int jobs = 1;
  std::string filter;
  std::vector<std::string> detectors;
  std::string command;       // the command line that produced this file
  bool interrupted = false;  // SIGINT/SIGTERM stopped the run: the verdicts are a subset
  int shard_index = 0;       // this run's shard (exec/shard.hpp); 0 of 1 when not sharded
  int shard_count = 1;
  int noise_level = 0;  // --noise level of the invariant-noise detector; 0: not asked for
  // What a resumed run must match (cli/resume.hpp); null: not recorded.
  nlohmann::json identity;
  int resumed_times = 0;  // how often this run was continued with --resume; 0: never
  int pairs_kept = 0;     // ... and how many pairs the last continuation kept
};

struct Summary {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int infrastructure_errors = 0;
};

Summary summarize(const std::vector<VerdictRecord>& verdicts);

nlohmann::json finding_to_json(const Finding& f);
nlohmann::json trial_to_json(const TrialRecord& t);
nlohmann::json verdict_to_json(const VerdictRecord& v);
// A verdict's "expected" object: what the variant declares for the detector.
nlohmann::json expectation_to_json(const Expectation& e);
// The verdict's manifestation statistics (grade/manifestation.hpp); null for a skip.
nlohmann::json manifestation_to_json(const VerdictRecord& v);

// `cases` is describe_case_sources()'s object (may be empty).
nlohmann::json build_results(const std::vector<VerdictRecord>& verdicts, const RunInfo& run,
                             const nlohmann::json& environment,
                             const nlohmann::json& cases = nlohmann::json::object());

// The closing line of every run: "N passed, N failed, N skipped".
std::string summary_line(const Summary& s);

}  // namespace casebook
