#include "protocol/host_protocol_reader.hpp"

namespace casebook::protocol {

namespace {

using nlohmann::json;

ListedParams read_params(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  ListedParams p;
  p.threads = f.integer("threads");
  p.iterations = f.wide("iterations");
  p.seed = f.unsigned_integer("seed");
  if (f.has("extra")) {
    const JsonFields extra(f.any("extra"), f.path("extra"));
    for (const auto& [name, v] : f.any("extra").items()) p.extra[name] = extra.wide(name.c_str());
  }
  return p;
}

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

ListedVariant read_listed_variant(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  ListedVariant v;
  v.case_name = f.text("case");
  v.variant = f.text("variant");
  v.title = f.text_or("title", "");
  v.category = f.text_or("category", "");
  v.file = f.text_or("file", "");
  v.cases_root = f.text_or("cases_root", "");
  v.defaults = read_params(f.any("defaults"), f.path("defaults"));
  if (const json* small = f.has("small") ? f.object_or_null("small") : nullptr) {
    v.small = read_params(*small, f.path("small"));
  }
  v.timeout_seconds = f.number_or("timeout_seconds", 0);
  v.memory_limit_mib = f.integer_or("memory_limit_mib", 0);
  v.max_tasks = f.integer_or("max_tasks", 0);
  v.fairness_floor = f.number_or("fairness_floor", 0);
  v.max_wait_seconds = f.number_or("max_wait_seconds", 0);
  v.perf_ratio = f.number_or("perf_ratio", 0);
  v.perf_metric = f.text_or("perf_metric", "seconds");
  v.compile_probe = f.text_or("compile_probe", "");
  if (f.has("vary")) {
    const json& vary = f.array("vary");
    for (std::size_t i = 0; i < vary.size(); ++i) {
      const JsonFields r(vary[i], f.path("vary", i));
      v.vary.push_back({r.text("name"), r.wide("min"), r.wide("max")});
    }
  }
  v.property_tests = f.integer_or("property_tests", 0);
  const json& expectations = f.array("expectations");
  for (std::size_t i = 0; i < expectations.size(); ++i) {
    const JsonFields e(expectations[i], f.path("expectations", i));
    v.expectations.push_back({e.text("detector"), e.text("want"), text_list_or_empty(e, "kinds"),
                              e.text_or("reason", "")});
  }
  return v;
}

std::vector<ListedVariant> read_listing(const json& value, const std::string& where) {
  if (!value.is_array()) JsonFields::fail(where, "expected a JSON array of variants");
  std::vector<ListedVariant> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(read_listed_variant(value[i], where + "[" + std::to_string(i) + "]"));
  }
  return out;
}

Outcome read_outcome(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Outcome o;
  o.case_name = f.text("case");
  if (f.has("variant")) o.variant = f.text("variant");
  if (f.has("params")) o.params = read_params(f.any("params"), f.path("params"));
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
  if (f.has("duration_ms")) o.duration_ms = f.number("duration_ms");
  if (f.has("ratio")) {
    Comparison c;
    c.metric = f.text("metric");
    c.rounds = f.integer("rounds");
    c.broken_best = f.number("broken_best");
    c.fixed_best = f.number("fixed_best");
    c.broken_median = f.number("broken_median");
    c.fixed_median = f.number("fixed_median");
    c.ratio = f.number("ratio");
    c.threshold = f.number("threshold");
    c.broken = numbers(f, "broken");
    c.fixed = numbers(f, "fixed");
    if (f.has("runs")) c.runs = f.array("runs");
    o.comparison = std::move(c);
  }
  if (f.has("verdict_basis")) o.verdict_basis = f.text("verdict_basis");
  if (f.has("inputs")) o.inputs = f.text("inputs");
  if (f.has("model")) o.model = object_field(f, "model");
  if (f.has("property")) {
    o.property = results::property_check_from_json(
        JsonFields(object_field(f, "property"), f.path("property")));
  }
  return o;
}

}  // namespace casebook::protocol
