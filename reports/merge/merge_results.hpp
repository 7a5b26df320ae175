// merge_results.hpp - reading results.json files for `casebook report`, and merging several
// (shards of one suite, or runs on several machines) into one document of the same schema.
//
// Reading checks what a user can get wrong and says how to fix it: a missing or unreadable
// file, an empty or truncated one (an interrupted run), a JUnit file passed by mistake, a
// JSON file that is not casebook's, a schema_version this build cannot read, and then the
// whole document against its model (results/results_model.hpp): the first missing or
// mistyped field is named with the file, so every writer gets a document it can render.
//
// Merging keeps one verdict per (case, variant, detector). The same pair in two files is a
// duplicate when both agree on the verdict (the first is kept) and a conflict when they do
// not (the failing one is kept, so a merge never hides a failure). Both are reported as
// notes naming the pair and the files. The summary is recomputed; the environment and run of
// the first file are kept, and every input is listed under "merged_from".
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/results_model.hpp"

namespace casebook::reports {

// A results file that cannot be used; what() names the file, the problem and the fix.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The results.json schema_version this build reads and writes.
inline constexpr int kReadableSchemaVersion = results::kSchemaVersion;

struct LoadedResults {
  std::string path;
  results::Results results;
};

// Reads and checks one file. Throws InputError.
LoadedResults load_results_file(const std::string& path);

struct MergedResults {
  results::Results results;        // same schema as one results.json, plus merged_from
  std::vector<std::string> notes;  // duplicates and conflicts, one line each
  int conflicts = 0;
};

// Merges the documents in order. One input is returned as it is, with its summary and
// scorecard counted again and merged_from naming it.
MergedResults merge_results(const std::vector<LoadedResults>& inputs);

}  // namespace casebook::reports
