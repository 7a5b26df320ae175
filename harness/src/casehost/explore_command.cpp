// explore_command.cpp - the model case host's `explore` command (see explore_command.hpp).
#include "explore_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "casebook/model/explore.hpp"
#include "casebook/model/rt.hpp"
#include "outcome_file.hpp"
#include "protocol/host_protocol.hpp"
#include "registry.hpp"
#include "seed_flag.hpp"

namespace casebook::casehost {
namespace {

namespace protocol = casebook::protocol;

constexpr int kExitUsage = 2;

int usage(const std::string& message) {
  std::cerr << "casebook case host: " << message << "\n"
            << "usage: casebook-cases-model explore <case> <variant> [--strategy "
               "auto|random|pct|dfs|replay] [--schedule S] [--runs N] [--seed S] "
               "[--preemption-bound B] [--pct-depth D] [--max-steps N] [--time-limit SECONDS] "
               "[--data-races on|off] "
               "[--threads N] [--iterations N] [--param NAME=VALUE]... [--outcome FILE]\n";
  return kExitUsage;
}

std::optional<long long> integer(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::string repo_relative(const std::string& path) {
  const std::string root = CASEBOOK_SOURCE_DIR;
  if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
      path[root.size()] == '/') {
    return path.substr(root.size() + 1);
  }
  return path;
}

// Failure messages name files as the compiler spelled them (absolute): repo-relative like the
// trace, wherever they appear in the text.
std::string relative_text(std::string text) {
  const std::string root = std::string(CASEBOOK_SOURCE_DIR) + "/";
  for (std::size_t at = text.find(root); at != std::string::npos; at = text.find(root, at)) {
    text.erase(at, root.size());
  }
  return text;
}

std::vector<std::string> relative_lines(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const auto& l : lines) out.push_back(relative_text(l));
  return out;
}

// Inputs for a variant that declares no .small: the model runs it thousands of times, and its
// defaults (sized for a real run: many threads, thousands of iterations) would make every
// execution run into the step bound. Threads at most 3 and iterations at most 4 keep the
// interleavings that matter (most concurrency bugs need two or three threads and a few
// operations each); case-specific extras stay as declared.
constexpr int kDerivedMaxThreads = 3;
constexpr std::int64_t kDerivedMaxIterations = 4;

cb::params derived_small(const cb::params& defaults) {
  cb::params p = defaults;
  p.threads = std::clamp(defaults.threads, 1, kDerivedMaxThreads);
  p.iterations = std::clamp<std::int64_t>(defaults.iterations, 0, kDerivedMaxIterations);
  return p;
}

std::string shell_quoted(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-./=:@%+,") == std::string::npos) {
    return s;
  }
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The replay command a user can paste: the casebook binary by its real path (the runner tells
// us its own through CASEBOOK_RUNNER_BINARY; run by hand, the casebook beside this host), and
// --bin-dir naming this host's folder when casebook lives elsewhere (an outside catalog).
std::string replay_command(const std::string& case_name, const std::string& variant,
                           const std::string& schedule) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path host = fs::read_symlink("/proc/self/exe", ec);
  const fs::path host_dir = ec ? fs::path() : host.parent_path();
  std::string casebook = "casebook";
  fs::path casebook_dir;
  if (const char* runner = std::getenv("CASEBOOK_RUNNER_BINARY"); runner && *runner) {
    casebook = runner;
    casebook_dir = fs::path(runner).parent_path();
  } else if (!host_dir.empty() && fs::exists(host_dir / "casebook", ec)) {
    casebook = (host_dir / "casebook").string();
    casebook_dir = host_dir;
  }
  std::string line = shell_quoted(casebook) + " replay " + shell_quoted(case_name) + " " +
                     shell_quoted(variant) + " --schedule " + schedule;
  if (!host_dir.empty() && (casebook_dir.empty() || !fs::equivalent(casebook_dir, host_dir, ec))) {
    line += " --bin-dir " + shell_quoted(host_dir.string());
  }
  return line;
}

results::ModelStep listed_step(const cb::model::trace_step& s) {
  results::ModelStep out;
  out.step = s.step;
  out.thread = s.thread;
  out.operation = s.operation;
  out.file = repo_relative(s.file);
  out.line = s.line;
  out.racy = s.racy;
  out.preemption = s.preemption;
  return out;
}

results::Exploration exploration_of(const cb::model::exploration_result& r,
                                    const std::string& replay) {
  results::Exploration out;
  out.strategy = r.strategy;
  out.failed = r.failed;
  out.executions = r.executions;
  out.total_steps = r.total_steps;
  out.exhaustive = r.exhaustive;
  out.preemption_bound = r.preemption_bound;
  out.timed_out = r.timed_out;
  out.summary = r.summary;
  out.sequentially_consistent = true;
  out.max_steps = r.max_steps;
  out.inconclusive_executions = r.inconclusive;
  if (r.inconclusive > 0) out.inconclusive_schedule = r.inconclusive_schedule;
  if (r.strategy == "pct") {
    out.pct = results::PctBounds{r.pct_depth, r.pct_threads, r.pct_steps, r.pct_per_run_bound,
                                 r.pct_miss_bound};
  }
  if (r.strategy == "replay") out.replay_diverged = r.replay_diverged;
  if (r.failed || r.strategy == "replay") {
    results::ModelFailure failure;
    failure.kind = r.failure.kind;
    failure.message = relative_text(r.failure.message);
    failure.details = relative_lines(r.failure.details);
    for (const auto& a : r.failure.accesses) failure.accesses.push_back(listed_step(a));
    out.failure = std::move(failure);
    out.schedule = r.schedule;
    out.steps = r.steps;
    out.preemptions = r.preemptions;
    out.original =
        results::OriginalSchedule{r.original_schedule, r.original_steps, r.original_preemptions};
    out.shrink = results::Shrink{r.shrink_method, r.shrink_replays};
    out.replay_command = replay;
    std::vector<results::ModelStep> trace;
    for (const auto& step : r.trace) trace.push_back(listed_step(step));
    out.trace = std::move(trace);
  }
  return out;
}

// The readable report: the failure, its evidence, the replay line and the interleaving.
void print_report(const cb::model::exploration_result& r, const std::string& replay) {
  std::cerr << "model: " << r.summary << "\n";
  if (!r.failed) return;
  std::cerr << "model: " << r.failure.kind << ": " << relative_text(r.failure.message) << "\n";
  for (const auto& d : r.failure.details) std::cerr << "  " << relative_text(d) << "\n";
  std::cerr << "  schedule " << r.schedule << " (" << r.steps << " steps, " << r.preemptions
            << " preemption(s); first found: " << r.original_steps << " steps, "
            << r.original_preemptions << " preemption(s))\n"
            << "  replay: " << replay << "\n"
            << "  step thread operation                          location\n";
  for (const auto& s : r.trace) {
    char line[512];
    std::snprintf(line, sizeof line, "  %4zu %6d %-34s %s:%d%s%s\n", s.step, s.thread,
                  s.operation.c_str(), repo_relative(s.file).c_str(), s.line,
                  s.racy ? "  <- racy" : "", s.preemption ? "  (preempted)" : "");
    std::cerr << line;
  }
}

}  // namespace

int explore_variant(const std::vector<std::string_view>& args) {
  if (args.size() < 2) return usage("explore needs <case> <variant>");
  const std::string case_name(args[0]), variant(args[1]);
  const registered_variant* v = find_variant(case_name, variant);
  if (v == nullptr || v->spec.run == nullptr) {
    return usage("no runnable variant '" + case_name + "/" + variant + "' in this binary");
  }
  const bool declared_small = v->spec.small.threads > 0;
  cb::params params = declared_small ? v->spec.small : derived_small(v->spec.defaults);
  std::string inputs = declared_small ? "small" : "derived";
  cb::model::options o;
  o.strategy = "auto";
  o.runs = 10000;
  o.stack_size = 1024 * 1024;
  double time_limit = 5;  // auto: the dfs phase's budget before it falls back to PCT
  std::string outcome_path;
  for (std::size_t i = 2; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    if (i + 1 >= args.size()) return usage("flag " + std::string(flag) + " needs a value");
    const std::string value(args[++i]);
    if (flag == "--strategy") {
      o.strategy = value;
      continue;
    }
    if (flag == "--schedule") {
      o.schedule = value;
      continue;
    }
    if (flag == "--data-races") {
      if (value != "on" && value != "off") return usage("--data-races wants on or off");
      o.data_races = value == "on";
      continue;
    }
    if (flag == "--outcome") {
      outcome_path = value;
      continue;
    }
    if (flag == "--param") {
      auto eq = value.find('=');
      auto n = eq == std::string::npos ? std::nullopt : integer(value.substr(eq + 1));
      if (!n) return usage("--param wants NAME=INTEGER, got '" + value + "'");
      params.extra[value.substr(0, eq)] = *n;
      continue;
    }
    if (flag == "--time-limit") {
      // Seconds, fractions too: a test forces the auto strategy's PCT fallback with a budget
      // that no dfs search meets. 0: no limit.
      char* end = nullptr;
      time_limit = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || !(time_limit >= 0)) {
        return usage("--time-limit wants a non-negative number of seconds, got '" + value + "'");
      }
      continue;
    }
    if (flag == "--seed") {
      const auto seed = parse_seed(value);
      if (!seed) return usage("--seed wants an integer in 0..18446744073709551615");
      o.seed = *seed;
      continue;
    }
    auto n = integer(value);
    if (!n || *n < 0) return usage(std::string(flag) + " wants a non-negative integer");
    if (flag == "--runs") {
      o.runs = static_cast<std::size_t>(*n);
    } else if (flag == "--preemption-bound") {
      o.preemption_bound = static_cast<int>(*n);
    } else if (flag == "--pct-depth") {
      if (*n < 1) return usage("--pct-depth must be >= 1");
      o.pct_depth = static_cast<int>(*n);
    } else if (flag == "--max-steps") {
      o.max_steps = static_cast<std::size_t>(*n);
    } else if (flag == "--threads") {
      if (*n < 1 || *n > 64) return usage("--threads must be in 1..64");
      params.threads = static_cast<int>(*n);
      inputs = "given";
    } else if (flag == "--iterations") {
      params.iterations = *n;
      inputs = "given";
    } else {
      return usage("unknown flag '" + std::string(flag) + "'");
    }
  }
  if (o.strategy == "replay" && o.schedule.empty()) return usage("replay needs --schedule");
  // The runner passes a declared .small as flags: still the variant's own small inputs.
  if (inputs == "given" && declared_small && params.threads == v->spec.small.threads &&
      params.iterations == v->spec.small.iterations && params.extra == v->spec.small.extra) {
    inputs = "small";
  }

  auto body = [&] {
    const cb::outcome out = v->spec.run(params);
    if (!out.holds) {
      const std::string text = out.invariant + ": observed " + out.observed + ", expected " +
                               out.expected + (out.note.empty() ? "" : " (" + out.note + ")");
      cb::model::rt::fail("invariant-violated", text.c_str(), {});
    }
  };
  cb::model::exploration_result r;
  std::string verdict_basis;
  try {
    if (o.strategy == "auto") {
      // Exhaustive within bound 2 if that finishes in time; otherwise many PCT runs.
      cb::model::options dfs = o;
      dfs.strategy = "dfs";
      dfs.preemption_bound = 2;
      dfs.time_limit_seconds = time_limit;
      r = cb::model::explore(body, dfs);
      verdict_basis = "dfs";
      if (!r.failed && !r.exhaustive) {
        cb::model::options pct = o;
        pct.strategy = "pct";
        const std::string dfs_summary = r.summary;
        r = cb::model::explore(body, pct);
        r.summary = dfs_summary + "; then " + r.summary;
        verdict_basis = "pct";
      }
    } else {
      o.time_limit_seconds = o.strategy == "dfs" ? time_limit : 0;
      r = cb::model::explore(body, o);
      verdict_basis = o.strategy;
    }
  } catch (const std::invalid_argument& e) {
    return usage(e.what());
  }
  const std::string replay =
      replay_command(case_name, variant, r.schedule.empty() ? "0" : r.schedule);
  const std::string inputs_note =
      inputs == "small"     ? "the variant's .small inputs"
      : inputs == "derived" ? "inputs derived from the defaults (no .small declared): threads " +
                                  std::to_string(params.threads) + ", iterations " +
                                  std::to_string(params.iterations) + " (at most " +
                                  std::to_string(kDerivedMaxThreads) + " and " +
                                  std::to_string(kDerivedMaxIterations) + "), extras as declared"
                            : "inputs given on the command line";
  r.summary = "with " + inputs_note + "; " + r.summary;
  print_report(r, replay);
  protocol::Outcome out;
  out.case_name = case_name;
  out.variant = variant;
  out.params = listed_params(params);
  out.invariant = "no failure under the model scheduler";
  out.holds = !r.failed;
  out.observed = r.failed ? r.failure.kind + ": " + relative_text(r.failure.message) : "no failure";
  out.expected = "no failure";
  out.note = r.summary;
  out.verdict_basis = verdict_basis;
  out.inputs = inputs;
  out.model = exploration_of(r, replay);
  return write_outcome(to_json(out), outcome_path);
}

}  // namespace casebook::casehost
