// Tests of line-level truth (grade/line_truth.hpp) and line-level grading, on the real TSan
// report of a small racy program (harness/tests/parse/programs/tsan_data_race.cpp, built by
// the parse tests' CMakeLists.txt): the markers are put into a copy of the program's real
// source text, and moving one off the racy line must change the verdict.
#include "grade/line_truth.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "catalog/bug_markers.hpp"
#include "grade/grader.hpp"
#include "parse/tsan_parser.hpp"
#include "run_program.hpp"

namespace casebook {
namespace {

constexpr const char* kRoot = CASEBOOK_SOURCE_ROOT;
const std::string kProgramFile = "harness/tests/parse/programs/tsan_data_race.cpp";

std::string program_source() {
  std::ifstream in(std::string(kRoot) + "/" + kProgramFile);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The source with a casebook-bug marker appended to the first line holding `anchor`.
std::string marked_at(std::string source, const std::string& anchor) {
  const auto at = source.find(anchor);
  EXPECT_NE(at, std::string::npos) << anchor;
  const auto end = source.find('\n', at);
  source.insert(end, "  // casebook-bug");
  return source;
}

// One trial holding the program's real TSan findings, parsed as the runner parses them.
class LineTruthOnRealTsan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const testing::ProgramOutput out =
        testing::run_program(PARSE_PROGRAM_TSAN_DATA_RACE,
                             {{"TSAN_OPTIONS", "halt_on_error=0 history_size=7 log_path=@LOG@"}});
    trial_ = new TrialRecord;
    trial_->findings = parse_tsan(out.log_text, kRoot);
  }
  static void TearDownTestSuite() { delete trial_; }

  static LineRule rule_for(const std::string& source) {
    return LineRule{kProgramFile, bug_marker_lines(source)};
  }
  static TrialRecord* trial_;
};
TrialRecord* LineTruthOnRealTsan::trial_ = nullptr;

const Expectation kFindsRace{"tsan", Want::finds, {"data-race"}, "", true};

TEST_F(LineTruthOnRealTsan, MarkerOnTheRacyLineIsAHit) {
  ASSERT_FALSE(trial_->findings.empty()) << "the program's TSan report did not parse";
  const LineRule rule = rule_for(marked_at(program_source(), "counter = counter + 1;"));
  ASSERT_EQ(rule.marked.size(), 1u);
  const LineTruth truth = line_truth({*trial_}, rule);
  EXPECT_TRUE(truth.located);
  EXPECT_TRUE(truth.hit);
  EXPECT_EQ(truth.at, kProgramFile + ":" + std::to_string(rule.marked[0]));
  EXPECT_EQ(grade(kFindsRace, {*trial_}, &rule).verdict, Verdict::detected);
}

TEST_F(LineTruthOnRealTsan, MovingTheMarkerOffTheRacyLineTurnsTheVerdictIntoAMiss) {
  ASSERT_FALSE(trial_->findings.empty());
  // The same report against the marker moved to the loop that calls the racy function.
  const LineRule moved = rule_for(marked_at(program_source(), "for (int i = 0; i < 100;"));
  const LineTruth truth = line_truth({*trial_}, moved);
  EXPECT_TRUE(truth.located);
  EXPECT_FALSE(truth.hit);
  // It names where the finding landed instead: the racy line, not the marked one.
  const LineRule right = rule_for(marked_at(program_source(), "counter = counter + 1;"));
  EXPECT_EQ(truth.at, kProgramFile + ":" + std::to_string(right.marked[0]));

  const Grade at_line = grade(kFindsRace, {*trial_}, &moved);
  EXPECT_EQ(at_line.verdict, Verdict::missed);
  EXPECT_NE(at_line.reason.find("casebook-bug"), std::string::npos) << at_line.reason;
  // File level does not care where the marker is.
  EXPECT_EQ(grade(kFindsRace, {*trial_}).verdict, Verdict::detected);
}

TEST(LineTruth, TopCaseFrameSkipsFramesOutsideTheCaseFolder) {
  Stack s;
  s.frames = {{0, "__tsan_read8", "", 0, 0, "libtsan.so"},
              {1, "cb::shared<long>::read", "harness/include/casebook/sync.hpp", 80, 5, ""},
              {2, "worker", "cases/x/helpers.hpp", 12, 3, ""},
              {3, "run", "cases/x/broken.cpp", 40, 3, ""}};
  const LineRule rule{"cases/x/broken.cpp", {40}};
  const Frame* top = top_case_frame(s, rule);
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->file, "cases/x/helpers.hpp");  // the case's own header counts as its code
  Finding f;
  f.stacks = {s};
  // The top case frame is not on a marked line of the variant, so the finding misses even
  // though a deeper frame is on one.
  EXPECT_FALSE(finding_hits(f, rule));
}

TEST(LineTruth, FindingsWithoutFramesInTheCaseAreNotLocated) {
  TrialRecord t;
  Finding f;
  f.kind = "invariant-violated";
  t.findings = {f};
  const LineTruth truth = line_truth({t}, LineRule{"cases/x/broken.cpp", {10}});
  EXPECT_FALSE(truth.located);
  EXPECT_FALSE(truth.hit);
  EXPECT_TRUE(truth.at.empty());
}

}  // namespace
}  // namespace casebook
