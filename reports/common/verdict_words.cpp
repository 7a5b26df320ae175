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

// The fields the words are made of, read tolerantly.
results::Verdict words_of(const json& verdict) {
  results::Verdict v;
  v.verdict = string_member(verdict, "verdict", "?");
  v.passed = verdict.is_object() && verdict.value("passed", false);
  const json expected =
      verdict.is_object() ? verdict.value("expected", json::object()) : json::object();
  v.expected.verdict = string_member(expected, "verdict", "?");
  if (expected.is_object()) {
    for (const json& kind : expected.value("kinds", json::array())) {
      v.expected.kinds.push_back(kind.is_string() ? kind.get<std::string>() : kind.dump());
    }
  }
  return v;
}

}  // namespace

std::string shown_verdict(const results::Verdict& verdict) {
  return verdict.verdict == "false-positive" && verdict.passed ? "known-false-positive"
                                                               : verdict.verdict;
}

std::string expected_words(const results::Expected& expected) {
  const std::string& want = expected.verdict;
  if (want != "false-positive" && want != "may-find") return want;
  std::string kinds;
  for (const std::string& kind : expected.kinds) {
    if (!kinds.empty()) kinds += " or ";
    kinds += kind;
  }
  if (want == "may-find") {
    return (kinds.empty() ? std::string("its declared kinds") : kinds) +
           " or nothing, a chance symptom";
  }
  return "clean, or only the known false positive" + (kinds.empty() ? "" : " " + kinds);
}

std::string verdict_with_expectation(const results::Verdict& verdict) {
  return fmt::format("{} (expected {})", shown_verdict(verdict), expected_words(verdict.expected));
}

std::string shown_verdict(const json& verdict) {
  return shown_verdict(words_of(verdict));
}

std::string expected_words(const json& verdict) {
  return expected_words(words_of(verdict).expected);
}

std::string verdict_with_expectation(const json& verdict) {
  return verdict_with_expectation(words_of(verdict));
}

}  // namespace casebook::reports
