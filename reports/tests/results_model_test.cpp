// Unit tests of the results model (results/results_model.hpp): the real results files the
// report tests keep read, and what is read writes out and reads back unchanged; a file of an
// older build reads with the defaults of the fields added since; every refusal names the field.
#include "results/results_model.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "golden.hpp"
#include "results/manifestation.hpp"

namespace casebook::results {
namespace {

using nlohmann::json;

// The first place where `file` has something `written` lacks or holds otherwise ("" when
// none): objects may gain fields (the defaults of fields an older file lacks), nothing else.
std::string first_loss(const json& written, const json& file, const std::string& at) {
  if (file.is_object()) {
    if (!written.is_object()) return at;
    for (const auto& [key, value] : file.items()) {
      if (!written.contains(key)) return at + "." + key;
      const std::string loss = first_loss(written.at(key), value, at + "." + key);
      if (!loss.empty()) return loss;
    }
    return "";
  }
  if (file.is_array()) {
    if (!written.is_array() || written.size() != file.size()) return at;
    for (std::size_t i = 0; i < file.size(); ++i) {
      const std::string loss = first_loss(written[i], file[i], at + "[" + std::to_string(i) + "]");
      if (!loss.empty()) return loss;
    }
    return "";
  }
  return written == file ? "" : at;
}

std::string error_of(const json& doc) {
  try {
    read_results(doc);
  } catch (const FieldError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultsModel, RealFilesReadAndWriteBackUnchanged) {
  for (const char* name : {"/real_results.json", "/extra_case_results.json"}) {
    SCOPED_TRACE(name);
    const json file = reports::testing::load_sample(std::string(REPORTS_TEST_DATA) + name);
    const Results read = read_results(file);
    EXPECT_FALSE(read.verdicts.empty());
    const json written = to_json(read);
    EXPECT_EQ(read_results(written), read);
    EXPECT_EQ(to_json(read_results(written)), written);
    // Every field the file has comes back with its value: the model drops nothing it reads.
    EXPECT_EQ(first_loss(written, file, "results"), "");
  }
}

// sample_results.json comes from an early build: no category, manifestation, line level,
// peak memory or noise level. It reads, with the defaults.
TEST(ResultsModel, AnOlderFileReadsWithTheDefaultsOfLaterFields) {
  const Results read =
      read_results(reports::testing::load_sample(REPORTS_TEST_DATA "/sample_results.json"));
  ASSERT_FALSE(read.verdicts.empty());
  EXPECT_EQ(read.verdicts[0].category, "");
  EXPECT_FALSE(read.verdicts[0].manifestation.has_value());
  EXPECT_FALSE(read.verdicts[0].line_level.has_value());
  EXPECT_EQ(read.run.deflake_max, 100);
  EXPECT_EQ(read.run.shard_count, 1);
}

TEST(ResultsModel, EveryRefusalNamesTheField) {
  const json good = reports::testing::load_sample(REPORTS_TEST_DATA "/real_results.json");
  ASSERT_EQ(error_of(good), "");
  json doc = good;
  doc["verdicts"][2]["trials"][0]["seed"] = -7;
  EXPECT_EQ(error_of(doc), "verdicts[2].trials[0].seed: expected an unsigned integer, found -7");
  doc = good;
  doc["environment"]["compiler"]["version"] = 14;
  EXPECT_EQ(error_of(doc), "environment.compiler.version: expected a string, found 14");
  doc = good;
  doc["environment"]["configurations"]["tsan"] = json::array();
  EXPECT_EQ(error_of(doc), "environment.configurations.tsan: expected a string, found []");
  doc = good;
  doc["run"].erase("jobs");
  EXPECT_EQ(error_of(doc), "run.jobs: missing");
  doc = good;
  doc["verdicts"][0]["expected"]["verdict"] = "finds";
  EXPECT_EQ(error_of(doc),
            "verdicts[0].expected.verdict: \"finds\" is not one of detected, clean, skipped, "
            "false-positive, may-find");
  doc = good;
  doc["verdicts"][1]["line_level"] = "yes";
  EXPECT_EQ(error_of(doc), "verdicts[1].line_level: expected an object or null, found \"yes\"");
  doc = good;
  ASSERT_TRUE(doc.contains("scorecard"));
  doc["scorecard"]["detectors"][0]["file_level"]["tp"] = "3";
  EXPECT_EQ(error_of(doc),
            "scorecard.detectors[0].file_level.tp: expected an integer, found \"3\"");
  doc = good;
  doc["scorecard"]["detectors"][1].erase("support");
  EXPECT_EQ(error_of(doc), "scorecard.detectors[1].support: missing");
  doc = good;
  const json rate = {{"trials", 20},   {"hits", 3},       {"rate", 0.15},
                     {"ci_low", 0.05}, {"ci_high", 0.36}, {"first_hit_trial", 4}};
  doc["noise"] = {{"level", 3},
                  {"comparison",
                   {{{"case", "lost_wakeup"},
                     {"variant", "broken"},
                     {"expects_finding", true},
                     {"without_noise", rate},
                     {"with_noise", rate}}}}};
  ASSERT_EQ(error_of(doc), "");
  EXPECT_EQ(to_json(read_results(doc)).at("noise"), doc.at("noise"));
  doc["noise"]["comparison"][0]["with_noise"]["hits"] = "2";
  EXPECT_EQ(error_of(doc), "noise.comparison[0].with_noise.hits: expected an integer, found \"2\"");
  doc = good;
  ASSERT_TRUE(doc["cases"].contains("unlocked_counter"));
  doc["cases"]["unlocked_counter"]["files"]["README.md"] = 7;
  EXPECT_EQ(error_of(doc), "cases.unlocked_counter.files.README.md: expected a string, found 7");
  doc = good;
  doc["cases"]["unlocked_counter"].erase("folder");
  EXPECT_EQ(error_of(doc), "cases.unlocked_counter.folder: missing");
  doc = good;
  doc["source_bases"] = {{"%EXTRA_CASES_MINE%", {{"description", "mine"}}}};
  EXPECT_EQ(error_of(doc), "source_bases.%EXTRA_CASES_MINE%.path: missing");
  doc["source_bases"] = {{"%EXTRA_CASES_MINE%", {{"path", "/home/me/cases"}}}};
  ASSERT_EQ(error_of(doc), "");
  EXPECT_EQ(to_json(read_results(doc)).at("source_bases"), doc.at("source_bases"));
  doc = good;
  doc["tool"]["name"] = "jcstress";
  EXPECT_EQ(error_of(doc).rfind("tool.name: \"jcstress\": not a casebook results file", 0), 0u);
  EXPECT_EQ(error_of(json::array()), "the document: expected an object, found []");
  doc = good;
  doc["schema_version"] = 2;
  EXPECT_EQ(error_of(doc).rfind("schema_version: 2, newer than this casebook reads (1)", 0), 0u)
      << error_of(doc);
}

// A labelled program's race pairs are pairs of line numbers, typed; null for a case.
TEST(ResultsModel, LabelledRacePairsReadAsPairsOfLinesAndRefuseAnythingElse) {
  json doc = reports::testing::load_sample(REPORTS_TEST_DATA "/real_results.json");
  json& line_level = doc["verdicts"][1]["line_level"];
  ASSERT_TRUE(line_level.is_object());
  line_level["race_pair"] = {
      {"both", true}, {"one", false}, {"at", {20, 22}}, {"labelled", {{20, 22}, {31, 31}}}};
  const Results read = read_results(doc);
  ASSERT_TRUE(read.verdicts[1].line_level->race_pair.has_value());
  EXPECT_EQ(read.verdicts[1].line_level->race_pair->labelled,
            (std::vector<std::pair<int, int>>{{20, 22}, {31, 31}}));
  EXPECT_EQ(to_json(read).at("verdicts")[1].at("line_level").at("race_pair"),
            line_level["race_pair"]);

  line_level["race_pair"]["labelled"] = nullptr;
  EXPECT_FALSE(read_results(doc).verdicts[1].line_level->race_pair->labelled.has_value());
  EXPECT_EQ(to_json(read_results(doc)).at("verdicts")[1].at("line_level").at("race_pair"),
            line_level["race_pair"]);

  line_level["race_pair"]["labelled"] = {{20, 22}, {31}};
  EXPECT_EQ(error_of(doc),
            "verdicts[1].line_level.race_pair.labelled[1]: expected a pair of line numbers "
            "[first, second], found [31]");
  line_level["race_pair"]["labelled"] = {{20, "22"}};
  EXPECT_EQ(error_of(doc),
            "verdicts[1].line_level.race_pair.labelled[0]: expected a pair of line numbers "
            "[first, second], found [20,\"22\"]");
  line_level["race_pair"]["labelled"] = "20-22";
  EXPECT_EQ(error_of(doc),
            "verdicts[1].line_level.race_pair.labelled: expected an array, found \"20-22\"");
}

// The summary rule, once: skips count as skipped whatever they say, failures caused by the
// machine also as infrastructure errors.
TEST(ResultsModel, TheSummaryCountsSkipsPassesFailuresAndInfrastructureApart) {
  std::vector<Verdict> verdicts(5);
  verdicts[0].verdict = "detected";
  verdicts[0].passed = true;
  verdicts[1].verdict = "skipped";
  verdicts[1].passed = false;
  verdicts[2].verdict = "missed";
  verdicts[3].verdict = "error";
  verdicts[3].infrastructure = true;
  verdicts[4].verdict = "clean";
  verdicts[4].passed = true;
  const Summary s = summarize(verdicts);
  EXPECT_EQ(s, (Summary{2, 2, 1, 5, 1}));
  EXPECT_EQ(summary_line(s), "2 passed, 2 failed, 1 skipped");
}

// Whatever verdict the model holds, its JSON reads back as the same verdict.
Trial trial_with(std::vector<std::string> kinds, double seconds) {
  Trial t;
  t.duration_seconds = seconds;
  for (std::string& kind : kinds) {
    Finding f;
    f.kind = std::move(kind);
    t.findings.push_back(std::move(f));
  }
  return t;
}

TEST(ResultsModel, AFileWithoutManifestationsIsMeasuredByTheHarnessesRule) {
  Verdict v;
  v.verdict = "detected";
  v.expected.verdict = "detected";
  v.expected.kinds = {"data-race"};
  v.trials = {trial_with({"thread-leak"}, 1), trial_with({"data-race"}, 2), trial_with({}, 4)};
  const std::optional<Manifestation> m = manifestation_of(v);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->trials, 3);
  EXPECT_EQ(m->hits, 1);  // the thread leak is not what the pair is about
  EXPECT_EQ(m->first_hit_trial, 2);
  EXPECT_DOUBLE_EQ(m->seconds_to_first_hit, 3);
  EXPECT_EQ(std::make_pair(m->ci_low, m->ci_high), wilson_interval(1, 3));
  // A pair expected clean counts any finding: its false-positive rate.
  v.expected.verdict = "clean";
  EXPECT_EQ(manifestation_of(v)->hits, 2);
  // What the file holds wins: it was measured when the trials were whole.
  v.manifestation = Manifestation{10, 7, 0.7, 0.4, 0.9, 1, 0.5};
  EXPECT_EQ(manifestation_of(v), v.manifestation);
  Verdict skipped;
  skipped.verdict = "skipped";
  EXPECT_FALSE(manifestation_of(skipped).has_value());
}

RC_GTEST_PROP(ResultsModel, AVerdictWritesAndReadsBackTheSame, ()) {
  Verdict v;
  v.case_name = *rc::gen::arbitrary<std::string>();
  v.variant = *rc::gen::element<std::string>("broken", "fixed", "program");
  v.detector = *rc::gen::arbitrary<std::string>();
  v.verdict = *rc::gen::element<std::string>("detected", "missed", "clean", "false-positive",
                                             "error", "skipped");
  v.passed = *rc::gen::arbitrary<bool>();
  v.expected.verdict =
      *rc::gen::element<std::string>("detected", "clean", "skipped", "false-positive", "may-find");
  v.expected.declared = *rc::gen::arbitrary<bool>();
  v.expected.kinds = *rc::gen::arbitrary<std::vector<std::string>>();
  v.reason = *rc::gen::arbitrary<std::string>();
  v.deciding_trial = *rc::gen::inRange(-1, 5);
  v.duration_seconds = *rc::gen::inRange(0, 1000) / 8.0;
  const int trials = *rc::gen::inRange(0, 3);
  for (int i = 0; i < trials; ++i) {
    Trial t;
    t.index = i;
    t.seed = *rc::gen::arbitrary<std::uint64_t>();
    t.status = *rc::gen::arbitrary<std::string>();
    if (*rc::gen::arbitrary<bool>()) t.exit_code = *rc::gen::arbitrary<int>();
    if (*rc::gen::arbitrary<bool>()) t.signal = *rc::gen::inRange(1, 64);
    t.timed_out = *rc::gen::arbitrary<bool>();
    Finding f;
    f.tool = "tsan";
    f.kind = *rc::gen::arbitrary<std::string>();
    f.summary = *rc::gen::arbitrary<std::string>();
    f.stacks.push_back(
        {"Write of size 4", "T1", {{0, "main", "cases/x/broken.cpp", 7, 3, "", ""}}});
    t.findings.push_back(f);
    t.suppressed =
        *rc::gen::container<std::vector<SuppressionCount>>(rc::gen::construct<SuppressionCount>(
            rc::gen::arbitrary<std::string>(), rc::gen::inRange(1, 9)));
    v.trials.push_back(t);
  }
  if (*rc::gen::arbitrary<bool>()) {
    v.manifestation = Manifestation{trials, 0, 0, 0, 0.5, 0, 0};
  }
  if (*rc::gen::arbitrary<bool>()) {
    LineLevel level;
    level.marked_lines = *rc::gen::arbitrary<std::vector<int>>();
    level.hit = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) level.frame = LineFrame{0, 0, "Write", "T1", 0, "main"};
    if (*rc::gen::arbitrary<bool>()) {
      RacePair pair{true, false, {3, 7}, std::nullopt};
      if (*rc::gen::arbitrary<bool>()) {
        pair.labelled = *rc::gen::container<std::vector<std::pair<int, int>>>(
            rc::gen::pair(rc::gen::inRange(0, 100000), rc::gen::inRange(0, 100000)));
      }
      level.race_pair = pair;
    }
    v.line_level = level;
  }
  if (*rc::gen::arbitrary<bool>()) v.positive = *rc::gen::arbitrary<bool>();
  RC_ASSERT(verdict_from_json(to_json(v), "verdicts[0]") == v);
}

}  // namespace
}  // namespace casebook::results
