// results_reader.hpp - the verdicts of a results.json (or a run journal) read back into the
// records results_json.hpp writes them from.
//
// `casebook run --resume` keeps the pairs an interrupted run already graded: it reads their
// verdicts back as VerdictRecords, so the summary, the manifestation and noise tables, the
// union verdicts and results.json come out of one code path whether a pair ran now or before.
// The reading itself is the model's (results/results_model.hpp); this file turns its entries
// back into the runner's records. What is read back writes out again unchanged
// (verdict_to_json(read(x)) == x, tested). Every function throws FieldError
// (results/json_fields.hpp) naming the first missing or mistyped field.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "results/json_fields.hpp"
#include "results/results_model.hpp"
#include "suite/suite.hpp"

namespace casebook {

// The inverse of verdict_name(); throws FieldError at `path` for a name that is none.
Verdict verdict_from_name(const std::string& name, const std::string& path);

// A model entry as the runner's record.
TrialRecord trial_record(const results::Trial& t);

Finding finding_from_json(const nlohmann::json& value, const std::string& where);
TrialRecord trial_from_json(const nlohmann::json& value, const std::string& where);

// A verdict of `variant` (the one declared now, which the file names by case and variant):
// its grade, trials, repro line, duration and line-level truth as the file holds them; the
// expectation is the variant's own for the detector. Throws FieldError also when the file's
// expectation is not the one declared now (the declarations changed since the file was
// written), naming both.
VerdictRecord verdict_from_json(const nlohmann::json& value, const std::string& where,
                                const VariantDecl& variant);

}  // namespace casebook
