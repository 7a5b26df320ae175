#include "programs/declarations.hpp"

#include <gtest/gtest.h>

namespace casebook {
namespace {

std::optional<KindVocabulary> vocabulary(const std::string& detector, std::string& why_not) {
  if (detector == "tsan" || detector == "tsan-gcc") return KindVocabulary{{"data-race"}, true};
  if (detector == "watchdog") return KindVocabulary{{"hang"}, false};
  if (detector == "model") why_not = "needs the case API";
  return std::nullopt;
}

ProgramDeclarations read(const std::string& text) {
  return read_program_declarations(text, "p.c", vocabulary);
}

TEST(ProgramDeclarations, ReadsExpectationsTimeoutAndFlagsFromAnyComment) {
  const auto d = read(
      "// casebook-expect: tsan, tsan-gcc finds data-race\n"
      "/* casebook-expect: watchdog skip -- waits for input by design */\n"
      " * casebook-timeout: 2.5\n"
      "// casebook-flags: -fopenmp -DN=4\n"
      "int main(void) { return 0; }\n");
  ASSERT_TRUE(d.problems.empty()) << d.problems.front().text();
  ASSERT_EQ(d.expectations.size(), 3u);
  EXPECT_EQ(d.expectations[0],
            (nlohmann::json{{"detector", "tsan"}, {"want", "finds"}, {"kinds", {"data-race"}}}));
  EXPECT_EQ(d.expectations[1].at("detector"), "tsan-gcc");
  EXPECT_EQ(d.expectations[2].at("want"), "skip");
  EXPECT_EQ(d.expectations[2].at("reason"), "waits for input by design");
  EXPECT_DOUBLE_EQ(d.timeout_seconds, 2.5);
  EXPECT_EQ(d.flags, (std::vector<std::string>{"-fopenmp", "-DN=4"}));
}

TEST(ProgramDeclarations, AMayFindAndAFalsePositiveShareADetector) {
  const auto d = read(
      "// casebook-expect: tsan may-find data-race -- shows only when the threads overlap\n"
      "// casebook-expect: tsan false-positive data-race -- the fence TSan cannot see\n");
  EXPECT_TRUE(d.problems.empty());
  EXPECT_EQ(d.expectations.size(), 2u);
}

TEST(ProgramDeclarations, EveryProblemIsAnErrorAtItsLine) {
  const auto d = read(
      "// casebook-expect: tsna finds data-race\n"
      "// casebook-expect: watchdog finds data-race\n"
      "// casebook-expect: tsan may-find data-race\n"
      "// casebook-expect: model finds deadlock\n"
      "// casebook-expect: tsan finds\n"
      "// casebook-expect: tsan sees data-race\n"
      "// casebook-expect: watchdog finds hang\n"
      "// casebook-expect: watchdog clean\n"
      "// casebook-timeout: soon\n");
  std::vector<std::string> texts;
  for (const auto& p : d.problems) {
    EXPECT_TRUE(p.error);
    texts.push_back(p.text());
  }
  ASSERT_EQ(texts.size(), 8u) << ::testing::PrintToString(texts);
  EXPECT_EQ(texts[0], "p.c:1: error: casebook-expect: unknown detector 'tsna'");
  EXPECT_EQ(texts[1],
            "p.c:2: error: casebook-expect: watchdog cannot report 'data-race'; it "
            "reports hang");
  EXPECT_EQ(texts[2],
            "p.c:3: error: casebook-expect: may-find needs a reason after `--` saying "
            "why");
  EXPECT_EQ(texts[3],
            "p.c:4: error: casebook-expect: model cannot run a standalone program: "
            "needs the case API");
  EXPECT_NE(texts[4].find("p.c:5: error: casebook-expect: finds needs the finding kinds"),
            std::string::npos);
  EXPECT_NE(texts[5].find("p.c:6: error: casebook-expect names no expectation"), std::string::npos);
  EXPECT_NE(texts[6].find("p.c:8: error: casebook-expect: watchdog is already declared at line 7"),
            std::string::npos);
  EXPECT_NE(texts[7].find("p.c:9: error: casebook-timeout: 'soon'"), std::string::npos);
}

}  // namespace
}  // namespace casebook
