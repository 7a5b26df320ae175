// The words every output uses for a verdict (reports/writing/verdict_words.hpp), on verdicts
// read from objects shaped as results.json writes them.
#include "writing/verdict_words.hpp"

#include <gtest/gtest.h>

namespace casebook::reports {
namespace {

using nlohmann::json;

results::Verdict verdict(const std::string& name, bool passed, json expected) {
  if (!expected.contains("declared")) expected["declared"] = true;
  results::Verdict v;
  v.verdict = name;
  v.passed = passed;
  v.expected = results::expected_from_json(expected, "expected");
  return v;
}

TEST(VerdictWords, AFalsePositiveOnACleanExpectationFailsAsExpectedClean) {
  const results::Verdict v =
      verdict("false-positive", false, {{"verdict", "clean"}, {"declared", true}});
  EXPECT_EQ(shown_verdict(v), "false-positive");
  EXPECT_EQ(verdict_with_expectation(v), "false-positive (expected clean)");
}

TEST(VerdictWords, ADeclaredKnownFalsePositiveThatPassedIsNamedSo) {
  const results::Verdict v = verdict("false-positive", true,
                                     {{"verdict", "false-positive"},
                                      {"kinds", {"unlocked-signal", "data-race"}},
                                      {"reason", "a tool limit"}});
  EXPECT_EQ(shown_verdict(v), "known-false-positive");
  EXPECT_EQ(verdict_with_expectation(v),
            "known-false-positive (expected clean, or only the known false positive "
            "unlocked-signal or data-race)");
}

TEST(VerdictWords, AnotherKindUnderAKnownFalsePositiveFailsNamingWhatWasTolerated) {
  const results::Verdict v =
      verdict("false-positive", false, {{"verdict", "false-positive"}, {"kinds", {"crash"}}});
  EXPECT_EQ(shown_verdict(v), "false-positive");
  EXPECT_EQ(verdict_with_expectation(v),
            "false-positive (expected clean, or only the known false positive crash)");
}

TEST(VerdictWords, AMayFindReadsAsAChanceSymptomEitherWay) {
  const json expected = {{"verdict", "may-find"}, {"kinds", {"lock-order-inversion"}}};
  EXPECT_EQ(verdict_with_expectation(verdict("clean", true, expected)),
            "clean (expected lock-order-inversion or nothing, a chance symptom)");
  EXPECT_EQ(verdict_with_expectation(verdict("false-positive", false, expected)),
            "false-positive (expected lock-order-inversion or nothing, a chance symptom)");
}

TEST(VerdictWords, OtherVerdictsReadAsResultsJsonNamesThem) {
  EXPECT_EQ(verdict_with_expectation(verdict("missed", false, {{"verdict", "detected"}})),
            "missed (expected detected)");
  EXPECT_EQ(verdict_with_expectation(verdict("clean", true, {{"verdict", "clean"}})),
            "clean (expected clean)");
  EXPECT_EQ(verdict_with_expectation(verdict("error", false, {{"verdict", "clean"}})),
            "error (expected clean)");
}

}  // namespace
}  // namespace casebook::reports
