#include "writing/verdict_words.hpp"

#include <fmt/format.h>

namespace casebook::reports {

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

}  // namespace casebook::reports
