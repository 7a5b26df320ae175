// Tests of the Markdown summary on a real run's results: the golden file, and a failure
// listed with its repro command.
#include "markdown/markdown_writer.hpp"

#include <gtest/gtest.h>

#include "golden.hpp"

namespace casebook::reports {
namespace {

using nlohmann::json;
using testing::load_sample;

TEST(MarkdownWriter, MatchesGoldenFile) {
  testing::expect_matches_golden(
      markdown_from_results(load_sample(REPORTS_TEST_DATA "/real_results.json")),
      REPORTS_TEST_GOLDEN "/real_results.md");
}

TEST(MarkdownWriter, FailuresComeFirstWithTheirReproAndPipesAreEscaped) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  for (auto& v : results.at("verdicts")) {
    if (v.at("case") == "unlocked_counter" && v.at("variant") == "fixed" &&
        v.at("detector") == "tsan") {
      v["verdict"] = "false-positive";
      v["passed"] = false;
      v["reason"] = "a | b\nsecond line";
    }
  }
  const std::string md = markdown_from_results(results);
  const auto failures = md.find("### Failed expectations");
  ASSERT_NE(failures, std::string::npos) << md;
  EXPECT_LT(failures, md.find("### Detection matrix"));
  EXPECT_NE(md.find("a \\| b second line"), std::string::npos) << md;
  EXPECT_NE(md.find("--filter unlocked_counter/fixed --detectors tsan"), std::string::npos) << md;
  EXPECT_NE(md.find("| unlocked_counter | race | detected · **❌ false-positive** |"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace casebook::reports
