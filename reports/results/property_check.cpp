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
  p.attempts_per_input = f.integer_if("attempts_per_input");
  p.counterexample = f.text_if("counterexample");
  if (f.has("counterexample_params")) {
    const JsonFields params(f.any("counterexample_params"), f.path("counterexample_params"));
    std::map<std::string, std::int64_t> values;
    for (const auto& [name, value] : f.any("counterexample_params").items()) {
      values[name] = params.wide(name.c_str());
    }
    p.counterexample_params = std::move(values);
  }
  p.failure = f.text_if("failure");
  p.crashed = f.flag_if("crashed");
  p.reproduce = f.text_if("reproduce");
  p.replay_command = f.text_if("replay_command");
  p.gave_up = f.text_if("gave_up");
  return p;
}

}  // namespace casebook::results
