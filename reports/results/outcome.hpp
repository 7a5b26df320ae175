// outcome.hpp - the outcome document as one type: what every case host command writes (`run`,
// `compare`, `explore`, `property`; harness/src/casehost/), what the runner reads from the
// trial's outcome file (protocol/host_protocol_reader.hpp), and what results.json keeps on each
// trial and the reports show (reports/schema/results.schema.json, "outcome").
//
// The writers are header-only (to_json below), because the case host is compiled into every
// configuration's case binary, sanitizers and all, and links nothing of the runner; the strict
// reader is in the results library (outcome.cpp) and refuses a missing or mistyped field by
// its path; so are the two documents it may carry, the model's exploration (exploration.hpp)
// and the property check (property_check.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "results/exploration.hpp"
#include "results/property_check.hpp"

namespace casebook::results {

// A variant's inputs (cb::params).
struct Params {
  int threads = 0;
  std::int64_t iterations = 0;
  std::uint64_t seed = 0;
  std::map<std::string, std::int64_t> extra;

  bool operator==(const Params&) const = default;
};

struct Outcome;

// The broken-against-fixed comparison (`compare`, for perf): both run alternately in one
// process, `rounds` times each; the best of each side is the estimate least bent by noise.
struct Comparison {
  std::string metric;
  int rounds = 0;
  double broken_best = 0;
  double fixed_best = 0;
  double broken_median = 0;
  double fixed_median = 0;
  double ratio = 0;                 // broken_best / fixed_best; 0 when fixed measured 0
  std::optional<double> threshold;  // the declared ratio; absent in outcomes of older hosts
  std::vector<double> broken;       // each round's value
  std::vector<double> fixed;
  std::vector<Outcome> runs;  // each round's run of each variant, in the order they ran

  bool operator==(const Comparison&) const = default;
};

// What any command hands back. Every outcome says which invariant it checked and whether it
// held (the fields the invariant detector grades, shaped alike for every command); the rest is
// there for the command that writes it.
struct Outcome {
  std::string case_name;               // "case" in the document
  std::optional<std::string> variant;  // all but `compare`, which runs both
  std::optional<Params> params;        // `run` and `explore`: the inputs it ran with
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
  // result (failure, trace, schedule, replay command).
  std::optional<std::string> verdict_basis;
  std::optional<std::string> inputs;
  std::optional<Exploration> model;
  // `property`: tests run, shrinks, the counterexample and its replay (property_command.hpp).
  std::optional<PropertyCheck> property;

  bool operator==(const Outcome&) const = default;
};

inline nlohmann::json to_json(const Params& p) {
  return {
      {"threads", p.threads}, {"iterations", p.iterations}, {"seed", p.seed}, {"extra", p.extra}};
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
    if (c.threshold) out["threshold"] = *c.threshold;
    out["broken"] = c.broken;
    out["fixed"] = c.fixed;
    nlohmann::json runs = nlohmann::json::array();
    for (const Outcome& run : c.runs) runs.push_back(to_json(run));
    out["runs"] = std::move(runs);
  }
  if (o.verdict_basis) out["verdict_basis"] = *o.verdict_basis;
  if (o.inputs) out["inputs"] = *o.inputs;
  if (o.model) out["model"] = to_json(*o.model);
  if (o.property) out["property"] = to_json(*o.property);
  return out;
}

// The strict readers. An outcome requires case, invariant and holds, and a comparison's
// fields when it has a ratio (all but runs, and threshold, which older hosts did not write);
// model and property are objects when present. Throw FieldError naming the first field that is
// missing or of another type, at `where` ("outcome", "verdicts[2].trials[0].outcome").
Params params_from_json(const nlohmann::json& value, const std::string& where);
Outcome outcome_from_json(const nlohmann::json& value, const std::string& where);

}  // namespace casebook::results
