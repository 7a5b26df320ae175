// Tests of the Markdown summary on a real run's results: the golden file, and a failure
// listed with its repro command and, for the property and model detectors, its replay command.
#include "markdown/markdown_writer.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "golden.hpp"
#include "scorecard/scorecard.hpp"

namespace casebook::reports {
namespace {

using nlohmann::json;
using testing::load_sample;

// The writer over a document as `casebook report` reads it.
std::string markdown_from_results(const json& doc) {
  return reports::markdown_from_results(results::read_results(doc));
}

TEST(MarkdownWriter, MatchesGoldenFile) {
  testing::expect_matches_golden(
      markdown_from_results(load_sample(REPORTS_TEST_DATA "/real_results.json")),
      REPORTS_TEST_GOLDEN "/real_results.md");
}

TEST(MarkdownWriter, ARunOverSeveralCorporaGetsAScorecardTablePerCorpus) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  for (auto& v : results.at("verdicts")) {
    if (v.at("case") == "unlocked_counter") v["file_base"] = "%PROGRAMS_MINE%";
  }
  results["source_bases"]["%PROGRAMS_MINE%"] = {{"path", "/corpora/mine"},
                                                {"description", "a --programs folder"}};
  results["scorecard"] = results::to_json(scorecard_of(results::read_results(results)));
  const std::string md = markdown_from_results(results);
  const auto whole = md.find("### Detector scorecard");
  const auto catalog = md.find("#### Corpus catalog");
  const auto mine = md.find("#### Corpus mine");
  ASSERT_NE(whole, std::string::npos) << md;
  ASSERT_NE(catalog, std::string::npos) << md;
  ASSERT_NE(mine, std::string::npos) << md;
  EXPECT_LT(whole, catalog);  // corpora in the order their first verdicts came
  EXPECT_LT(whole, mine);
  // The moved case's pair is the whole of its corpus.
  EXPECT_NE(md.find("| tsan | 1 of 1 |", mine), std::string::npos) << md.substr(mine);
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
// With --repeat, a section counts the trials and lists the pairs whose trials disagreed: a
// broken variant's finding missing from some, a clean expectation reported in any.
TEST(MarkdownWriter, RepeatedRunsListThePairsWhoseTrialsDisagreed) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  EXPECT_EQ(markdown_from_results(results).find("### Repeated trials"), std::string::npos)
      << "a run without --repeat has no such section";
  results["run"]["repeat"] = 20;
  int broken = 0, clean = 0;
  long trials = 0;
  for (auto& v : results.at("verdicts")) {
    if (v.at("verdict") == "skipped") continue;
    json& m = v["manifestation"];
    const bool expects_finding = v.at("expected").at("verdict") == "detected";
    m["trials"] = 20;
    m["hits"] = expects_finding ? 20 : 0;
    m["rate"] = expects_finding ? 1.0 : 0.0;
    trials += 20;
    (expects_finding ? broken : clean) += 1;
  }
  ASSERT_GT(broken, 1);
  std::string md = markdown_from_results(results);
  EXPECT_NE(md.find(fmt::format("{} trials over {} graded pairs (up to 20 a pair). The declared "
                                "finding appeared in every trial of {} of the {} pairs",
                                trials, broken + clean, broken, broken)),
            std::string::npos)
      << md;
  EXPECT_NE(md.find(fmt::format("{} pairs expected nothing: {} trials, none of which reported "
                                "anything.",
                                clean, 20L * clean)),
            std::string::npos)
      << md;

  // One broken pair at 19 of 20, one fixed pair reporting in one trial.
  for (auto& v : results.at("verdicts")) {
    if (v.at("case") == "unlocked_counter" && v.at("variant") == "broken" &&
        v.at("detector") == "tsan") {
      v["manifestation"].update(
          {{"hits", 19}, {"rate", 0.95}, {"ci_low", 0.764}, {"ci_high", 0.991}});
    }
    if (v.at("case") == "unlocked_counter" && v.at("variant") == "fixed" &&
        v.at("detector") == "tsan") {
      v["manifestation"].update({{"hits", 1}, {"rate", 0.05}});
    }
  }
  md = markdown_from_results(results);
  EXPECT_NE(md.find(fmt::format("every trial of {} of the {} pairs", broken - 1, broken)),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| unlocked_counter/broken | tsan | 19 of 20 (95%) | 76-99% |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("- unlocked_counter/fixed `tsan`: 1 of 20 trials reported something"),
            std::string::npos)
      << md;
}

// A may-find pair passes either way: its matrix cell carries its rate, and a --repeat run
// lists it apart from both the pairs that expect a finding and those that expect nothing.
TEST(MarkdownWriter, AMayFindPairShowsItsRateAndIsListedApart) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  json* chance = nullptr;
  for (auto& v : results.at("verdicts")) {
    if (v.at("case") == "unlocked_counter" && v.at("variant") == "broken" &&
        v.at("detector") == "tsan") {
      chance = &v;
    }
  }
  ASSERT_NE(chance, nullptr);
  (*chance)["expected"] = {{"verdict", "may-find"}, {"declared", true}, {"kinds", {"data-race"}}};
  (*chance)["verdict"] = "clean";
  (*chance)["manifestation"] = {{"trials", 20},
                                {"hits", 0},
                                {"rate", 0.0},
                                {"ci_low", 0.0},
                                {"ci_high", 0.161},
                                {"first_hit_trial", 0},
                                {"seconds_to_first_hit", 0.0}};
  std::string md = markdown_from_results(results);
  EXPECT_NE(md.find("may find 0/20"), std::string::npos) << md;
  EXPECT_NE(md.find("may find k/n: a finding the variant declares as a chance symptom"),
            std::string::npos);

  results["run"]["repeat"] = 20;
  results["run"]["trials_alone"] = true;
  md = markdown_from_results(results);
  EXPECT_NE(md.find("1 pairs declare a finding that shows by chance (may find), seen in:"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| unlocked_counter/broken | tsan | 0 of 20 (0%) | 0-16% |"), std::string::npos)
      << md;
  EXPECT_EQ(md.find("- unlocked_counter/broken `tsan`"), std::string::npos)
      << "a may-find pair is not an expected-clean pair that reported something";
  EXPECT_NE(md.find("Pairs ran one at a time, so each rate is the variant's own."),
            std::string::npos)
      << md;
  results["run"]["trials_alone"] = false;
  results["run"]["jobs"] = 2;
  EXPECT_NE(markdown_from_results(results).find("Pairs ran 2 at a time (--share-machine)"),
            std::string::npos);
}

TEST(MarkdownWriter, HeaderNamesTheBuildCommitOnlyWhenItAddsSomething) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  json& env = results.at("environment");
  const std::string checked_out = env.at("git_commit");
  const std::string other(40, '1');

  env["build_commit"] = other;
  env["build_dirty"] = false;
  EXPECT_NE(markdown_from_results(results).find(
                fmt::format("commit `{}` (binaries built from `{}`)", checked_out, other)),
            std::string::npos);

  env["build_dirty"] = true;
  EXPECT_NE(markdown_from_results(results).find(
                fmt::format("(binaries built from `{}` with uncommitted changes)", other)),
            std::string::npos);

  env["build_commit"] = checked_out;
  EXPECT_NE(markdown_from_results(results).find(
                fmt::format("commit `{}` (binaries built with uncommitted changes)", checked_out)),
            std::string::npos);

  env["build_dirty"] = false;  // the same commit, clean: nothing to add
  EXPECT_EQ(markdown_from_results(results).find("binaries built"), std::string::npos);
  env.erase("build_commit");  // results from before the field existed
  EXPECT_EQ(markdown_from_results(results).find("binaries built"), std::string::npos);
}

// A deciding trial out of range names no replay; a property's replay command that is not a
// string is not a results file's, and the reader refuses it by its path (as every writer).
TEST(MarkdownWriter, MalformedReplayRecordsAreIgnoredOrRefusedByPath) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  for (auto& v : results.at("verdicts")) {
    if (v.at("case") != "unlocked_counter" || v.at("variant") != "fixed") continue;
    v["passed"] = false;
    if (v.at("detector") == "model") v["deciding_trial"] = 7;
  }
  std::string md;
  ASSERT_NO_THROW(md = markdown_from_results(results));
  EXPECT_EQ(md.find("replay the"), std::string::npos) << md;

  for (auto& v : results.at("verdicts")) {
    if (v.at("case") != "unlocked_counter" || v.at("variant") != "fixed") continue;
    if (v.at("detector") == "property") v["property"]["replay_command"] = 42;
  }
  try {
    md = markdown_from_results(results);
    ADD_FAILURE() << "a replay command of 42 was read";
  } catch (const FieldError& e) {
    EXPECT_NE(std::string(e.what()).find(".property.replay_command: expected a string, found 42"),
              std::string::npos)
        << e.what();
  }
}

// Valgrind verdicts whose trials had reports suppressed (results.json trials[].suppressed): one
// line per suppression, counts summed over trials and pairs, most frequent first, naming the
// pairs; nothing where no trial suppressed anything (the golden file above has no section).
TEST(MarkdownWriter, SuppressedReportsGetOneLinePerSuppression) {
  json results = load_sample(REPORTS_TEST_DATA "/real_results.json");
  EXPECT_EQ(markdown_from_results(results).find("Suppressed reports"), std::string::npos);
  json helgrind;
  for (const auto& v : results.at("verdicts")) {
    if (v.at("case") == "unlocked_counter" && v.at("variant") == "fixed" &&
        v.at("detector") == "invariant") {
      helgrind = v;
    }
  }
  ASSERT_TRUE(helgrind.is_object());
  helgrind["detector"] = "helgrind";
  json trial = helgrind.at("trials").at(0);
  trial["suppressed"] = {{{"name", "helgrind-libgcc-unwind-raise-inner"}, {"count", 6}},
                         {{"name", "helgrind-glibc2X-005"}, {"count", 1}}};
  json second = trial;
  second["suppressed"] = {{{"name", "helgrind-libgcc-unwind-raise-inner"}, {"count", 3}},
                          {{"name", "helgrind-libgcc-unwind-resume-inner"}, {"count", 3}}};
  helgrind["trials"] = {trial, second};
  json broken = helgrind;
  broken["variant"] = "broken";
  broken["trials"] = json::array({trial});
  results.at("verdicts").push_back(helgrind);
  results.at("verdicts").push_back(broken);
  const std::string md = markdown_from_results(results);
  const auto section = md.find("### Suppressed reports");
  ASSERT_NE(section, std::string::npos) << md;
  EXPECT_GT(section, md.find("### Detection matrix"));
  EXPECT_NE(md.find("- `helgrind-libgcc-unwind-raise-inner`: 15x in 2 pairs: "
                    "unlocked_counter/fixed `helgrind`, unlocked_counter/broken `helgrind`\n"
                    "- `helgrind-libgcc-unwind-resume-inner`: 3x in 1 pair: "
                    "unlocked_counter/fixed `helgrind`\n"
                    "- `helgrind-glibc2X-005`: 2x in 2 pairs: "),
            std::string::npos)
      << md.substr(section);
}

}  // namespace
}  // namespace casebook::reports
