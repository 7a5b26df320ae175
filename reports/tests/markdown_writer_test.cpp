// Tests of the Markdown summary on a real run's results: the golden file, and a failure
// listed with its repro command and, for the property and model detectors, its replay command.
#include "markdown/markdown_writer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

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

// A failed property or model verdict lists, besides its repro, the command that replays its
// exact failing input: here the fixed variant "fails" with the broken variant's evidence.
TEST(MarkdownWriter, FailuresListTheirPropertyAndModelReplayCommands) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  auto find = [&](const char* variant, const char* detector) -> json& {
    for (auto& v : results.at("verdicts")) {
      if (v.at("case") == "unlocked_counter" && v.at("variant") == variant &&
          v.at("detector") == detector)
        return v;
    }
    throw std::runtime_error(std::string("the sample has no unlocked_counter ") + variant + " " +
                             detector);
  };
  const json property = find("broken", "property").at("property");
  const json model_trials = find("broken", "model").at("trials");
  for (const char* detector : {"property", "model"}) {
    json& v = find("fixed", detector);
    v["verdict"] = "false-positive";
    v["passed"] = false;
  }
  find("fixed", "property")["property"] = property;
  find("fixed", "model")["trials"] = model_trials;
  find("fixed", "model")["deciding_trial"] = 0;

  const std::string md = markdown_from_results(results);
  const std::string replay = property.at("replay_command").get<std::string>();
  ASSERT_TRUE(replay.starts_with("RC_PARAMS=")) << replay;
  EXPECT_NE(md.find("  replay the counterexample:\n  ```sh\n  " + replay + "\n  ```\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("  replay the failing schedule:\n  ```sh\n  casebook replay unlocked_counter "
                    "broken --schedule "),
            std::string::npos)
      << md;
  // Passing verdicts list nothing, and a verdict without such a record gets no replay line.
  EXPECT_EQ(md.find("replay the", md.find("replay the failing schedule") + 1), std::string::npos)
      << md;
}

// Malformed records (wrong types, a deciding trial out of range) are skipped, not thrown on.
TEST(MarkdownWriter, MalformedReplayRecordsAreIgnored) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  for (auto& v : results.at("verdicts")) {
    if (v.at("case") != "unlocked_counter" || v.at("variant") != "fixed") continue;
    v["passed"] = false;
    if (v.at("detector") == "property") v["property"] = {{"replay_command", 42}};
    if (v.at("detector") == "model") v["deciding_trial"] = 7;
    if (v.at("detector") == "tsan") v["property"] = "not an object";
  }
  std::string md;
  ASSERT_NO_THROW(md = markdown_from_results(results));
  EXPECT_EQ(md.find("replay the"), std::string::npos) << md;
}

}  // namespace
}  // namespace casebook::reports
