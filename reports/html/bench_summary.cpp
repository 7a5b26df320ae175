// bench_summary.cpp - reading and checking bench-summary.json (see bench_summary.hpp).
#include "html/bench_summary.hpp"

#include "results/json_fields.hpp"
#include "writing/input_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace casebook::reports {

using nlohmann::json;

namespace {

constexpr const char* kRewrite =
    "Write it again with bench/run-bench.sh --short DIR (or this checkout's bench/summarise.py)";

}  // namespace

bench::Summary load_bench_summary(const std::string& path) {
  const InputFileKind kind{"bench-summary.json",
                           "the bench-summary.json that bench/run-bench.sh wrote "
                           "(ci/run-suite.sh writes it beside results.json)",
                           "benchmark pass", std::string(kRewrite) + "."};
  std::string problem;
  const std::optional<std::string> read = read_input_file(path, kind, &problem);
  if (!read) throw BenchSummaryError(problem);
  const std::string& text = *read;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw BenchSummaryError(
        fmt::format("{} is not valid JSON ({}): truncated by an interrupted pass, or not a "
                    "benchmark summary. {}.",
                    path, e.what(), kRewrite));
  }
  if (!doc.is_object() || !doc.contains("schema_version") ||
      !(doc.contains("series") || doc.contains("skipped"))) {
    throw BenchSummaryError(fmt::format(
        "{} is JSON but not a benchmark summary (no schema_version and series): pass "
        "bench-summary.json, not the raw Google Benchmark JSON (bench.json, bench-plain.json).",
        path));
  }
  const json& version = doc.at("schema_version");
  if (!version.is_number_integer() || version.get<int>() != kReadableBenchSchemaVersion) {
    throw BenchSummaryError(fmt::format("{} has schema_version {}; this casebook reads {}. {}.",
                                        path, version.dump(), kReadableBenchSchemaVersion,
                                        kRewrite));
  }
  try {
    return bench::read_bench_summary(doc);
  } catch (const FieldError& e) {
    throw BenchSummaryError(fmt::format(
        "{}: {}: not what bench/summarise.py writes (reports/schema/bench-summary.schema.json). "
        "{}.",
        path, e.what(), kRewrite));
  }
}

}  // namespace casebook::reports
