// Tests of the detector scorecard (reports/scorecard/scorecard.hpp): the counting rules on
// verdicts built for each rule, and the scorecard of a real run's results.
#include "scorecard/scorecard.hpp"

#include <gtest/gtest.h>

#include "golden.hpp"

namespace casebook::reports {
namespace {

using nlohmann::json;

json trial(bool finding, long peak_kib = 0, double seconds = 1.0) {
  json findings = json::array();
  if (finding) findings.push_back({{"kind", "data-race"}});
  return {{"findings", findings}, {"peak_rss_kib", peak_kib}, {"duration_seconds", seconds}};
}

json verdict(const std::string& case_name, const std::string& variant, const std::string& detector,
             const std::string& verdict_name, std::vector<json> trials, bool passed = true) {
  return {{"case", case_name},       {"variant", variant},   {"detector", detector},
          {"verdict", verdict_name}, {"passed", passed},     {"category", "race"},
          {"trials", trials},        {"line_level", nullptr}};
}

json line_level(bool located, bool hit) {
  return {{"marked_lines", {12}}, {"located", located}, {"hit", hit}, {"at", ""}};
}

// The verdicts above carry only what the scorecard reads; the rest of what the schema
// requires is filled in here, and the document read as `casebook report` reads it.
results::Results document_of(const json& doc) {
  results::Results r;
  const json& verdicts = doc.at("verdicts");
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    json v = verdicts[i];
    v.emplace("reason", "");
    v.emplace("expected", json{{"verdict", v.at("variant") == "fixed" ? "clean" : "detected"},
                               {"declared", true}});
    int index = 0;
    for (json& t : v.at("trials")) {
      const json required = {{"index", index++},  {"seed", 1},         {"status", "exit 0"},
                             {"exit_code", 0},    {"signal", nullptr}, {"timed_out", false},
                             {"outcome", nullptr}};
      for (const auto& [key, value] : required.items()) t.emplace(key, value);
      for (json& f : t.at("findings")) {
        f.emplace("tool", "tsan");
        f.emplace("summary", "");
        f.emplace("stacks", json::array());
      }
    }
    r.verdicts.push_back(results::verdict_from_json(v, "verdicts[" + std::to_string(i) + "]"));
  }
  if (doc.contains("source_bases")) {
    r.source_bases.emplace();
    for (const auto& [id, base] : doc.at("source_bases").items()) {
      (*r.source_bases)[id] = {base.at("path"), base.value("description", "")};
    }
  }
  return r;
}

json scorecard_of(const json& doc) {
  return results::to_json(reports::scorecard_of(document_of(doc)));
}

const json& row_of(const json& card, const std::string& detector) {
  for (const auto& row : card.at("detectors")) {
    if (row.at("detector") == detector) return row;
  }
  static const json none;
  ADD_FAILURE() << "no row for " << detector;
  return none;
}

TEST(Scorecard, AStandaloneProgramCountsAsItsLabelSaysAndItsUnionAsItsVerdict) {
  json verdicts = json::array();
  // A program named like anything, labelled positive, flagged by TSan; a negative program
  // TSan stays quiet on; their union verdicts, which run no trials of their own.
  verdicts.push_back(verdict("R1-yes", "program", "tsan", "detected", {trial(true)}));
  verdicts.back()["positive"] = true;
  verdicts.push_back(verdict("R2-no", "program", "tsan", "clean", {trial(false)}));
  verdicts.back()["positive"] = false;
  verdicts.push_back(verdict("R1-yes", "program", "union", "detected", {}));
  verdicts.back()["positive"] = true;
  verdicts.push_back(verdict("R2-no", "program", "union", "false-positive", {}, false));
  verdicts.back()["positive"] = false;
  const json card = scorecard_of({{"verdicts", verdicts}});
  const json& tsan = row_of(card, "tsan").at("file_level");
  EXPECT_EQ(tsan.at("tp"), 1);
  EXPECT_EQ(tsan.at("tn"), 1);
  const json& u = row_of(card, "union").at("file_level");
  EXPECT_EQ(u.at("tp"), 1);
  EXPECT_EQ(u.at("fp"), 1);
}

TEST(Scorecard, ARunOverSeveralCorporaAlsoScoresEachCorpusAlone) {
  json verdicts = json::array();
  // The catalog's pair (no file_base), found; a --programs corpus with a positive TSan missed
  // and a negative it flagged.
  verdicts.push_back(verdict("counter", "broken", "tsan", "detected", {trial(true)}));
  verdicts.push_back(verdict("counter", "fixed", "tsan", "clean", {trial(false)}));
  verdicts.push_back(verdict("P1-yes", "program", "tsan", "missed", {trial(false)}, false));
  verdicts.back()["positive"] = true;
  verdicts.push_back(verdict("P2-no", "program", "tsan", "false-positive", {trial(true)}, false));
  verdicts.back()["positive"] = false;
  for (std::size_t i = 2; i < 4; ++i) verdicts[i]["file_base"] = "%PROGRAMS_MINE%";
  const json doc = {
      {"verdicts", verdicts},
      {"source_bases", {{"%PROGRAMS_MINE%", {{"path", "/corpora/mine/"}, {"description", "x"}}}}}};
  const json card = scorecard_of(doc);
  EXPECT_EQ(row_of(card, "tsan").at("file_level").at("tp"), 1);
  EXPECT_EQ(row_of(card, "tsan").at("file_level").at("fn"), 1);
  ASSERT_TRUE(card.contains("corpora"));
  ASSERT_EQ(card.at("corpora").size(), 2u);
  const json& catalog = card.at("corpora").at(0);
  EXPECT_EQ(catalog.at("corpus"), "catalog");
  EXPECT_TRUE(catalog.at("source_base").is_null());
  EXPECT_EQ(catalog.at("pairs"), 1);
  EXPECT_EQ(row_of(catalog, "tsan").at("file_level").at("precision"), 1.0);
  const json& mine = card.at("corpora").at(1);
  EXPECT_EQ(mine.at("corpus"), "mine");
  EXPECT_EQ(mine.at("source_base"), "%PROGRAMS_MINE%");
  const json& score = row_of(mine, "tsan").at("file_level");
  EXPECT_EQ(score.at("tp"), 0);
  EXPECT_EQ(score.at("fn"), 1);
  EXPECT_EQ(score.at("fp"), 1);
  EXPECT_EQ(score.at("tn"), 0);
}

TEST(Scorecard, ASingleCorpusGetsNoPerCorpusTables) {
  json verdicts = json::array();
  verdicts.push_back(verdict("counter", "broken", "tsan", "detected", {trial(true)}));
  verdicts.push_back(verdict("counter", "fixed", "tsan", "clean", {trial(false)}));
  EXPECT_FALSE(scorecard_of({{"verdicts", verdicts}}).contains("corpora"));
}

TEST(Scorecard, RacePairLevelCountsAPositiveFoundOnlyWhenBothAccessesLandedOnThePair) {
  json verdicts = json::array();
  verdicts.push_back(verdict("both", "broken", "tsan", "detected", {trial(true)}));
  verdicts.back()["line_level"] = line_level(true, true);
  verdicts.back()["line_level"]["race_pair"] = {{"both", true}, {"one", false}, {"at", {20, 20}}};
  verdicts.push_back(verdict("one", "broken", "tsan", "detected", {trial(true)}));
  verdicts.back()["line_level"] = line_level(true, true);
  verdicts.back()["line_level"]["race_pair"] = {{"both", false}, {"one", true}, {"at", {19, 21}}};
  verdicts.push_back(verdict("one", "fixed", "tsan", "clean", {trial(false)}));
  const json card = scorecard_of({{"verdicts", verdicts}});
  const json& pair = row_of(card, "tsan").at("pair_level");
  EXPECT_EQ(pair.at("tp"), 1);
  EXPECT_EQ(pair.at("fn"), 1);
  EXPECT_EQ(pair.at("tn"), 1);
  EXPECT_EQ(row_of(card, "tsan").at("line_level").at("tp"), 2);
  // A detector whose reports never name two accesses in the case's code has no pair level.
  json asan = json::array();
  asan.push_back(verdict("x", "broken", "asan", "detected", {trial(true)}));
  asan.back()["line_level"] = line_level(true, true);
  asan.back()["line_level"]["race_pair"] = {{"both", false}, {"one", false}, {"at", json::array()}};
  EXPECT_TRUE(row_of(scorecard_of({{"verdicts", asan}}), "asan").at("pair_level").is_null());
}

TEST(Scorecard, CountsFlaggedVariantsAgainstTheBrokenFixedTruth) {
  json verdicts = json::array();
  // a: found and pointed at the marked line; b: found elsewhere; c: missed; d: skipped.
  verdicts.push_back(verdict("a", "broken", "tsan", "detected", {trial(false), trial(true)}));
  verdicts.back()["line_level"] = line_level(true, true);
  verdicts.push_back(verdict("b", "broken", "tsan", "detected", {trial(true)}));
  verdicts.back()["line_level"] = line_level(true, false);
  verdicts.push_back(verdict("c", "broken", "tsan", "clean", {trial(false)}));
  verdicts.back()["line_level"] = line_level(false, false);
  verdicts.push_back(verdict("d", "broken", "tsan", "skipped", {}));
  // Fixed: a clean, b a known (declared, passing) false positive, c an error.
  verdicts.push_back(verdict("a", "fixed", "tsan", "clean", {trial(false)}));
  verdicts.push_back(verdict("b", "fixed", "tsan", "false-positive", {trial(true)}, true));
  verdicts.push_back(verdict("c", "fixed", "tsan", "error", {trial(false)}, false));
  const json card = scorecard_of({{"verdicts", verdicts}});

  EXPECT_EQ(card.at("pairs"), 4);
  const json& tsan = row_of(card, "tsan");
  EXPECT_EQ(tsan.at("pairs_applicable"), 3);
  EXPECT_DOUBLE_EQ(tsan.at("support").get<double>(), 0.75);
  const json& file = tsan.at("file_level");
  EXPECT_EQ(file.at("tp"), 2);
  EXPECT_EQ(file.at("fn"), 1);
  EXPECT_EQ(file.at("fp"), 1);
  EXPECT_EQ(file.at("tn"), 1);
  EXPECT_DOUBLE_EQ(file.at("precision").get<double>(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(file.at("recall").get<double>(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(file.at("specificity").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(file.at("f1").get<double>(), 2.0 / 3);
  // Line level: b's finding was off its marked line, so only a counts.
  const json& line = tsan.at("line_level");
  EXPECT_EQ(line.at("tp"), 1);
  EXPECT_EQ(line.at("fn"), 2);
  EXPECT_EQ(line.at("fp"), 1);
  EXPECT_EQ(line.at("tn"), 1);
  EXPECT_EQ(tsan.at("errors"), 1);
  EXPECT_EQ(tsan.at("known_false_positives"), 1);
}

TEST(Scorecard, AMayFindThatWasNotSeenIsStillAMiss) {
  json verdicts = json::array();
  verdicts.push_back(verdict("a", "broken", "helgrind", "detected", {trial(false), trial(true)}));
  verdicts.back()["expected"] = {{"verdict", "may-find"}, {"declared", true}};
  verdicts.push_back(verdict("b", "broken", "helgrind", "clean", {trial(false)}));
  verdicts.back()["expected"] = {{"verdict", "may-find"}, {"declared", true}};
  verdicts.push_back(verdict("c", "broken", "helgrind", "detected", {trial(true)}));
  verdicts.back()["expected"] = {{"verdict", "detected"}, {"declared", true}};
  const json card = scorecard_of({{"verdicts", verdicts}});
  const json& row = row_of(card, "helgrind");
  EXPECT_EQ(row.at("may_find_pairs"), 2);
  EXPECT_EQ(row.at("may_find_seen"), 1);
  EXPECT_EQ(row.at("file_level").at("tp"), 2);
  EXPECT_EQ(row.at("file_level").at("fn"), 1);  // b passed, but the tool did not see its bug
}

TEST(Scorecard, LineLevelIsNullForADetectorThatNeverLocatesAndRatiosOfNothingAreNull) {
  json verdicts = json::array();
  verdicts.push_back(verdict("a", "broken", "invariant", "detected", {trial(true)}));
  verdicts.back()["line_level"] = line_level(false, false);
  verdicts.push_back(verdict("a", "fixed", "invariant", "clean", {trial(false)}));
  const json card = scorecard_of({{"verdicts", verdicts}});
  const json& row = row_of(card, "invariant");
  EXPECT_TRUE(row.at("line_level").is_null());
  EXPECT_EQ(row.at("file_level").at("tp"), 1);
  EXPECT_DOUBLE_EQ(row.at("file_level").at("precision").get<double>(), 1.0);

  const json nothing_found = scorecard_of(
      {{"verdicts", json::array({verdict("a", "fixed", "asan", "clean", {trial(false)})})}});
  const json& asan = row_of(nothing_found, "asan");
  EXPECT_TRUE(asan.at("file_level").at("precision").is_null());  // 0 / 0
  EXPECT_TRUE(asan.at("file_level").at("recall").is_null());
  EXPECT_DOUBLE_EQ(asan.at("file_level").at("specificity").get<double>(), 1.0);
}

TEST(Scorecard, MedianTimeAndMemoryAgainstThePlainRunOfTheSameVariant) {
  json verdicts = json::array();
  verdicts.push_back(verdict("a", "broken", "invariant", "detected", {trial(true, 1000, 1.0)}));
  verdicts.push_back(verdict("b", "broken", "invariant", "detected", {trial(true, 2000, 3.0)}));
  verdicts.push_back(verdict("a", "broken", "tsan", "detected",
                             {trial(false, 4000, 2.0), trial(true, 6000, 4.0)}));
  verdicts.push_back(verdict("b", "broken", "tsan", "detected", {trial(true, 20000, 9.0)}));
  const json card = scorecard_of({{"verdicts", verdicts}});
  const json& tsan = row_of(card, "tsan");
  EXPECT_DOUBLE_EQ(tsan.at("median_trial_seconds").get<double>(), 4.0);  // of 2, 4, 9
  // a: 6000 / 1000 = 6 (the peak over its trials), b: 20000 / 2000 = 10; median 8.
  EXPECT_DOUBLE_EQ(tsan.at("peak_memory_vs_plain").get<double>(), 8.0);
  EXPECT_DOUBLE_EQ(row_of(card, "invariant").at("peak_memory_vs_plain").get<double>(), 1.0);
}

TEST(Scorecard, ARealRunScoresEveryDetectorItRan) {
  const json results = testing::load_sample(REPORTS_TEST_DATA "/real_results.json");
  const json card = scorecard_of(results);
  std::set<std::string> ran;
  for (const auto& v : results.at("verdicts")) {
    if (v.at("verdict") != "skipped") ran.insert(v.at("detector").get<std::string>());
  }
  std::set<std::string> scored;
  for (const auto& row : card.at("detectors")) {
    const json& f = row.at("file_level");
    const int variants = f.at("tp").get<int>() + f.at("fp").get<int>() + f.at("tn").get<int>() +
                         f.at("fn").get<int>();
    if (variants > 0) scored.insert(row.at("detector").get<std::string>());
  }
  EXPECT_EQ(scored, ran);
  // The sample's race is found by TSan in the broken counter and not in the fixed one.
  const json& tsan = row_of(card, "tsan").at("file_level");
  EXPECT_GE(tsan.at("tp").get<int>(), 1);
  EXPECT_GE(tsan.at("tn").get<int>(), 1);
}

}  // namespace
}  // namespace casebook::reports
