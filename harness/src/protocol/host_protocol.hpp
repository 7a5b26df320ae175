// host_protocol.hpp - the two documents a case host hands the runner, as types both sides share:
// the catalog listing (`casebook-cases-<config> list`, one ListedVariant per variant) and the
// outcome file every command writes (`run`, `compare`, `explore`, `property`: Outcome).
//
// The case host writes them with to_json here (header-only: it is compiled into every
// configuration's host, sanitizers and all); the runner reads them with the strict readers of
// host_protocol_reader.hpp, which name the field they refuse. A field added here is added on
// both sides at once.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "results/property_check.hpp"

namespace casebook::protocol {

// A variant's inputs (cb::params).
struct ListedParams {
  int threads = 0;
  std::int64_t iterations = 0;
  std::uint64_t seed = 0;
  std::map<std::string, std::int64_t> extra;

  bool operator==(const ListedParams&) const = default;
};

// One generated input's range, for the property detector (cb::param_range).
struct ListedRange {
  std::string name;
  std::int64_t min = 0;
  std::int64_t max = 0;

  bool operator==(const ListedRange&) const = default;
};

// One declared expectation: want is "finds", "clean", "skip", "false-positive" or "may-find".
struct ListedExpectation {
  std::string detector;
  std::string want;
  std::vector<std::string> kinds;  // written only when there are some
  std::string reason;              // written only when there is one

  bool operator==(const ListedExpectation&) const = default;
};

// One variant as `list` prints it: its declaration (cb::case_spec) and where its source is.
struct ListedVariant {
  std::string case_name;  // "case" in the document
  std::string variant;
  std::string title;
  std::string category;
  std::string file;        // the source file, repo-relative or relative to cases_root
  std::string cases_root;  // "" for the repository's own cases
  ListedParams defaults;
  std::optional<ListedParams> small;  // null when the variant declares no .small
  double timeout_seconds = 0;
  int memory_limit_mib = 0;
  int max_tasks = 0;
  double fairness_floor = 0;
  double max_wait_seconds = 0;
  double perf_ratio = 0;
  std::string perf_metric = "seconds";
  std::string compile_probe;  // a file in the case's folder, or ""
  std::vector<ListedRange> vary;
  int property_tests = 0;  // 0: the runner's default
  std::vector<ListedExpectation> expectations;

  bool operator==(const ListedVariant&) const = default;
};

// The broken-against-fixed comparison (`compare`, for perf): both run alternately in one
// process, `rounds` times each; the best of each side is the estimate least bent by noise.
struct Comparison {
  std::string metric;
  int rounds = 0;
  double broken_best = 0;
  double fixed_best = 0;
  double broken_median = 0;
  double fixed_median = 0;
  double ratio = 0;  // broken_best / fixed_best; 0 when fixed measured 0
  double threshold = 0;
  std::vector<double> broken;  // each round's value
  std::vector<double> fixed;
  nlohmann::json runs = nlohmann::json::array();  // each round's run Outcome, as written

  bool operator==(const Comparison&) const = default;
};

// What any command hands back. Every outcome says which invariant it checked and whether it
// held (the fields the invariant detector grades, shaped alike for every command); the rest is
// there for the command that writes it.
struct Outcome {
  std::string case_name;               // "case" in the document
  std::optional<std::string> variant;  // all but `compare`, which runs both
  std::optional<ListedParams> params;  // `run` and `explore`: the inputs it ran with
  std::string invariant;
  bool holds = true;
  std::string observed;
  std::string expected;
  std::string note;
  // `run` only: per-thread work and longest waits (fairness), named measurements (perf), and
  // the wall time of run().
  std::optional<std::vector<double>> shares;
  std::optional<std::vector<double>> waits;
  std::optional<std::map<std::string, double>> metrics;
  std::optional<double> duration_ms;
  std::optional<Comparison> comparison;  // `compare`: its fields sit at the top level
  // `explore`: why the verdict is what it is, which inputs it used, and the exploration's
  // result (the model library's own document: failure, trace, schedule, replay command).
  std::optional<std::string> verdict_basis;
  std::optional<std::string> inputs;
  nlohmann::json model;  // null unless `explore`
  // `property`: tests run, shrinks, the counterexample and its replay (property_command.hpp).
  std::optional<results::PropertyCheck> property;

  bool operator==(const Outcome&) const = default;
};

inline nlohmann::json to_json(const ListedParams& p) {
  return {
      {"threads", p.threads}, {"iterations", p.iterations}, {"seed", p.seed}, {"extra", p.extra}};
}

inline nlohmann::json to_json(const ListedVariant& v) {
  nlohmann::json expectations = nlohmann::json::array();
  for (const ListedExpectation& e : v.expectations) {
    nlohmann::json item = {{"detector", e.detector}, {"want", e.want}};
    if (!e.kinds.empty()) item["kinds"] = e.kinds;
    if (!e.reason.empty()) item["reason"] = e.reason;
    expectations.push_back(std::move(item));
  }
  nlohmann::json vary = nlohmann::json::array();
  for (const ListedRange& r : v.vary)
    vary.push_back({{"name", r.name}, {"min", r.min}, {"max", r.max}});
  return {{"case", v.case_name},
          {"variant", v.variant},
          {"title", v.title},
          {"category", v.category},
          {"file", v.file},
          {"cases_root", v.cases_root},
          {"defaults", to_json(v.defaults)},
          {"small", v.small ? to_json(*v.small) : nlohmann::json(nullptr)},
          {"timeout_seconds", v.timeout_seconds},
          {"memory_limit_mib", v.memory_limit_mib},
          {"max_tasks", v.max_tasks},
          {"fairness_floor", v.fairness_floor},
          {"max_wait_seconds", v.max_wait_seconds},
          {"perf_ratio", v.perf_ratio},
          {"perf_metric", v.perf_metric},
          {"compile_probe", v.compile_probe},
          {"vary", std::move(vary)},
          {"property_tests", v.property_tests},
          {"expectations", std::move(expectations)}};
}

inline nlohmann::json to_json(const Outcome& o) {
  nlohmann::json out = {{"case", o.case_name},    {"invariant", o.invariant}, {"holds", o.holds},
                        {"observed", o.observed}, {"expected", o.expected},   {"note", o.note}};
  if (o.variant) out["variant"] = *o.variant;
  if (o.params) out["params"] = to_json(*o.params);
  if (o.shares) out["shares"] = *o.shares;
  if (o.waits) out["waits"] = *o.waits;
  if (o.metrics) out["metrics"] = *o.metrics;
  if (o.duration_ms) out["duration_ms"] = *o.duration_ms;
  if (o.comparison) {
    const Comparison& c = *o.comparison;
    out["metric"] = c.metric;
    out["rounds"] = c.rounds;
    out["broken_best"] = c.broken_best;
    out["fixed_best"] = c.fixed_best;
    out["broken_median"] = c.broken_median;
    out["fixed_median"] = c.fixed_median;
    out["ratio"] = c.ratio;
    out["threshold"] = c.threshold;
    out["broken"] = c.broken;
    out["fixed"] = c.fixed;
    out["runs"] = c.runs;
  }
  if (o.verdict_basis) out["verdict_basis"] = *o.verdict_basis;
  if (o.inputs) out["inputs"] = *o.inputs;
  if (!o.model.is_null()) out["model"] = o.model;
  if (o.property) out["property"] = results::to_json(*o.property);
  return out;
}

}  // namespace casebook::protocol
