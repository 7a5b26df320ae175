// property_check.hpp - the property detector's figures as one type: what the case host's
// `property` command writes into its outcome ("property", harness/src/casehost/
// property_command.cpp), what the runner reads from it (protocol/host_protocol_reader.cpp, the
// property detector), and what results.json keeps on the property detector's verdict and the
// reports show (reports/schema/results.schema.json, "property").
//
// The writer is header-only (to_json below), because the case host is compiled into the plain
// configuration's case binary and links nothing of the runner; the strict reader is in the
// results library (property_check.cpp), and refuses a missing or mistyped field by its path,
// like every other reader of results.json.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace casebook {
class JsonFields;
}

namespace casebook::results {

struct PropertyCheck {
  int tests_run = 0;     // inputs tried, the failing one included
  int tests_wanted = 0;  // the variant's .property_tests
  int shrinks = 0;       // accepted shrink steps
  std::uint64_t seed = 0;
  bool replayed = false;  // the run replayed a recorded counterexample (RC_PARAMS reproduce=)
  // How often each input was run; absent in files written before it was recorded.
  std::optional<int> attempts_per_input;
  // A failure's: the shrunk input on one line ("threads=2 iterations=1") and by name (absent
  // in older files), what went wrong with it, whether its run died, and how to replay it.
  std::optional<std::string> counterexample;
  std::optional<std::map<std::string, std::int64_t>> counterexample_params;
  std::optional<std::string> failure;
  std::optional<bool> crashed;
  std::optional<std::string> reproduce;  // RC_PARAMS="reproduce=<this>"
  std::optional<std::string> replay_command;
  std::optional<std::string> gave_up;  // rapidcheck gave up (the property's own fault): why

  // Whether it found a counterexample: a shrunk input, or a failure, recorded.
  bool failed() const {
    return (counterexample_params && !counterexample_params->empty()) ||
           !counterexample.value_or("").empty() || !failure.value_or("").empty();
  }

  bool operator==(const PropertyCheck&) const = default;
};

inline nlohmann::json to_json(const PropertyCheck& p) {
  nlohmann::json out = {{"tests_run", p.tests_run},
                        {"tests_wanted", p.tests_wanted},
                        {"shrinks", p.shrinks},
                        {"seed", p.seed},
                        {"replayed", p.replayed}};
  if (p.attempts_per_input) out["attempts_per_input"] = *p.attempts_per_input;
  if (p.counterexample) out["counterexample"] = *p.counterexample;
  if (p.counterexample_params) out["counterexample_params"] = *p.counterexample_params;
  if (p.failure) out["failure"] = *p.failure;
  if (p.crashed) out["crashed"] = *p.crashed;
  if (p.reproduce) out["reproduce"] = *p.reproduce;
  if (p.replay_command) out["replay_command"] = *p.replay_command;
  if (p.gave_up) out["gave_up"] = *p.gave_up;
  return out;
}

// Reads the object f holds; throws FieldError naming the first field that is missing or of
// another type.
PropertyCheck property_check_from_json(const JsonFields& f);

}  // namespace casebook::results
