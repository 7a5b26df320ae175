// exploration.hpp - the model detector's exploration as one type: what the case host's `explore`
// command writes into its outcome ("model", harness/src/casehost/explore_command.cpp), what the
// runner reads from it (the model detector, `casebook replay`), how results.json keeps it on
// each trial (reports/schema/results.schema.json, outcome.model), and what the reports draw.
//
// The writer is header-only (to_json below), like the outcome's around it (outcome.hpp); the
// strict reader is in the results library (exploration.cpp). The schema requires none of the
// scalar fields (files of older builds may lack the later ones), so an absent one reads as its
// default; one of another type is refused by its path. A step needs its thread and operation:
// without them it says nothing.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace casebook::results {

// One scheduling step of the interleaving, or one of a failure's racing accesses.
struct ModelStep {
  std::uint64_t step = 0;
  int thread = 0;
  std::string operation;  // "lock mutex#1", "read shared#2", "join thread 1"
  std::string file;       // repo-relative, or relative to `base`
  std::string base;       // the root file is relative to, off the repository; "" for it
  int line = 0;
  bool racy = false;        // concurrent with a conflicting access of another thread
  bool preemption = false;  // the scheduler switched here away from a thread that could run

  bool operator==(const ModelStep&) const = default;
};

struct ModelFailure {
  std::string kind;  // "deadlock", "data-race", "assertion", ...
  std::string message;
  std::vector<std::string> details;
  std::vector<ModelStep> accesses;  // a race's two accesses; written only when there are some

  bool operator==(const ModelFailure&) const = default;
};

// PCT's parameters and the bound on missing a bug of that depth.
struct PctBounds {
  int depth = 0;
  int threads = 0;
  std::uint64_t steps = 0;
  double per_run_bound = 0;
  double miss_bound = 0;

  bool operator==(const PctBounds&) const = default;
};

// The failing schedule before shrinking.
struct OriginalSchedule {
  std::string schedule;
  std::uint64_t steps = 0;
  std::uint64_t preemptions = 0;

  bool operator==(const OriginalSchedule&) const = default;
};

struct Shrink {
  std::string method;  // "delta debugging over schedule decisions"
  std::uint64_t replays = 0;

  bool operator==(const Shrink&) const = default;
};

// A trace results.json does not repeat: the pair keeps one, in trial in_trial (none: no trace
// was kept).
struct TraceOmitted {
  std::uint64_t steps = 0;
  std::optional<int> in_trial;

  bool operator==(const TraceOmitted&) const = default;
};

struct Exploration {
  std::string strategy;  // "random", "pct", "dfs", "replay"
  bool failed = false;
  std::uint64_t executions = 0;
  std::uint64_t total_steps = 0;
  bool exhaustive = false;  // dfs: every schedule within the bound was explored
  int preemption_bound = 0;
  bool timed_out = false;
  std::string summary;  // one line: what was explored and what that proves
  bool sequentially_consistent = true;
  std::uint64_t max_steps = 0;
  std::uint64_t inconclusive_executions = 0;  // hit max_steps without a livelock's evidence
  std::optional<std::string> inconclusive_schedule;
  std::optional<PctBounds> pct;         // strategy pct
  std::optional<bool> replay_diverged;  // strategy replay: the schedule did not fit
  // A failure (or a replay): what failed, the shrunk schedule, where it came from, how to
  // replay it, and its interleaving.
  std::optional<ModelFailure> failure;
  std::optional<std::string> schedule;
  std::optional<std::uint64_t> steps;
  std::optional<std::uint64_t> preemptions;
  std::optional<OriginalSchedule> original;
  std::optional<Shrink> shrink;
  std::optional<std::string> replay_command;
  std::optional<std::vector<ModelStep>> trace;
  std::optional<TraceOmitted> trace_omitted;  // in results.json, instead of a repeated trace

  bool operator==(const Exploration&) const = default;
};

inline nlohmann::json to_json(const ModelStep& s) {
  nlohmann::json out = {
      {"step", s.step}, {"thread", s.thread}, {"operation", s.operation},  {"file", s.file},
      {"line", s.line}, {"racy", s.racy},     {"preemption", s.preemption}};
  if (!s.base.empty()) out["base"] = s.base;
  return out;
}

inline nlohmann::json to_json(const std::vector<ModelStep>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const ModelStep& s : steps) out.push_back(to_json(s));
  return out;
}

inline nlohmann::json to_json(const Exploration& e) {
  nlohmann::json out = {{"strategy", e.strategy},
                        {"failed", e.failed},
                        {"executions", e.executions},
                        {"total_steps", e.total_steps},
                        {"exhaustive", e.exhaustive},
                        {"preemption_bound", e.preemption_bound},
                        {"timed_out", e.timed_out},
                        {"summary", e.summary},
                        {"sequentially_consistent", e.sequentially_consistent},
                        {"max_steps", e.max_steps},
                        {"inconclusive_executions", e.inconclusive_executions}};
  if (e.inconclusive_schedule) out["inconclusive_schedule"] = *e.inconclusive_schedule;
  if (e.pct) {
    out["pct"] = {{"depth", e.pct->depth},
                  {"threads", e.pct->threads},
                  {"steps", e.pct->steps},
                  {"per_run_bound", e.pct->per_run_bound},
                  {"miss_bound", e.pct->miss_bound}};
  }
  if (e.replay_diverged) out["replay_diverged"] = *e.replay_diverged;
  if (e.failure) {
    out["failure"] = {{"kind", e.failure->kind},
                      {"message", e.failure->message},
                      {"details", e.failure->details}};
    if (!e.failure->accesses.empty()) out["failure"]["accesses"] = to_json(e.failure->accesses);
  }
  if (e.schedule) out["schedule"] = *e.schedule;
  if (e.steps) out["steps"] = *e.steps;
  if (e.preemptions) out["preemptions"] = *e.preemptions;
  if (e.original) {
    out["original"] = {{"schedule", e.original->schedule},
                       {"steps", e.original->steps},
                       {"preemptions", e.original->preemptions}};
  }
  if (e.shrink) out["shrink"] = {{"method", e.shrink->method}, {"replays", e.shrink->replays}};
  if (e.replay_command) out["replay_command"] = *e.replay_command;
  if (e.trace) out["trace"] = to_json(*e.trace);
  if (e.trace_omitted) {
    out["trace_omitted"] = {
        {"steps", e.trace_omitted->steps},
        {"in_trial", e.trace_omitted->in_trial ? nlohmann::json(*e.trace_omitted->in_trial)
                                               : nlohmann::json(nullptr)}};
  }
  return out;
}

// Reads the exploration value holds, at `where` ("outcome.model"). Throws FieldError naming
// the first field that is of another type, or a step without its thread or operation.
Exploration exploration_from_json(const nlohmann::json& value, const std::string& where);

}  // namespace casebook::results
