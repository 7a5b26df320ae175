// Unit tests of merging results documents (merge/merge_results.hpp): one verdict per pair, a
// conflict keeps the failing verdict whichever file it comes from, duplicates are noted once,
// and the summary (infrastructure errors apart), the scorecard, the cases and the source bases
// are counted again from every file; and reading one file, which refuses a schema_version this
// build does not read.
#include "merge/merge_results.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace casebook::reports {
namespace {

using nlohmann::json;

json verdict(const std::string& case_name, const std::string& variant, const std::string& name,
             bool passed, const std::string& detector = "tsan") {
  return {
      {"case", case_name},
      {"variant", variant},
      {"detector", detector},
      {"verdict", name},
      {"passed", passed},
      {"category", "race"},
      {"reason", ""},
      {"trials", json::array()},
      {"expected", {{"verdict", variant == "broken" ? "detected" : "clean"}, {"declared", true}}}};
}

// A results document with the fields its schema requires (the summary is counted again).
json document(std::vector<json> verdicts) {
  return {{"schema_version", kReadableSchemaVersion},
          {"tool", {{"name", "casebook"}, {"version", "0.1.0"}}},
          {"environment",
           {{"compiler", {{"id", "Clang"}, {"version", "14.0.6"}}},
            {"configurations", {{"tsan", "-O1 -g -fsanitize=thread"}}},
            {"kernel", "Linux 6.1.0"},
            {"cpu_count", 2},
            {"git_commit", "abc"}}},
          {"run",
           {{"started_at", "2026-12-06T00:00:00Z"},
            {"duration_seconds", 10.0},
            {"seed", 1},
            {"repeat", 1},
            {"deflake", 5},
            {"jobs", 2},
            {"detectors", {"tsan"}}}},
          {"summary", {{"passed", 0}, {"failed", 0}, {"skipped", 0}, {"total", 0}}},
          {"verdicts", verdicts}};
}

LoadedResults file(const std::string& path, std::vector<json> verdicts) {
  return {path, results::read_results(document(std::move(verdicts)))};
}

// The merge, and its document as results.json holds it.
struct Merged : MergedResults {
  json doc;
};
Merged merge_results(const std::vector<LoadedResults>& inputs) {
  Merged m;
  static_cast<MergedResults&>(m) = reports::merge_results(inputs);
  m.doc = results::to_json(m.results);
  return m;
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
    const Merged m = failure_first
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
  const Merged m = merge_results(
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
  EXPECT_EQ(results::summary_line(m.results.summary), "2 passed, 1 failed, 1 skipped");
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
  const Merged m = merge_results({file("a.json", {pass}), file("b.json", {pass})});
  EXPECT_EQ(m.doc.at("verdicts").size(), 1u);
  EXPECT_EQ(m.conflicts, 0);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("duplicate: counter/broken tsan is in both a.json and b.json"),
            std::string::npos)
      << m.notes[0];
  EXPECT_EQ(m.doc.at("summary").at("passed"), 1);
}

// The same verdict name can pass in one file and fail in the other (a known false positive
// against an undeclared one, a skip against a crashed one): that is a conflict, not a duplicate,
// and the failure is kept whichever file has it.
TEST(MergeResults, TheSameVerdictPassingInOneFileAndFailingInTheOtherIsAConflict) {
  const json known = verdict("atomic_flag", "fixed", "false-positive", true, "helgrind");
  const json undeclared = verdict("atomic_flag", "fixed", "false-positive", false, "helgrind");
  for (bool failure_first : {true, false}) {
    SCOPED_TRACE(failure_first ? "failure in the first file" : "failure in the second file");
    const Merged m = failure_first
                         ? merge_results({file("a.json", {undeclared}), file("b.json", {known})})
                         : merge_results({file("a.json", {known}), file("b.json", {undeclared})});
    const json* kept = find(m.doc, "atomic_flag", "fixed", "helgrind");
    ASSERT_NE(kept, nullptr);
    EXPECT_FALSE(kept->at("passed").get<bool>());
    EXPECT_EQ(m.conflicts, 1);
    ASSERT_EQ(m.notes.size(), 1u);
    EXPECT_EQ(m.notes[0].rfind("conflict: atomic_flag/fixed helgrind", 0), 0u) << m.notes[0];
    EXPECT_EQ(m.doc.at("summary").at("failed"), 1);
    EXPECT_EQ(m.doc.at("summary").at("passed"), 0);
  }
}

// Infrastructure errors are failures counted apart (the HTML overview shows them on a card of
// their own): an undecided trial is the machine's, a miss or a crash is the variant's.
TEST(MergeResults, TheRecountedSummaryCountsInfrastructureErrorsApart) {
  json machine = verdict("join", "broken", "error", false, "watchdog");
  machine["infrastructure"] = true;
  json variant = verdict("counter", "broken", "error", false);
  variant["infrastructure"] = false;
  const Merged m = merge_results(
      {file("shard-0.json", {machine, verdict("counter", "fixed", "clean", true)}),
       file("shard-1.json", {variant, verdict("join", "fixed", "missed", false, "watchdog")})});
  const json& s = m.doc.at("summary");
  EXPECT_EQ(s.at("total"), 4);
  EXPECT_EQ(s.at("passed"), 1);
  EXPECT_EQ(s.at("failed"), 3);
  EXPECT_EQ(s.at("infrastructure_errors"), 1);
}

// Each shard lists the cases it ran, and the extra-cases folders their paths are relative to:
// the merged document has every file's, the first file's entry for one named twice.
TEST(MergeResults, EveryFilesCasesAndSourceBasesAreKept) {
  LoadedResults a = file("shard-0.json", {verdict("counter", "broken", "detected", true)});
  const auto text = [](const std::string& readme) {
    return results::CaseText{"race", "cases/x", "", {{"README.md", readme}}};
  };
  a.results.cases = {{"counter", text("unlocked counter")}, {"shared", text("from shard 0")}};
  a.results.source_bases = {{{"%EXTRA_CASES_MINE%", {"/home/me/cases", std::nullopt}}}};
  LoadedResults b = file("shard-1.json", {verdict("join", "broken", "detected", true)});
  b.results.cases = {{"join", text("forgotten join")}, {"shared", text("from shard 1")}};
  b.results.source_bases = {{{"%EXTRA_CASES_THEIRS%", {"/home/them/cases", "theirs"}}}};
  const Merged m = merge_results({a, b});
  const json& cases = m.doc.at("cases");
  EXPECT_EQ(cases.size(), 3u) << cases;
  EXPECT_EQ(cases.at("counter").at("files").at("README.md"), "unlocked counter");
  EXPECT_EQ(cases.at("join").at("files").at("README.md"), "forgotten join");
  EXPECT_EQ(cases.at("shared").at("files").at("README.md"), "from shard 0");
  const json& bases = m.doc.at("source_bases");
  EXPECT_EQ(bases.size(), 2u) << bases;
  EXPECT_EQ(bases.at("%EXTRA_CASES_MINE%").at("path"), "/home/me/cases");
  EXPECT_EQ(bases.at("%EXTRA_CASES_THEIRS%").at("path"), "/home/them/cases");
  EXPECT_EQ(bases.at("%EXTRA_CASES_THEIRS%").at("description"), "theirs");
  EXPECT_FALSE(bases.at("%EXTRA_CASES_MINE%").contains("description")) << bases;
}

// A results.json written to a scratch file, read back by load_results_file.
class LoadResults : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (std::filesystem::temp_directory_path() /
             ("casebook-load-results-" + std::to_string(::getpid()) + "-" + info->name() + ".json"))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // Writes text and returns the message load_results_file refuses it with ("" if it reads it).
  std::string refusal_of(const std::string& text) {
    std::ofstream(path_, std::ios::binary) << text;
    try {
      load_results_file(path_);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  std::string path_;
};

TEST_F(LoadResults, ReadsThisSchemaVersionAndRefusesTheNextAndThePrevious) {
  json doc = document({verdict("counter", "broken", "detected", true)});
  EXPECT_EQ(refusal_of(doc.dump()), "");
  EXPECT_EQ(load_results_file(path_).results.verdicts.size(), 1u);

  doc["schema_version"] = kReadableSchemaVersion + 1;
  const std::string newer = refusal_of(doc.dump());
  EXPECT_NE(newer.find(path_), std::string::npos) << newer;
  EXPECT_NE(newer.find("schema_version " + std::to_string(kReadableSchemaVersion + 1) +
                       ", newer than this casebook reads"),
            std::string::npos)
      << newer;

  doc["schema_version"] = kReadableSchemaVersion - 1;
  const std::string older = refusal_of(doc.dump());
  EXPECT_NE(older.find("schema_version " + std::to_string(kReadableSchemaVersion - 1) +
                       ", which this casebook cannot read"),
            std::string::npos)
      << older;
}

// Past the checks of what the file is, the document is read against its model: the first field
// that is missing or of another type is named, with the file, the same for every writer.
TEST_F(LoadResults, AMissingOrMistypedFieldIsNamedWithTheFile) {
  json doc = document({verdict("counter", "broken", "detected", true)});
  doc["verdicts"][0]["passed"] = "yes";
  const std::string mistyped = refusal_of(doc.dump());
  EXPECT_EQ(
      mistyped.rfind(path_ + ": verdicts[0].passed: expected true or false, found \"yes\"", 0), 0u)
      << mistyped;
  doc["verdicts"][0]["passed"] = true;
  doc["run"].erase("seed");
  const std::string missing = refusal_of(doc.dump());
  EXPECT_EQ(missing.rfind(path_ + ": run.seed: missing", 0), 0u) << missing;
  EXPECT_NE(missing.find("Run `casebook run` again"), std::string::npos) << missing;
}

}  // namespace
}  // namespace casebook::reports
