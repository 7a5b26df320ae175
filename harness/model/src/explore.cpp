// explore.cpp - the entry point: runs executions under the chosen strategy until one fails or
// the search ends, then shrinks the failing schedule and builds its trace.
#include "casebook/model/explore.hpp"

#include <chrono>
#include <stdexcept>

#include "execution.hpp"
#include "shrink.hpp"
#include "strategy.hpp"

namespace cb::model {
namespace {

using detail::execution;
using detail::execution_outcome;

std::unique_ptr<detail::strategy> make_strategy(const options& o) {
  if (o.strategy == "random") return detail::make_random_strategy(o);
  if (o.strategy == "pct") return detail::make_pct_strategy(o);
  if (o.strategy == "dfs") return detail::make_dfs_strategy(o);
  if (o.strategy == "replay") return detail::make_replay_strategy(parse_schedule(o.schedule));
  throw std::invalid_argument("unknown strategy '" + o.strategy + "' (random, pct, dfs or replay)");
}

execution_outcome replay_once(const std::function<void()>& body, const options& o,
                              const std::vector<int>& decisions) {
  auto s = detail::make_replay_strategy(decisions);
  s->begin_execution(0);
  execution e(o, *s);
  return e.run(body);
}

// The schedule string of an outcome. When every decision was the default one (a failure that
// needs no preemption, as most data races), that is "0": the main thread's first step, then
// the defaults, which replays the same execution; an empty string would not name a schedule.
std::string schedule_of(const execution_outcome& o) {
  const std::string s = format_schedule(detail::essential_decisions(o));
  return s.empty() ? "0" : s;
}

}  // namespace

exploration_result explore(const std::function<void()>& body, const options& opts) {
  exploration_result r;
  r.strategy = opts.strategy;
  r.preemption_bound = opts.preemption_bound;
  r.max_steps = opts.max_steps;
  auto s = make_strategy(opts);
  execution_outcome found;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; s->begin_execution(i); ++i) {
    if (opts.time_limit_seconds > 0 && i > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
            opts.time_limit_seconds) {
      r.timed_out = true;
      break;
    }
    execution e(opts, *s);
    execution_outcome o = e.run(body);
    s->end_execution(o.steps.size(), o.threads);
    ++r.executions;
    r.total_steps += o.steps.size();
    if (o.inconclusive) {
      if (r.inconclusive++ == 0) r.inconclusive_schedule = schedule_of(o);
    }
    if (o.failed) {
      found = std::move(o);
      break;
    }
    if (opts.strategy == "replay") {
      found = std::move(o);  // kept for its trace: a replay reports what it ran, failing or not
      break;
    }
  }
  s->describe(r);
  if (r.timed_out) {
    r.exhaustive = false;
    r.summary += " (stopped at the time limit)";
  }
  if (r.inconclusive > 0) {
    r.summary += "; " + std::to_string(r.inconclusive) + " of " + std::to_string(r.executions) +
                 " execution(s) hit the step bound of " + std::to_string(opts.max_steps) +
                 " without a livelock's evidence (inconclusive, not failures; first: schedule " +
                 r.inconclusive_schedule + ")";
  }
  if (!found.failed && opts.strategy != "replay") return r;

  r.failed = found.failed;
  r.failure = found.what;
  r.original_schedule = schedule_of(found);
  r.original_steps = found.steps.size();
  r.original_preemptions = found.preemptions;
  if (found.failed && opts.shrink && opts.strategy != "replay") {
    auto search = [&](int bound, std::size_t executions, std::size_t* used) {
      options bounded = opts;
      bounded.strategy = "dfs";
      bounded.preemption_bound = bound;
      bounded.max_executions = executions;
      auto dfs = detail::make_dfs_strategy(bounded);
      for (std::size_t i = 0; dfs->begin_execution(i); ++i) {
        execution e(bounded, *dfs);
        execution_outcome o = e.run(body);
        dfs->end_execution(o.steps.size(), o.threads);
        ++*used;
        if (o.failed) return o;
      }
      return execution_outcome{};
    };
    auto shrunk = detail::shrink(
        std::move(found), [&](const std::vector<int>& d) { return replay_once(body, opts, d); },
        search, opts.shrink_budget);
    found = std::move(shrunk.smallest);
    r.failure = found.what;
    r.shrink_method = "delta debugging (ddmin) over schedule decisions";
    r.shrink_replays = shrunk.replays;
  }
  r.schedule = schedule_of(found);
  r.steps = found.steps.size();
  r.preemptions = found.preemptions;
  if (opts.keep_trace) r.trace = detail::make_trace(found);
  return r;
}

}  // namespace cb::model
