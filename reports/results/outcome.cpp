#include "results/outcome.hpp"

#include "results/json_fields.hpp"

namespace casebook::results {

namespace {

using nlohmann::json;

std::vector<double> numbers(const JsonFields& f, const char* key) {
  std::vector<double> out;
  const json& list = f.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_number()) JsonFields::fail(f.path(key, i), "expected a number");
    out.push_back(list[i].get<double>());
  }
  return out;
}

const json& object_field(const JsonFields& f, const char* key) {
  const json& v = f.any(key);
  if (!v.is_object()) JsonFields::fail(f.path(key), "expected an object");
  return v;
}

}  // namespace

Params params_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Params p;
  p.threads = f.integer("threads");
  p.iterations = f.wide("iterations");
  p.seed = f.unsigned_integer("seed");
  if (f.has("extra")) {
    const JsonFields extra(f.any("extra"), f.path("extra"));
    for (const auto& [name, v] : f.any("extra").items()) p.extra[name] = extra.wide(name.c_str());
  }
  return p;
}

Outcome outcome_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Outcome o;
  o.case_name = f.text("case");
  o.variant = f.text_if("variant");
  if (f.has("params")) o.params = params_from_json(f.any("params"), f.path("params"));
  o.invariant = f.text("invariant");
  o.holds = f.flag("holds");
  o.observed = f.text_or("observed", "");
  o.expected = f.text_or("expected", "");
  o.note = f.text_or("note", "");
  if (f.has("shares")) o.shares = numbers(f, "shares");
  if (f.has("waits")) o.waits = numbers(f, "waits");
  if (f.has("metrics")) {
    const JsonFields metrics(object_field(f, "metrics"), f.path("metrics"));
    std::map<std::string, double> m;
    for (const auto& [name, v] : f.any("metrics").items()) m[name] = metrics.number(name.c_str());
    o.metrics = std::move(m);
  }
  o.duration_ms = f.number_if("duration_ms");
  if (f.has("ratio")) {
    Comparison c;
    c.metric = f.text("metric");
    c.rounds = f.integer("rounds");
    c.broken_best = f.number("broken_best");
    c.fixed_best = f.number("fixed_best");
    c.broken_median = f.number("broken_median");
    c.fixed_median = f.number("fixed_median");
    c.ratio = f.number("ratio");
    c.threshold = f.number_if("threshold");
    c.broken = numbers(f, "broken");
    c.fixed = numbers(f, "fixed");
    if (f.has("runs")) {
      const json& runs = f.array("runs");
      for (std::size_t i = 0; i < runs.size(); ++i) {
        c.runs.push_back(outcome_from_json(runs[i], f.path("runs", i)));
      }
    }
    o.comparison = std::move(c);
  }
  o.verdict_basis = f.text_if("verdict_basis");
  o.inputs = f.text_if("inputs");
  if (f.has("model")) o.model = exploration_from_json(object_field(f, "model"), f.path("model"));
  if (f.has("property")) {
    o.property =
        property_check_from_json(JsonFields(object_field(f, "property"), f.path("property")));
  }
  return o;
}

}  // namespace casebook::results
