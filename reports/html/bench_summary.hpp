// bench_summary.hpp - bench/summarise.py's bench-summary.json as C++ types, for the HTML report.
//
// `casebook report --bench FILE` (or a bench-summary.json found beside the first results file)
// adds a Benchmarks section to the page. summarise.py does the arithmetic and writes the file;
// the page only draws it (html/section_benchmarks.cpp). Reading checks what a user can get
// wrong and says how to fix it, as reading results.json does (reports/merge/merge_results.hpp):
// a missing, unreadable, empty or truncated file, JSON that is not a benchmark summary, a
// schema_version this build cannot read, and any field missing or of another type than
// reports/schema/bench-summary.schema.json says (named by its path, as results.json's are).
// What reads is complete: the drawing asks no field whether it is there.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace casebook::reports {

// A bench summary that cannot be used; what() names the file, the problem and the fix.
class BenchSummaryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The bench-summary.json schema_version this build reads (bench/summarise.py SCHEMA_VERSION).
inline constexpr int kReadableBenchSchemaVersion = 1;

namespace bench {

// A figure summarise.py could not compute is null in the file and NaN here, so whatever is
// drawn from it reads "–".
inline constexpr double kNoFigure = std::numeric_limits<double>::quiet_NaN();

// One Google Benchmark JSON file the summary was made from, and the machine it ran on.
struct Source {
  std::string file;
  std::vector<std::string> configurations;
  std::uint64_t runs = 0;
  std::vector<std::string> notes;
  // Null or absent in the file: not known.
  std::optional<std::string> scale, date, library_build_type, compiler, python_version;
  std::optional<int> num_cpus;
  std::vector<double> load_avg;  // over 1, 5 and 15 minutes (NaN where null); empty: not known
};

// A run whose self-check computed a wrong answer: left out of every figure.
struct SelfCheckError {
  std::string configuration, name, message;
};

// One worker count of a series.
struct Point {
  int workers = 1;
  double real_time_s = 0;
  double cpu_time_s = kNoFigure;
  double items_per_second = kNoFigure;
  double speedup = kNoFigure;
  double efficiency = kNoFigure;
  double speedup_vs_1_worker = kNoFigure;
  double cores_used = kNoFigure;
};

// A workload at one size, on threads or on processes, against its baseline run.
struct Series {
  std::string configuration, workload, variant;
  std::string mode;     // "threads" or "processes"
  nlohmann::json size;  // the run's arguments other than workers: names to integers or strings
  std::string baseline_kind;  // "sequential" or "1 worker"
  std::string baseline_name;
  double baseline_real_time_s = 0;
  std::vector<Point> points;
};

// How a Python series scales at 2 and at its most workers (the GIL's cost).
struct GilRow {
  std::string configuration, series;
  nlohmann::json size;
  double speedup_at_2 = kNoFigure;
  double efficiency_at_2 = kNoFigure;
  int max_workers = 1;
  double speedup_at_max = kNoFigure;
};

// A run's time over the plain C++ run of the same name, and both times.
struct FactorRow {
  std::string configuration, name;
  double factor = 0;
  double real_time_s = 0;
  std::map<std::string, double> other_times;  // "plain_real_time_s" and the like, in seconds
};

struct PythonVsCpp {
  std::string note;
  std::vector<FactorRow> rows;
  double geomean = kNoFigure;
};

// One run's sanitizer factors, the geometric mean over its worker counts.
struct SanitizerRun {
  std::string name;
  double plain_median_s = kNoFigure;
  double tsan = kNoFigure;
  double asan = kNoFigure;
};

struct SanitizerOverhead {
  std::string note;
  std::map<std::string, std::string> documented;  // "tsan" -> "5-15x"
  std::map<std::string, double> geomean;          // "tsan", "asan" (NaN: none)
  std::vector<FactorRow> rows;
  std::optional<std::vector<SanitizerRun>> runs;  // none from summarise.py before it wrote them
};

// One variant of a broken-against-fixed contrast.
struct ContrastRow {
  std::string variant;
  bool broken = false;
  std::string role, name;
  std::optional<std::string> error;
  double real_time_s = kNoFigure;
  double items_per_second = kNoFigure;
  double lost_fraction = kNoFigure;  // the unsynchronised counter's lost increments
  double rtt_p50_us = kNoFigure;     // the queues' round trips
  double rtt_p99_us = kNoFigure;
};

struct Contrast {
  std::string workload, title;
  int workers = 1;
  nlohmann::json size;
  std::string metric;  // "real_time_s", "items_per_second" or "rtt_p50_us"
  std::vector<ContrastRow> rows;
};

struct RunnerRow {
  std::string name;
  double real_time_s = 0;
  double overhead_ms = kNoFigure;  // over a bare spawn; none for the bare spawn itself
};

struct ParserRow {
  std::string name;
  double real_time_s = 0;
  double mb_per_s = 0;
};

struct ModelRow {
  std::string name, variant;
  nlohmann::json size;
  double real_time_s = 0;
  double steps_per_second = kNoFigure;
  double ns_per_step = kNoFigure;
};

// The harness's own speed: the runner's overhead per trial, the parsers, the model scheduler.
struct HarnessSpeed {
  std::vector<RunnerRow> runner;
  double runner_overhead_ms = kNoFigure;
  std::vector<ParserRow> parsers;
  std::vector<ModelRow> model;
  double model_steps_per_second = kNoFigure;
  double model_decision_ns = kNoFigure;
  double model_switch_step_ns = kNoFigure;
  double model_context_switch_ns = kNoFigure;
  double model_target_steps_per_second = 0;
};

// A run that belongs to no series: its time and its counters by name (NaN where null).
struct OtherRun {
  std::string configuration, name;
  double real_time_s = kNoFigure;
  std::map<std::string, double> counters;
};

struct Summary {
  // The pass did not run (run-bench.sh without python3): why; nothing else is then read.
  std::optional<std::string> skipped;
  std::vector<Source> sources;
  std::vector<SelfCheckError> errors;
  std::vector<Series> series;
  std::vector<GilRow> gil;
  PythonVsCpp python_vs_cpp;
  SanitizerOverhead sanitizer_overhead;
  std::vector<Contrast> broken_vs_fixed;
  HarnessSpeed harness_speed;
  std::vector<OtherRun> other;
  std::vector<std::string> notes;
};

// Reads a bench summary's fields (bench_summary_reader.cpp). Throws FieldError
// (results/json_fields.hpp) naming the first field that is missing or of another type than the
// schema says.
Summary read_bench_summary(const nlohmann::json& doc);

}  // namespace bench

// Reads and checks one bench-summary.json. Throws BenchSummaryError.
bench::Summary load_bench_summary(const std::string& path);

}  // namespace casebook::reports
