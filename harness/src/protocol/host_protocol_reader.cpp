#include "protocol/host_protocol_reader.hpp"

namespace casebook::protocol {

using nlohmann::json;

namespace {

Want read_want(const JsonFields& e) {
  const std::string name = e.text("want");
  if (const std::optional<Want> want = want_from_name(name)) return *want;
  JsonFields::fail(e.path("want"), "\"" + name + "\" is not one of " + want_names());
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
  v.defaults = results::params_from_json(f.any("defaults"), f.path("defaults"));
  if (const json* small = f.has("small") ? f.object_or_null("small") : nullptr) {
    v.small = results::params_from_json(*small, f.path("small"));
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
    v.expectations.push_back({e.text("detector"), read_want(e), text_list_or_empty(e, "kinds"),
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
  return results::outcome_from_json(value, where);
}

}  // namespace casebook::protocol
