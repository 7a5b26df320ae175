#include "common/verdict_words.hpp"

#include <fmt/format.h>

namespace casebook::reports {

using nlohmann::json;

namespace {

std::string string_member(const json& object, const char* key, const char* fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

std::string shown_verdict(const json& verdict) {
  const std::string v = string_member(verdict, "verdict", "?");
  const bool passed = verdict.is_object() && verdict.value("passed", false);
  return v == "false-positive" && passed ? "known-false-positive" : v;
}

std::string expected_words(const json& verdict) {
  const json expected =
      verdict.is_object() ? verdict.value("expected", json::object()) : json::object();
  const std::string want = string_member(expected, "verdict", "?");
  if (want != "false-positive" && want != "may-find") return want;
  std::string kinds;
  for (const json& kind : expected.value("kinds", json::array())) {
    if (!kinds.empty()) kinds += " or ";
    kinds += kind.is_string() ? kind.get<std::string>() : kind.dump();
  }
  if (want == "may-find") {
    return (kinds.empty() ? std::string("its declared kinds") : kinds) +
           " or nothing, a chance symptom";
  }
  return "clean, or only the known false positive" + (kinds.empty() ? "" : " " + kinds);
}

std::string verdict_with_expectation(const json& verdict) {
  return fmt::format("{} (expected {})", shown_verdict(verdict), expected_words(verdict));
}

}  // namespace casebook::reports
