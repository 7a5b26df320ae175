#include "results/exploration.hpp"

#include "results/json_fields.hpp"

namespace casebook::results {

namespace {

using nlohmann::json;

// A count the schema does not require: 0 when absent, an error when it is not one.
std::uint64_t count_or_zero(const JsonFields& f, const char* key) {
  return f.has(key) ? f.unsigned_integer(key) : 0;
}

ModelStep step_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  ModelStep s;
  s.step = count_or_zero(f, "step");
  s.thread = f.integer("thread");
  if (s.thread < 0) {
    JsonFields::fail(f.path("thread"),
                     "expected a thread number of 0 or more, found " + std::to_string(s.thread));
  }
  s.operation = f.text("operation");
  s.file = f.text_or("file", "");
  s.base = f.text_or("base", "");
  s.line = f.integer_or("line", 0);
  s.racy = f.flag_or("racy", false);
  s.preemption = f.flag_or("preemption", false);
  return s;
}

std::vector<ModelStep> steps_from_json(const JsonFields& f, const char* key) {
  std::vector<ModelStep> steps;
  const json& list = f.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    steps.push_back(step_from_json(list[i], f.path(key, i)));
  }
  return steps;
}

}  // namespace

Exploration exploration_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Exploration e;
  e.strategy = f.text_or("strategy", "");
  e.failed = f.flag_or("failed", false);
  e.executions = count_or_zero(f, "executions");
  e.total_steps = count_or_zero(f, "total_steps");
  e.exhaustive = f.flag_or("exhaustive", false);
  e.preemption_bound = f.integer_or("preemption_bound", 0);
  e.timed_out = f.flag_or("timed_out", false);
  e.summary = f.text_or("summary", "");
  e.sequentially_consistent = f.flag_or("sequentially_consistent", true);
  e.max_steps = count_or_zero(f, "max_steps");
  e.inconclusive_executions = count_or_zero(f, "inconclusive_executions");
  e.inconclusive_schedule = f.text_if("inconclusive_schedule");
  if (f.has("pct")) {
    const JsonFields p(f.any("pct"), f.path("pct"));
    e.pct = PctBounds{p.integer("depth"), p.integer("threads"), p.unsigned_integer("steps"),
                      p.number("per_run_bound"), p.number("miss_bound")};
  }
  e.replay_diverged = f.flag_if("replay_diverged");
  if (f.has("failure")) {
    const JsonFields failure(f.any("failure"), f.path("failure"));
    ModelFailure m;
    m.kind = failure.text("kind");
    m.message = failure.text_or("message", "");
    m.details = text_list_or_empty(failure, "details");
    if (failure.has("accesses")) m.accesses = steps_from_json(failure, "accesses");
    e.failure = std::move(m);
  }
  e.schedule = f.text_if("schedule");
  if (f.has("steps")) e.steps = f.unsigned_integer("steps");
  if (f.has("preemptions")) e.preemptions = f.unsigned_integer("preemptions");
  if (f.has("original")) {
    const JsonFields o(f.any("original"), f.path("original"));
    e.original = OriginalSchedule{o.text_or("schedule", ""), count_or_zero(o, "steps"),
                                  count_or_zero(o, "preemptions")};
  }
  if (f.has("shrink")) {
    const JsonFields s(f.any("shrink"), f.path("shrink"));
    e.shrink = Shrink{s.text_or("method", ""), count_or_zero(s, "replays")};
  }
  e.replay_command = f.text_if("replay_command");
  if (f.has("trace")) e.trace = steps_from_json(f, "trace");
  if (f.has("trace_omitted")) {
    const JsonFields t(f.any("trace_omitted"), f.path("trace_omitted"));
    TraceOmitted omitted;
    omitted.steps = t.unsigned_integer("steps");
    if (!t.any("in_trial").is_null()) omitted.in_trial = t.integer("in_trial");
    e.trace_omitted = omitted;
  }
  return e;
}

}  // namespace casebook::results
