#include "property_command.hpp"

#include <rapidcheck.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "outcome_file.hpp"
#include "property_check.hpp"
#include "protocol/host_protocol.hpp"
#include "registry.hpp"

namespace casebook::casehost {
namespace {

using nlohmann::json;

int usage(const std::string& message) {
  std::cerr << "casebook case host: " << message << "\n"
            << "usage: casebook-cases-plain property <case> <variant> [--tests N] [--seed S] "
               "[--reproduce CODE] [--outcome FILE]\n";
  return 2;
}

std::optional<unsigned long long> parse_unsigned(std::string_view text) {
  std::string s(text);
  if (s.empty() || s[0] == '-') return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return value;
}

// The shell command that replays a failure: rapidcheck's documented RC_PARAMS route.
std::string replay_command(const registered_variant& v, const std::string& code) {
  return "RC_PARAMS=\"reproduce=" + code + "\" build/bin/casebook-cases-plain property " +
         v.case_name + " " + v.variant;
}

json property_outcome(const registered_variant& v, const property_options& options,
                      const property_result& r) {
  const std::string invariant =
      "the invariant holds for every generated input (" + std::to_string(options.tests) + ")";
  results::PropertyCheck property;
  property.tests_run = r.tests_run;
  property.tests_wanted = options.tests;
  property.attempts_per_input = options.attempts;
  property.shrinks = r.shrinks;
  property.seed = options.seed;
  property.replayed = !options.reproduce.empty();
  if (r.failed) {
    property.counterexample = r.counterexample;
    property.counterexample_params = r.counterexample_params;
    property.failure = r.failure;
    property.crashed = r.crashed;
    property.reproduce = r.reproduce;
    property.replay_command = replay_command(v, r.reproduce);
  }
  if (r.gave_up) property.gave_up = r.message;
  protocol::Outcome out;
  out.case_name = v.case_name;
  out.variant = v.variant;
  out.invariant = invariant;
  out.holds = !r.failed && !r.gave_up;
  out.observed = r.failed    ? "fails for " + r.counterexample
                 : r.gave_up ? "rapidcheck gave up: " + r.message
                             : "held for " + std::to_string(r.tests_run) + " inputs";
  out.expected = "holds for every input";
  out.note = r.failed ? r.failure : "";
  out.property = std::move(property);
  return protocol::to_json(out);
}

}  // namespace

int property_command(const std::vector<std::string_view>& args) {
  if (args.size() < 2) return usage("property needs <case> <variant>");
  const registered_variant* v = find_variant(std::string(args[0]), std::string(args[1]));
  if (v == nullptr || v->spec.run == nullptr) {
    return usage("no variant '" + std::string(args[0]) + "/" + std::string(args[1]) +
                 "' in this binary; `list` shows what it holds");
  }
  property_options options;
  options.tests = v->spec.property_tests > 0 ? v->spec.property_tests : 100;
  const std::string id = v->case_name + "/" + v->variant;
  if (const char* env = std::getenv("RC_PARAMS"); env != nullptr && *env != '\0') {
    try {
      rc::detail::Configuration defaults;
      defaults.testParams.maxSuccess = options.tests;
      const auto config = rc::detail::configFromString(env, defaults);
      options.tests = config.testParams.maxSuccess;
      options.seed = config.testParams.seed;
      if (auto it = config.reproduce.find(id); it != config.reproduce.end()) {
        options.reproduce = std::string(env).substr(std::string(env).find("reproduce=") + 10);
        options.reproduce = options.reproduce.substr(0, options.reproduce.find(' '));
      }
    } catch (const std::exception& e) {
      return usage(std::string("RC_PARAMS is not a rapidcheck configuration: ") + e.what());
    }
  }
  std::string outcome_path;
  for (std::size_t i = 2; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    if (i + 1 >= args.size()) return usage("flag " + std::string(flag) + " needs a value");
    const std::string_view value = args[++i];
    if (flag == "--outcome") {
      outcome_path = std::string(value);
    } else if (flag == "--reproduce") {
      options.reproduce = std::string(value);
    } else if (auto number = parse_unsigned(value); !number) {
      return usage(std::string(flag) + " wants a non-negative integer, got '" + std::string(value) +
                   "'");
    } else if (flag == "--tests") {
      if (*number < 1 || *number > 1000000) return usage("--tests must be in 1..1000000");
      options.tests = static_cast<int>(*number);
    } else if (flag == "--seed") {
      options.seed = *number;
    } else {
      return usage("unknown flag '" + std::string(flag) + "'");
    }
  }
  // Each input goes to stderr before it runs, so a crash is still tied to its input.
  options.on_input = [](const std::string& input) {
    std::cerr << "casebook property input: " << input << std::endl;
  };

  property_result result;
  try {
    result = check_property(*v, options);
  } catch (const std::invalid_argument& e) {
    return usage(e.what());
  }
  const json out = property_outcome(*v, options, result);
  return write_outcome(out, outcome_path);
}

}  // namespace casebook::casehost
