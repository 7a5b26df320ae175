// bench_summary.cpp - reading and checking bench-summary.json (see bench_summary.hpp).
#include "html/bench_summary.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace casebook::reports {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kRewrite =
    "Write it again with bench/run-bench.sh --short DIR (or this checkout's bench/summarise.py)";

}  // namespace

json load_bench_summary(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    throw BenchSummaryError(
        fmt::format("{}: no such file. Pass the bench-summary.json that bench/run-bench.sh wrote "
                    "(ci/run-suite.sh writes it beside results.json).",
                    path));
  }
  if (fs::is_directory(path, ec)) {
    throw BenchSummaryError(
        fmt::format("{} is a folder. Pass the bench-summary.json inside it.", path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in.is_open() || (!in.good() && !in.eof())) {
    throw BenchSummaryError(fmt::format("{}: cannot be read; check its permissions.", path));
  }
  const std::string text = buffer.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw BenchSummaryError(fmt::format(
        "{} is empty: the benchmark pass that should have written it did not finish. {}.", path,
        kRewrite));
  }
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
  return doc;
}

}  // namespace casebook::reports
