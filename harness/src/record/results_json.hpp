// results_json.hpp - the run's verdicts as results.json, the one file every report is built
// from (reports never look at runner internals, so a file from another shard renders the same).
//
// The file's types, its reader and writer are results/results_model.hpp (the one model every
// reader shares); this file fills that model from the runner's records. The format is
// published as reports/schema/results.schema.json; changes are additive and bump
// schema_version only when a reader must change.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/results_model.hpp"
#include "suite/suite.hpp"

namespace casebook {

inline constexpr int kResultsSchemaVersion = results::kSchemaVersion;

// How the run went: results.json's "run" object (results::Run), and whether a signal or a
// full disk stopped it (the document's "interrupted").
struct RunInfo : results::Run {
  bool interrupted = false;  // the verdicts are then a subset
};

using results::Summary;
using results::summary_line;  // the closing line of every run: "N passed, N failed, N skipped"

Summary summarize(const std::vector<VerdictRecord>& verdicts);

// The runner's records as the model's entries. A finding's raw report is capped at 16 KiB
// (the full logs are in the trial folder); a model trace is kept in one trial of a verdict.
results::Finding finding_entry(const Finding& f);
results::Trial trial_entry(const TrialRecord& t);
results::Expected expected_entry(const Expectation& e);
results::Verdict verdict_entry(const VerdictRecord& v);
// The verdict's names, grade and expectation without its trials: what the words a person
// reads are made of (reports/writing/verdict_words.hpp), cheap enough for every progress line.
results::Verdict verdict_heading(const VerdictRecord& v);

nlohmann::json finding_to_json(const Finding& f);
nlohmann::json trial_to_json(const TrialRecord& t);
nlohmann::json verdict_to_json(const VerdictRecord& v);
// A verdict's "expected" object: what the variant declares for the detector.
nlohmann::json expectation_to_json(const Expectation& e);

// `cases` is describe_case_sources()'s (may be empty).
results::Results results_of(const std::vector<VerdictRecord>& verdicts, const RunInfo& run,
                            const results::Environment& environment,
                            std::map<std::string, results::CaseText> cases = {});

}  // namespace casebook
