// bench_summary.hpp - reading bench/summarise.py's bench-summary.json for the HTML report.
//
// `casebook report --bench FILE` (or a bench-summary.json found beside the first results file)
// adds a Benchmarks section to the page. Reading checks what a user can get wrong and says how
// to fix it, as reading results.json does (reports/merge/merge_results.hpp): a missing,
// unreadable, empty or truncated file, JSON that is not a benchmark summary, a
// schema_version this build cannot read, and any field missing or of another type than
// reports/schema/bench-summary.schema.json says (named by its path, as results.json's are).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace casebook::reports {

// A bench summary that cannot be used; what() names the file, the problem and the fix.
class BenchSummaryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The bench-summary.json schema_version this build reads (bench/summarise.py SCHEMA_VERSION).
inline constexpr int kReadableBenchSchemaVersion = 1;

// Reads and checks one bench-summary.json. Throws BenchSummaryError.
nlohmann::json load_bench_summary(const std::string& path);

// Checks every field of a bench summary against the schema's types (bench_summary_fields.cpp).
// Throws FieldError (results/json_fields.hpp) naming the first field that is missing or
// mistyped.
void check_bench_summary_fields(const nlohmann::json& doc);

}  // namespace casebook::reports
