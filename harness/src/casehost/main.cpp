// The case host: main() of every case binary (casebook-cases-plain, -tsan, -asan).
//
//   casebook-cases-<config> list
//       prints every compiled-in variant and its declarations as JSON (the runner's catalog).
//   casebook-cases-<config> run <case> <variant> [--threads N] [--iterations N] [--seed S]
//                               [--param NAME=VALUE]... [--outcome FILE]
//       runs one variant once and writes its outcome as JSON to FILE (or stdout).
//
// It stays deliberately small and links nothing of the runner: it is compiled under every
// sanitizer, and anything here shows up in their reports next to the case's own code.
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

#include "registry.hpp"

namespace {

using casebook::casehost::registered_variant;
using nlohmann::json;

constexpr int kExitUsage = 2;

std::string repo_relative(const std::string& path) {
  std::string_view root = CASEBOOK_SOURCE_DIR;
  if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
      path[root.size()] == '/') {
    return path.substr(root.size() + 1);
  }
  return path;
}

const char* want_name(cb::expectation::what w) {
  switch (w) {
    case cb::expectation::what::finds:
      return "finds";
    case cb::expectation::what::clean:
      return "clean";
    case cb::expectation::what::skip:
      return "skip";
  }
  return "clean";
}

json params_json(const cb::params& p) {
  return {
      {"threads", p.threads}, {"iterations", p.iterations}, {"seed", p.seed}, {"extra", p.extra}};
}

json describe(const registered_variant& v) {
  json expectations = json::array();
  for (const auto& e : v.spec.expectations) {
    json item = {{"detector", e.detector}, {"want", want_name(e.want)}};
    if (!e.kinds.empty()) item["kinds"] = e.kinds;
    if (!e.reason.empty()) item["reason"] = e.reason;
    expectations.push_back(std::move(item));
  }
  return {{"case", v.case_name},
          {"variant", v.variant},
          {"title", v.spec.title},
          {"category", v.spec.category},
          {"file", repo_relative(v.file)},
          {"defaults", params_json(v.spec.defaults)},
          {"timeout_seconds", v.spec.timeout_seconds},
          {"expectations", std::move(expectations)}};
}

int usage_error(const std::string& message) {
  std::cerr << "casebook case host: " << message << "\n"
            << "usage: " << CASEBOOK_CONFIGURATION_BINARY
            << " list | run <case> <variant> [--threads N] [--iterations N] [--seed S] "
               "[--param NAME=VALUE]... [--outcome FILE]\n";
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
  for (const auto& v : casebook::casehost::all_variants()) out.push_back(describe(v));
  std::cout << out.dump(2) << "\n";
  return 0;
}

int run_variant(const std::vector<std::string_view>& args) {
  if (args.size() < 2) return usage_error("run needs <case> <variant>");
  const std::string case_name(args[0]);
  const std::string variant_name(args[1]);
  const registered_variant* v = casebook::casehost::find_variant(case_name, variant_name);
  if (v == nullptr) {
    return usage_error("no variant '" + case_name + "/" + variant_name +
                       "' in this binary; `list` shows what it holds");
  }
  if (v->spec.run == nullptr) return usage_error(case_name + "/" + variant_name + " has no .run");

  cb::params p = v->spec.defaults;
  std::string outcome_path;
  for (std::size_t i = 2; i < args.size(); ++i) {
    std::string_view flag = args[i];
    if (i + 1 >= args.size()) return usage_error("flag " + std::string(flag) + " needs a value");
    std::string_view value = args[++i];
    if (flag == "--outcome") {
      outcome_path = std::string(value);
      continue;
    }
    if (flag == "--param") {
      auto eq = value.find('=');
      auto number =
          eq == std::string_view::npos ? std::nullopt : parse_integer(value.substr(eq + 1));
      if (!number)
        return usage_error("--param wants NAME=INTEGER, got '" + std::string(value) + "'");
      p.extra[std::string(value.substr(0, eq))] = *number;
      continue;
    }
    auto number = parse_integer(value);
    if (!number) {
      return usage_error(std::string(flag) + " wants an integer, got '" + std::string(value) + "'");
    }
    if (flag == "--threads") {
      if (*number < 1 || *number > 1024) return usage_error("--threads must be in 1..1024");
      p.threads = static_cast<int>(*number);
    } else if (flag == "--iterations") {
      if (*number < 0) return usage_error("--iterations must be >= 0");
      p.iterations = *number;
    } else if (flag == "--seed") {
      p.seed = static_cast<std::uint64_t>(*number);
    } else {
      return usage_error("unknown flag '" + std::string(flag) + "'");
    }
  }

  const auto start = std::chrono::steady_clock::now();
  cb::outcome o = v->spec.run(p);
  const auto elapsed = std::chrono::steady_clock::now() - start;

  json out = {{"case", v->case_name},
              {"variant", v->variant},
              {"params", params_json(p)},
              {"invariant", o.invariant},
              {"holds", o.holds},
              {"observed", o.observed},
              {"expected", o.expected},
              {"note", o.note},
              {"duration_ms", std::chrono::duration<double, std::milli>(elapsed).count()}};
  // The outcome is written before main returns: a broken variant may leave threads running
  // that crash the process during exit, and the invariant must survive that.
  if (outcome_path.empty()) {
    std::cout << out.dump() << std::endl;
  } else {
    std::ofstream file(outcome_path, std::ios::trunc);
    file << out.dump() << "\n";
    file.close();
    if (!file) {
      std::cerr << "casebook case host: cannot write outcome file '" << outcome_path << "'\n";
      return 3;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command");
  try {
    if (args[0] == "list") return list_variants();
    if (args[0] == "run") return run_variant({args.begin() + 1, args.end()});
  } catch (const std::exception& e) {
    std::cerr << "casebook case host: uncaught exception: " << e.what() << "\n";
    return 70;
  }
  return usage_error("unknown command '" + std::string(args[0]) + "'");
}
