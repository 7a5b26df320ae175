// host_protocol.hpp - the two documents a case host hands the runner, as types both sides share:
// the catalog listing (`casebook-cases-<config> list`, one ListedVariant per variant) and the
// outcome file every command writes (`run`, `compare`, `explore`, `property`: Outcome).
//
// The case host writes them with to_json here (header-only: it is compiled into every
// configuration's host, sanitizers and all); the runner reads them with the strict readers of
// host_protocol_reader.hpp, which name the field they refuse. A field added here is added on
// both sides at once.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "results/outcome.hpp"

namespace casebook::protocol {

// A variant's inputs (cb::params), the outcome document and its comparison: one type each
// with results.json, which keeps every trial's outcome (results/outcome.hpp).
using ListedParams = results::Params;
using results::Comparison;
using results::Outcome;
using results::to_json;

// One generated input's range, for the property detector (cb::param_range).
struct ListedRange {
  std::string name;
  std::int64_t min = 0;
  std::int64_t max = 0;

  bool operator==(const ListedRange&) const = default;
};

// What a variant declares of a detector: cb::expectation::what on the case host's side, this
// everywhere after the listing.
enum class Want { finds, clean, skip, false_positive, may_find };

// The listing's spelling of each Want, the one place it is spelt.
inline constexpr std::array<std::pair<Want, std::string_view>, 5> kWantNames = {{
    {Want::finds, "finds"},
    {Want::clean, "clean"},
    {Want::skip, "skip"},
    {Want::false_positive, "false-positive"},
    {Want::may_find, "may-find"},
}};

constexpr const char* want_name(Want w) {
  for (const auto& [want, name] : kWantNames) {
    if (want == w) return name.data();
  }
  return "clean";
}

// "finds, clean, skip, false-positive, may-find", for the messages that list them.
inline std::string want_names() {
  std::string out;
  for (const auto& [want, name] : kWantNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

constexpr std::optional<Want> want_from_name(std::string_view name) {
  for (const auto& [want, spelt] : kWantNames) {
    if (spelt == name) return want;
  }
  return std::nullopt;
}

// One declared expectation.
struct ListedExpectation {
  std::string detector;
  Want want = Want::clean;
  std::vector<std::string> kinds;  // written only when there are some
  std::string reason;              // written only when there is one

  bool operator==(const ListedExpectation&) const = default;
};

// One variant as `list` prints it: its declaration (cb::case_spec) and where its source is.
struct ListedVariant {
  std::string case_name;  // "case" in the document
  std::string variant;
  std::string title;
  std::string category;
  std::string file;        // the source file, repo-relative or relative to cases_root
  std::string cases_root;  // "" for the repository's own cases
  ListedParams defaults;
  std::optional<ListedParams> small;  // null when the variant declares no .small
  double timeout_seconds = 0;
  int memory_limit_mib = 0;
  int max_tasks = 0;
  double fairness_floor = 0;
  double max_wait_seconds = 0;
  double perf_ratio = 0;
  std::string perf_metric = "seconds";
  std::string compile_probe;  // a file in the case's folder, or ""
  std::vector<ListedRange> vary;
  int property_tests = 0;  // 0: the runner's default
  std::vector<ListedExpectation> expectations;

  bool operator==(const ListedVariant&) const = default;
};

inline nlohmann::json to_json(const ListedVariant& v) {
  nlohmann::json expectations = nlohmann::json::array();
  for (const ListedExpectation& e : v.expectations) {
    nlohmann::json item = {{"detector", e.detector}, {"want", want_name(e.want)}};
    if (!e.kinds.empty()) item["kinds"] = e.kinds;
    if (!e.reason.empty()) item["reason"] = e.reason;
    expectations.push_back(std::move(item));
  }
  nlohmann::json vary = nlohmann::json::array();
  for (const ListedRange& r : v.vary)
    vary.push_back({{"name", r.name}, {"min", r.min}, {"max", r.max}});
  return {{"case", v.case_name},
          {"variant", v.variant},
          {"title", v.title},
          {"category", v.category},
          {"file", v.file},
          {"cases_root", v.cases_root},
          {"defaults", to_json(v.defaults)},
          {"small", v.small ? to_json(*v.small) : nlohmann::json(nullptr)},
          {"timeout_seconds", v.timeout_seconds},
          {"memory_limit_mib", v.memory_limit_mib},
          {"max_tasks", v.max_tasks},
          {"fairness_floor", v.fairness_floor},
          {"max_wait_seconds", v.max_wait_seconds},
          {"perf_ratio", v.perf_ratio},
          {"perf_metric", v.perf_metric},
          {"compile_probe", v.compile_probe},
          {"vary", std::move(vary)},
          {"property_tests", v.property_tests},
          {"expectations", std::move(expectations)}};
}

}  // namespace casebook::protocol
