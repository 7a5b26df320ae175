// The case host: main() of every case binary (casebook-cases-plain, -tsan, -asan).
//
//   casebook-cases-<config> list
//       prints every compiled-in variant and its declarations as JSON (the runner's catalog).
//   casebook-cases-<config> run <case> <variant> [--threads N] [--iterations N] [--seed S]
//                               [--param NAME=VALUE]... [--outcome FILE]
//       runs one variant once and writes its outcome as JSON to FILE (or stdout).
//   casebook-cases-<config> compare <case> [--rounds K] [same flags]
//       runs broken and fixed alternately K times each and writes both variants' best (lowest)
//       and median values of the broken variant's perf_metric, and the ratio of the bests
//       (the perf detector's evidence).
//   casebook-cases-plain property <case> <variant> [--tests N] [--seed S] [--reproduce CODE]
//       checks the variant's invariant as a rapidcheck property (property_command.hpp).
//   casebook-cases-model explore <case> <variant> [--strategy S] [--schedule S] [...]
//       (model configuration only) explores the variant under the controlled scheduler; see
//       explore_command.hpp.
//
// It stays deliberately small and links nothing of the runner: it is compiled under every
// sanitizer, and anything here shows up in their reports next to the case's own code.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "noise_hook.hpp"
#include "outcome_file.hpp"
#include "property_command.hpp"
#include "protocol/host_protocol.hpp"
#include "registry.hpp"
#include "seed_flag.hpp"
#if defined(CASEBOOK_FACADE_MODEL)
#include "explore_command.hpp"
#endif

namespace {

using casebook::casehost::listed_params;
using casebook::casehost::registered_variant;
using casebook::casehost::write_outcome;
using nlohmann::json;
namespace protocol = casebook::protocol;

constexpr int kExitUsage = 2;

// path relative to root when it lies under it, else unchanged.
std::string relative_to(const std::string& path, std::string_view root) {
  if (!root.empty() && path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
      path[root.size()] == '/') {
    return path.substr(root.size() + 1);
  }
  return path;
}

// A variant's file as results name it: "<case>/broken.cpp" under its CASEBOOK_EXTRA_CASES
// folder for a case brought in from outside the catalog, repo-relative for the catalog's own.
std::string located_file(const registered_variant& v) {
  if (!v.cases_root.empty()) {
    std::string rel = relative_to(v.file, v.cases_root);
    if (rel != v.file) return rel;
  }
  return relative_to(v.file, CASEBOOK_SOURCE_DIR);
}

// The case API's expectation as the listing carries it (protocol::Want spells it).
protocol::Want listed_want(cb::expectation::what w) {
  switch (w) {
    case cb::expectation::what::finds:
      return protocol::Want::finds;
    case cb::expectation::what::clean:
      return protocol::Want::clean;
    case cb::expectation::what::skip:
      return protocol::Want::skip;
    case cb::expectation::what::false_positive:
      return protocol::Want::false_positive;
    case cb::expectation::what::may_find:
      return protocol::Want::may_find;
  }
  return protocol::Want::clean;
}

protocol::ListedVariant describe(const registered_variant& v) {
  protocol::ListedVariant out;
  out.case_name = v.case_name;
  out.variant = v.variant;
  out.title = v.spec.title;
  out.category = v.spec.category;
  out.file = located_file(v);
  out.cases_root = relative_to(v.file, v.cases_root) != v.file ? v.cases_root : "";
  out.defaults = listed_params(v.spec.defaults);
  if (v.spec.small.threads > 0) out.small = listed_params(v.spec.small);
  out.timeout_seconds = v.spec.timeout_seconds;
  out.memory_limit_mib = v.spec.memory_limit_mib;
  out.max_tasks = v.spec.max_tasks;
  out.fairness_floor = v.spec.fairness_floor;
  out.max_wait_seconds = v.spec.max_wait_seconds;
  out.perf_ratio = v.spec.perf_ratio;
  out.perf_metric = v.spec.perf_metric;
  out.compile_probe = v.spec.compile_probe;
  for (const auto& r : v.spec.vary) out.vary.push_back({r.name, r.min, r.max});
  out.property_tests = v.spec.property_tests;
  for (const auto& e : v.spec.expectations) {
    out.expectations.push_back({e.detector, listed_want(e.want), e.kinds, e.reason});
  }
  return out;
}

int usage_error(const std::string& message) {
  std::cerr << "casebook case host: " << message << "\n"
            << "usage: " << CASEBOOK_CONFIGURATION_BINARY
            << " list | run <case> <variant> [--threads N] [--iterations N] [--seed S] "
               "[--param NAME=VALUE]... [--outcome FILE] | compare <case> [--rounds K] [...] | "
               "property <case> <variant> [--tests N] [--seed S] [--reproduce CODE]\n";
  return kExitUsage;
}

std::optional<long long> parse_integer(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return value;
}

int list_variants() {
  json out = json::array();
  for (const auto& v : casebook::casehost::all_variants()) out.push_back(to_json(describe(v)));
  std::cout << out.dump(2) << "\n";
  return 0;
}

// Flags shared by `run` and `compare`, applied over the variant's defaults.
struct run_flags {
  cb::params params;
  std::string outcome_path;
  int rounds = 3;
};

// Parses flags into out; returns an error message, or "" when all is well.
std::string parse_flags(const std::vector<std::string_view>& args, std::size_t first,
                        run_flags& out) {
  for (std::size_t i = first; i < args.size(); ++i) {
    std::string_view flag = args[i];
    if (i + 1 >= args.size()) return "flag " + std::string(flag) + " needs a value";
    std::string_view value = args[++i];
    if (flag == "--outcome") {
      out.outcome_path = std::string(value);
      continue;
    }
    if (flag == "--param") {
      auto eq = value.find('=');
      auto number =
          eq == std::string_view::npos ? std::nullopt : parse_integer(value.substr(eq + 1));
      if (!number) return "--param wants NAME=INTEGER, got '" + std::string(value) + "'";
      out.params.extra[std::string(value.substr(0, eq))] = *number;
      continue;
    }
    if (flag == "--seed") {
      const auto seed = casebook::casehost::parse_seed(value);
      if (!seed) {
        return "--seed wants an integer in 0..18446744073709551615, got '" + std::string(value) +
               "'";
      }
      out.params.seed = *seed;
      continue;
    }
    auto number = parse_integer(value);
    if (!number) return std::string(flag) + " wants an integer, got '" + std::string(value) + "'";
    if (flag == "--threads") {
      if (*number < 1 || *number > 1024) return "--threads must be in 1..1024";
      out.params.threads = static_cast<int>(*number);
    } else if (flag == "--iterations") {
      if (*number < 0) return "--iterations must be >= 0";
      out.params.iterations = *number;
    } else if (flag == "--rounds") {
      if (*number < 1 || *number > 1000) return "--rounds must be in 1..1000";
      out.rounds = static_cast<int>(*number);
    } else {
      return "unknown flag '" + std::string(flag) + "'";
    }
  }
  return "";
}

// Runs one variant once, timing it; the wall time also becomes metrics["seconds"].
protocol::Outcome run_once(const registered_variant& v, const cb::params& p) {
  const auto start = std::chrono::steady_clock::now();
  cb::outcome o = v.spec.run(p);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.metrics.emplace("seconds", seconds);
  protocol::Outcome out;
  out.case_name = v.case_name;
  out.variant = v.variant;
  out.params = listed_params(p);
  out.invariant = o.invariant;
  out.holds = o.holds;
  out.observed = o.observed;
  out.expected = o.expected;
  out.note = o.note;
  out.shares = o.shares;
  out.waits = o.waits;
  out.metrics = o.metrics;
  out.duration_ms = seconds * 1000;
  return out;
}

const registered_variant* lookup(const std::string& case_name, const std::string& variant,
                                 std::string& error) {
  const registered_variant* v = casebook::casehost::find_variant(case_name, variant);
  if (v == nullptr) {
    error =
        "no variant '" + case_name + "/" + variant + "' in this binary; `list` shows what it holds";
  } else if (v->spec.run == nullptr) {
    error = case_name + "/" + variant + " has no .run";
    return nullptr;
  }
  return v;
}

int run_variant(const std::vector<std::string_view>& args) {
  if (args.size() < 2) return usage_error("run needs <case> <variant>");
  std::string error;
  const registered_variant* v = lookup(std::string(args[0]), std::string(args[1]), error);
  if (v == nullptr) return usage_error(error);
  run_flags flags{v->spec.defaults, "", 1};
  if (error = parse_flags(args, 2, flags); !error.empty()) return usage_error(error);
  if (const std::string noise = casebook::casehost::prepare_noise(flags.params.seed);
      !noise.empty()) {
    return usage_error(noise);
  }
  return write_outcome(to_json(run_once(*v, flags.params)), flags.outcome_path);
}

double lowest(const std::vector<double>& values) {
  return *std::min_element(values.begin(), values.end());
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The perf comparison: broken and fixed run alternately in this one process, `rounds` times
// each, with the broken variant's parameters, so both see the same machine at the same time.
int compare_variants(const std::vector<std::string_view>& args) {
  if (args.empty()) return usage_error("compare needs <case>");
  const std::string case_name(args[0]);
  std::string error;
  const registered_variant* broken = lookup(case_name, "broken", error);
  const registered_variant* fixed = broken ? lookup(case_name, "fixed", error) : nullptr;
  if (fixed == nullptr) return usage_error(error);
  run_flags flags{broken->spec.defaults, "", 5};
  if (error = parse_flags(args, 1, flags); !error.empty()) return usage_error(error);
  const std::string metric = broken->spec.perf_metric;

  protocol::Comparison c;
  c.metric = metric;
  c.rounds = flags.rounds;
  for (int r = 0; r < flags.rounds; ++r) {
    for (const registered_variant* v : {broken, fixed}) {
      const protocol::Outcome one = run_once(*v, flags.params);
      const auto value = one.metrics->find(metric);
      if (value == one.metrics->end()) {
        std::cerr << "casebook case host: " << v->case_name << "/" << v->variant
                  << " reported no metric '" << metric << "' (perf_metric)\n";
        return kExitUsage;
      }
      (v == broken ? c.broken : c.fixed).push_back(value->second);
      c.runs.push_back(one);
    }
  }
  // Perf metrics are costs (lower is better), and noise from a shared machine only ever adds
  // to a cost: the best of K rounds is the estimate least bent by it, for both variants.
  const double b = lowest(c.broken), f = lowest(c.fixed);
  c.broken_best = b;
  c.fixed_best = f;
  c.broken_median = median(c.broken);
  c.fixed_median = median(c.fixed);
  c.ratio = f > 0 ? b / f : 0.0;
  const double threshold = broken->spec.perf_ratio;
  c.threshold = threshold;
  protocol::Outcome out;
  out.case_name = case_name;
  // Shaped like a run's outcome, so every reader finds the usual fields.
  out.invariant = "broken " + metric + " < " + std::to_string(threshold) + " x fixed";
  out.holds = f > 0 && b / f < threshold;
  out.observed = std::to_string(c.ratio) + " x";
  out.expected = "< " + std::to_string(threshold) + " x";
  out.comparison = std::move(c);
  return write_outcome(to_json(out), flags.outcome_path);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command");
  try {
    if (args[0] == "list") return list_variants();
    if (args[0] == "run") return run_variant({args.begin() + 1, args.end()});
    if (args[0] == "compare") return compare_variants({args.begin() + 1, args.end()});
    if (args[0] == "property") {
      return casebook::casehost::property_command({args.begin() + 1, args.end()});
    }
#if defined(CASEBOOK_FACADE_MODEL)
    if (args[0] == "explore") {
      return casebook::casehost::explore_variant({args.begin() + 1, args.end()});
    }
#endif
  } catch (const std::exception& e) {
    std::cerr << "casebook case host: uncaught exception: " << e.what() << "\n";
    return 70;
  }
  return usage_error("unknown command '" + std::string(args[0]) + "'");
}
