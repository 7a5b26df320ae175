// `casebook report`: render one or more results.json files (shards, or runs on several
// machines) into HTML, JUnit, SARIF, Markdown and, when merging, one merged results file. Reports
// come from the results files alone, so a file from another machine renders the same; the HTML
// page also shows the benchmark pass when there is one (--bench FILE, else a bench-summary.json
// beside the first results file).
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "html/bench_summary.hpp"
#include "html/html_writer.hpp"
#include "junit/junit_writer.hpp"
#include "markdown/markdown_writer.hpp"
#include "merge/merge_results.hpp"
#include "record/atomic_file.hpp"
#include "sarif/sarif_writer.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

// One file to write, and how to render it from the merged document.
struct Output {
  std::string path;
  std::function<std::string()> render;
};

struct Bench {
  reports::bench::Summary summary;
  std::string source;  // how the page and the output name it
  bool present = false;
};

// The benchmark summary for the HTML page. Given explicitly, a file that cannot be used is a
// usage error (exit 2, nothing written), as a bad results file is; found beside the first
// results file (where ci/run-suite.sh's pass writes it), it is a warning and the report goes
// on without benchmarks: a stale or broken leftover must not stop the results being reported.
Bench load_bench(const ReportOptions& o, std::set<fs::path>& input_paths) {
  Bench bench;
  std::string path = o.bench;
  const bool given = !path.empty();
  if (!given) {
    fs::path beside = fs::path(o.inputs.front()).parent_path() / "bench-summary.json";
    std::error_code ec;
    if (!fs::is_regular_file(beside, ec)) return bench;
    path = beside.string();
  }
  try {
    bench.summary = reports::load_bench_summary(path);
  } catch (const reports::BenchSummaryError& e) {
    if (given) throw UsageError(fmt::format("--bench {} Or leave --bench out.", e.what()));
    std::cerr << "casebook report: warning: " << e.what() << " (found beside " << o.inputs.front()
              << "; delete it or pass --bench FILE); the report has no benchmarks.\n";
    return bench;
  }
  std::error_code ec;
  input_paths.insert(fs::weakly_canonical(path, ec));
  bench.present = true;
  bench.source = given ? path : path + " (found beside " + o.inputs.front() + ")";
  return bench;
}

std::string merged_results_text(const results::Results& merged) {
  return results::to_json(merged).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

// Refuses, before anything is written, an output that is a folder, sits in a folder that
// does not exist or cannot be written, or would overwrite one of the inputs.
void check_output(const std::string& flag, const std::string& path,
                  const std::set<fs::path>& inputs) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw UsageError(fmt::format("{} '{}' is a folder; name the file to write", flag, path));
  }
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec)) {
    throw UsageError(
        fmt::format("{} '{}': the folder '{}' does not exist; create it first, or "
                    "use --out DIR",
                    flag, path, parent.string()));
  }
  if (::access(parent.c_str(), W_OK) != 0) {
    throw UsageError(fmt::format("{} '{}': the folder '{}' is not writable; pick another", flag,
                                 path, parent.string()));
  }
  if (inputs.count(fs::weakly_canonical(path, ec)) != 0) {
    throw UsageError(
        fmt::format("{} '{}' is one of the inputs; writing it would destroy it", flag, path));
  }
}

}  // namespace

int report_command(const ReportOptions& o) {
  if (o.inputs.empty()) throw UsageError("report needs at least one results.json");

  std::vector<reports::LoadedResults> loaded;
  std::set<fs::path> input_paths;
  for (const auto& path : o.inputs) {
    try {
      loaded.push_back(reports::load_results_file(path));
    } catch (const reports::InputError& e) {
      throw UsageError(e.what());
    }
    std::error_code ec;
    if (!input_paths.insert(fs::weakly_canonical(path, ec)).second) {
      throw UsageError(fmt::format("'{}' is given twice; pass each results file once", path));
    }
  }

  const Bench bench = load_bench(o, input_paths);
  const reports::BenchInput bench_input{bench.present ? &bench.summary : nullptr, bench.source};
  // Filled once the inputs are merged, before anything renders.
  reports::MergedResults merged;
  const auto html = [&] { return reports::html_from_results(merged.results, bench_input); };
  const auto junit = [&] { return reports::junit_from_results(merged.results); };
  const auto sarif = [&] { return reports::sarif_from_results(merged.results); };
  const auto markdown = [&] { return reports::markdown_from_results(merged.results); };
  const auto merged_text = [&] { return merged_results_text(merged.results); };

  std::vector<Output> outputs;
  auto want = [&](const std::string& path, std::function<std::string()> render) {
    if (!path.empty()) outputs.push_back({path, std::move(render)});
  };
  if (!o.out_dir.empty()) {
    std::error_code ec;
    if (fs::exists(o.out_dir, ec) && !fs::is_directory(o.out_dir, ec)) {
      throw UsageError(fmt::format("--out '{}' exists and is not a folder", o.out_dir));
    }
    fs::create_directories(o.out_dir, ec);
    if (ec) {
      throw UsageError(
          fmt::format("--out '{}' cannot be created: {}; pick another", o.out_dir, ec.message()));
    }
    const fs::path dir(o.out_dir);
    want(o.html.empty() ? (dir / "index.html").string() : "", html);
    want(o.junit.empty() ? (dir / "junit.xml").string() : "", junit);
    want(o.sarif.empty() ? (dir / "casebook.sarif").string() : "", sarif);
    want(o.markdown.empty() ? (dir / "summary.md").string() : "", markdown);
    if (loaded.size() > 1 && o.merged.empty()) {
      want((dir / "merged-results.json").string(), merged_text);
    }
  }
  want(o.html, html);
  want(o.junit, junit);
  want(o.sarif, sarif);
  want(o.markdown, markdown);
  want(o.merged, merged_text);
  if (outputs.empty() && o.sarif_by_detector.empty()) {
    throw UsageError(
        "nothing to write: give --out DIR, or one or more of --html, --junit, --sarif, "
        "--markdown, --merged");
  }
  for (const auto& out : outputs) check_output("output", out.path, input_paths);

  merged = reports::merge_results(loaded);
  for (const auto& note : merged.notes) std::cerr << "casebook report: " << note << "\n";

  // Render everything first, so a writer that rejects the document leaves no file behind.
  std::vector<std::pair<std::string, std::string>> rendered;
  for (const auto& out : outputs) {
    try {
      rendered.emplace_back(out.path, out.render());
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("cannot render {}: {}", out.path, e.what()));
    }
  }
  // One SARIF file per detector, for code-scanning uploads that keep one category per tool.
  if (!o.sarif_by_detector.empty()) {
    std::error_code ec;
    fs::create_directories(o.sarif_by_detector, ec);
    if (ec || !fs::is_directory(o.sarif_by_detector)) {
      throw UsageError(fmt::format("--sarif-by-detector '{}' cannot be created as a folder",
                                   o.sarif_by_detector));
    }
    // Each detector's file: the document without its verdicts (copied once), then its own.
    std::vector<results::Verdict> verdicts = std::move(merged.results.verdicts);
    merged.results.verdicts.clear();
    std::map<std::string, results::Results> by_detector;
    for (const results::Verdict& v : verdicts) {
      const auto it = by_detector.try_emplace(v.detector, merged.results).first;
      it->second.verdicts.push_back(v);
    }
    merged.results.verdicts = std::move(verdicts);
    for (const auto& [detector, one] : by_detector) {
      const std::string path = (fs::path(o.sarif_by_detector) / (detector + ".sarif")).string();
      check_output("--sarif-by-detector", path, input_paths);
      rendered.emplace_back(path, reports::sarif_from_results(one));
    }
  }
  if (bench.present) fmt::print("Benchmarks: {}\n", bench.source);
  for (const auto& [path, text] : rendered) {
    write_file_atomically(path, text);
    fmt::print("Wrote {}\n", path);
  }
  if (merged.conflicts > 0) {
    fmt::print(
        "{} conflicting verdict(s) between the inputs (see above); the failing side "
        "was kept\n",
        merged.conflicts);
  }
  fmt::print("{}\n", results::summary_line(merged.results.summary));
  return merged.results.summary.failed > 0 ? kExitExpectationFailed : kExitOk;
}

}  // namespace casebook
