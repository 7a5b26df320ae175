#include "results/property_check.hpp"

#include "results/json_fields.hpp"

namespace casebook::results {

PropertyCheck property_check_from_json(const JsonFields& f) {
  PropertyCheck p;
  p.tests_run = f.integer("tests_run");
  p.tests_wanted = f.integer("tests_wanted");
  p.shrinks = f.integer("shrinks");
  p.seed = f.unsigned_integer("seed");
  p.replayed = f.flag("replayed");
  if (f.has("attempts_per_input")) p.attempts_per_input = f.integer("attempts_per_input");
  if (f.has("counterexample")) p.counterexample = f.text("counterexample");
  if (f.has("counterexample_params")) {
    const JsonFields params(f.any("counterexample_params"), f.path("counterexample_params"));
    std::map<std::string, std::int64_t> values;
    for (const auto& [name, value] : f.any("counterexample_params").items()) {
      values[name] = params.wide(name.c_str());
    }
    p.counterexample_params = std::move(values);
  }
  if (f.has("failure")) p.failure = f.text("failure");
  if (f.has("crashed")) p.crashed = f.flag("crashed");
  if (f.has("reproduce")) p.reproduce = f.text("reproduce");
  if (f.has("replay_command")) p.replay_command = f.text("replay_command");
  if (f.has("gave_up")) p.gave_up = f.text("gave_up");
  return p;
}

}  // namespace casebook::results
