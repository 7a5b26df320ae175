// Unit tests of merging results documents (merge/merge_results.hpp): one verdict per pair, a
// conflict keeps the failing verdict whichever file it comes from, duplicates are noted once,
// and the summary and scorecard are counted again from the merged verdicts.
#include "merge/merge_results.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace casebook::reports {
namespace {

using nlohmann::json;

json verdict(const std::string& case_name, const std::string& variant, const std::string& name,
             bool passed, const std::string& detector = "tsan") {
  return {{"case", case_name},       {"variant", variant},
          {"detector", detector},    {"verdict", name},
          {"passed", passed},        {"category", "race"},
          {"trials", json::array()}, {"expected", {{"verdict", "finds"}}}};
}

LoadedResults file(const std::string& path, std::vector<json> verdicts) {
  json doc = {{"schema_version", kReadableSchemaVersion},
              {"tool", {{"name", "casebook"}}},
              {"environment", {{"git_commit", "abc"}}},
              {"run", {{"duration_seconds", 10.0}, {"seed", 1}}},
              {"summary", json::object()},
              {"verdicts", verdicts}};
  return {path, doc};
}

const json* find(const json& doc, const std::string& c, const std::string& v,
                 const std::string& d = "tsan") {
  for (const auto& x : doc.at("verdicts")) {
    if (x.at("case") == c && x.at("variant") == v && x.at("detector") == d) return &x;
  }
  return nullptr;
}

TEST(MergeResults, AConflictKeepsTheFailureWhicheverFileHasIt) {
  const json pass = verdict("counter", "broken", "detected", true);
  const json fail = verdict("counter", "broken", "missed", false);
  for (bool failure_first : {true, false}) {
    SCOPED_TRACE(failure_first ? "failure in the first file" : "failure in the second file");
    const MergedResults m = failure_first
                                ? merge_results({file("a.json", {fail}), file("b.json", {pass})})
                                : merge_results({file("a.json", {pass}), file("b.json", {fail})});
    ASSERT_NE(find(m.doc, "counter", "broken"), nullptr);
    EXPECT_EQ(find(m.doc, "counter", "broken")->at("verdict"), "missed");
    EXPECT_EQ(m.conflicts, 1);
    ASSERT_EQ(m.notes.size(), 1u);
    EXPECT_NE(m.notes[0].find("conflict: counter/broken tsan"), std::string::npos) << m.notes[0];
    EXPECT_NE(m.notes[0].find("kept missed"), std::string::npos) << m.notes[0];
    EXPECT_EQ(m.doc.at("summary").at("failed"), 1);
    EXPECT_EQ(m.doc.at("summary").at("passed"), 0);
  }
}

TEST(MergeResults, ShardsAreJoinedAndTheSummaryAndScorecardCountedAgain) {
  const MergedResults m = merge_results(
      {file("shard-0.json", {verdict("counter", "broken", "detected", true),
                             verdict("counter", "fixed", "clean", true)}),
       file("shard-1.json", {verdict("join", "broken", "missed", false),
                             verdict("join", "fixed", "skipped", true, "watchdog")})});
  EXPECT_EQ(m.doc.at("verdicts").size(), 4u);
  EXPECT_EQ(m.conflicts, 0);
  EXPECT_TRUE(m.notes.empty());
  const json& s = m.doc.at("summary");
  EXPECT_EQ(s.at("total"), 4);
  EXPECT_EQ(s.at("passed"), 2);
  EXPECT_EQ(s.at("failed"), 1);
  EXPECT_EQ(s.at("skipped"), 1);
  EXPECT_EQ(summary_line_of(m.doc), "2 passed, 1 failed, 1 skipped");
  // The scorecard over both shards' pairs (verdicts without trials count by their verdict):
  // counter/broken detected (TP), join/broken missed (FN), counter/fixed clean (TN).
  const json& tsan = m.doc.at("scorecard").at("detectors").at(0);
  EXPECT_EQ(tsan.at("detector"), "tsan");
  EXPECT_EQ(tsan.at("file_level").at("tp"), 1);
  EXPECT_EQ(tsan.at("file_level").at("fn"), 1);
  EXPECT_EQ(tsan.at("file_level").at("tn"), 1);
  // Each input is listed, and the runs' time is their sum.
  ASSERT_EQ(m.doc.at("merged_from").size(), 2u);
  EXPECT_EQ(m.doc.at("merged_from").at(1).at("file"), "shard-1.json");
  EXPECT_DOUBLE_EQ(m.doc.at("run").at("duration_seconds").get<double>(), 20.0);
}

TEST(MergeResults, ADuplicateIsKeptOnceAndNoted) {
  const json pass = verdict("counter", "broken", "detected", true);
  const MergedResults m = merge_results({file("a.json", {pass}), file("b.json", {pass})});
  EXPECT_EQ(m.doc.at("verdicts").size(), 1u);
  EXPECT_EQ(m.conflicts, 0);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("duplicate: counter/broken tsan is in both a.json and b.json"),
            std::string::npos)
      << m.notes[0];
  EXPECT_EQ(m.doc.at("summary").at("passed"), 1);
}

}  // namespace
}  // namespace casebook::reports
