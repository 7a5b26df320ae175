// Tests of line-level truth (grade/line_truth.hpp) and line-level grading, on the real TSan
// report of a small racy program (harness/tests/parse/programs/tsan_data_race.cpp, built by
// the parse tests' CMakeLists.txt): the markers are put into a copy of the program's real
// source text; on the racy line or its caller is a hit, off every stack a miss. Hand-built
// stacks cover a hang's threads and a case from outside the catalog.
#include "grade/line_truth.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <utility>

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
    return LineRule{kProgramFile, bug_marker_lines(source), ""};
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
  // The hit names its frame: the top one of the racing access, in the racy function.
  ASSERT_TRUE(truth.frame.has_value());
  EXPECT_EQ(truth.frame->frame, 0);
  EXPECT_NE(truth.frame->function.find("bump_once"), std::string::npos) << truth.frame->function;
  EXPECT_NE(truth.frame->stack_title.find("by thread"), std::string::npos);
  EXPECT_EQ(grade(kFindsRace, {*trial_}, &rule).verdict, Verdict::detected);
}

// Every frame counts, not only the top one in the case: a marker on the loop that calls the
// racy function is on the caller's frame of the same stacks, and that is a hit.
TEST_F(LineTruthOnRealTsan, AMarkerOnTheCallerIsAHitOnTheCallersFrame) {
  ASSERT_FALSE(trial_->findings.empty());
  const LineRule caller = rule_for(marked_at(program_source(), "for (int i = 0; i < 100;"));
  const LineTruth truth = line_truth({*trial_}, caller);
  EXPECT_TRUE(truth.located);
  EXPECT_TRUE(truth.hit);
  EXPECT_EQ(truth.at, kProgramFile + ":" + std::to_string(caller.marked[0]));
  ASSERT_TRUE(truth.frame.has_value());
  EXPECT_EQ(truth.frame->frame, 1);  // under bump_once, which is on the racy line
  EXPECT_NE(truth.frame->function.find("bump"), std::string::npos) << truth.frame->function;
  EXPECT_EQ(truth.frame->function.find("bump_once"), std::string::npos) << truth.frame->function;
  EXPECT_EQ(grade(kFindsRace, {*trial_}, &caller).verdict, Verdict::detected);
}

TEST_F(LineTruthOnRealTsan, MovingTheMarkerOffEveryStackTurnsTheVerdictIntoAMiss) {
  ASSERT_FALSE(trial_->findings.empty());
  // The same report against the marker moved to a line no stack passes through.
  const LineRule moved = rule_for(marked_at(program_source(), "std::printf(\"counter="));
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

// Race-pair truth on the same real report: both accesses are on the racy line.
TEST_F(LineTruthOnRealTsan, ARacesTwoAccessesOnTheLabelledPairAreBothAndOneOffIsOne) {
  ASSERT_FALSE(trial_->findings.empty());
  const LineRule racy = rule_for(marked_at(program_source(), "counter = counter + 1;"));
  const int line = racy.marked.at(0);
  const std::vector<int> accesses = race_access_lines(trial_->findings.front(), racy);
  EXPECT_EQ(accesses, (std::vector<int>{line, line}));

  LineRule labelled = racy;
  labelled.pairs = {{line, line}};
  const LineTruth both = line_truth({*trial_}, labelled);
  ASSERT_TRUE(both.race_pair.has_value());
  EXPECT_TRUE(both.race_pair->both);
  EXPECT_FALSE(both.race_pair->one);
  EXPECT_EQ(both.race_pair->at, (std::vector<int>{line, line}));

  LineRule half = racy;
  half.pairs = {{line, line + 100}};
  const LineTruth one = line_truth({*trial_}, half);
  ASSERT_TRUE(one.race_pair.has_value());
  EXPECT_FALSE(one.race_pair->both);
  EXPECT_TRUE(one.race_pair->one);

  // One marked line and no labelled pair: no pair to check.
  EXPECT_FALSE(line_truth({*trial_}, racy).race_pair.has_value());
}

Frame frame(int index, std::string function, std::string file, int line, std::string base = "") {
  Frame f;
  f.index = index;
  f.function = std::move(function);
  f.file = std::move(file);
  f.line = line;
  f.base = std::move(base);
  return f;
}

TEST(LineTruth, AReportNamingOneAccessCanOnlyMatchOneLineOfAPair) {
  // DRD's shape: one conflicting access, then segment ranges that are not accesses.
  Stack access;
  access.title = "Conflicting load by thread 1 at 0x0010c034 size 4";
  access.frames = {frame(0, "main", "p.c", 26)};
  Stack segment;
  segment.title = "other segment start";
  segment.frames = {frame(0, "writer", "p.c", 19)};
  Finding f;
  f.kind = "data-race";
  f.stacks = {access, segment};
  LineRule rule{"p.c", {19, 26}, ""};
  rule.pairs = {{19, 26}};
  EXPECT_EQ(race_access_lines(f, rule), std::vector<int>{26});
  TrialRecord t;
  t.findings = {f};
  const LineTruth truth = line_truth({t}, rule);
  ASSERT_TRUE(truth.race_pair.has_value());
  EXPECT_FALSE(truth.race_pair->both);
  EXPECT_TRUE(truth.race_pair->one);
  // A finding that is not a race has no accesses.
  f.kind = "heap-use-after-free";
  EXPECT_TRUE(race_access_lines(f, rule).empty());
}

// A TSan-shaped race between two accesses on lines `first` and `second` of p.c, with the
// creation stack of the racing thread after them (not an access).
Finding race_at(int first, int second) {
  Stack racing;
  racing.title = "Write of size 4 at 0x7b0400000010 by thread T2";
  racing.frames = {frame(0, "bump", "p.c", first), frame(1, "worker", "p.c", 70)};
  Stack previous;
  previous.title = "Previous read of size 4 at 0x7b0400000010 by thread T1";
  previous.frames = {frame(0, "peek", "p.c", second), frame(1, "worker", "p.c", 70)};
  Stack created;
  created.title = "Thread T2 (tid=3, running) created by main thread at";
  created.frames = {frame(0, "pthread_create", "", 0), frame(1, "main", "p.c", 80)};
  Finding f;
  f.kind = "data-race";
  f.stacks = {racing, previous, created};
  return f;
}

// A label names a pair as `x@19 vs. y@26`, but the tool prints the later access first as
// often as not: the pair matches in either order.
TEST(LineTruth, ARaceOnALabelledPairMatchesBothLinesInEitherOrder) {
  LineRule rule{"p.c", {19, 26}, ""};
  rule.pairs = {{19, 26}};
  for (const auto& [first, second] : {std::pair{19, 26}, std::pair{26, 19}}) {
    SCOPED_TRACE(std::to_string(first) + " then " + std::to_string(second));
    const Finding f = race_at(first, second);
    EXPECT_EQ(race_access_lines(f, rule), (std::vector<int>{first, second}));
    TrialRecord t;
    t.findings = {f};
    const LineTruth truth = line_truth({t}, rule);
    ASSERT_TRUE(truth.race_pair.has_value());
    EXPECT_TRUE(truth.race_pair->both);
    EXPECT_FALSE(truth.race_pair->one);
    EXPECT_EQ(truth.race_pair->at, (std::vector<int>{first, second}));
  }
}

// Over trials, a race on both lines outweighs an earlier one on one line: the pair counts as
// both (not also as one, which the scorecard counts apart), and names the deciding race.
TEST(LineTruth, BothLinesInALaterTrialOutweighOneLineInAnEarlierOne) {
  LineRule rule{"p.c", {19, 26}, ""};
  rule.pairs = {{19, 26}};
  TrialRecord one_line;
  one_line.index = 0;
  one_line.findings = {race_at(26, 40)};
  TrialRecord both_lines;
  both_lines.index = 1;
  both_lines.findings = {race_at(19, 26)};
  const LineTruth early = line_truth({one_line}, rule);
  ASSERT_TRUE(early.race_pair.has_value());
  EXPECT_FALSE(early.race_pair->both);
  EXPECT_TRUE(early.race_pair->one);
  EXPECT_EQ(early.race_pair->at, (std::vector<int>{26, 40}));

  const LineTruth truth = line_truth({one_line, both_lines}, rule);
  ASSERT_TRUE(truth.race_pair.has_value());
  EXPECT_TRUE(truth.race_pair->both);
  EXPECT_FALSE(truth.race_pair->one);
  EXPECT_EQ(truth.race_pair->at, (std::vector<int>{19, 26}));
}

// The marked line is a line of the variant's own file: a frame in the case's helper header on
// the same line number is in the case's code (located) but not on the marked line.
TEST(LineTruth, TheSameLineNumberInAnotherFileOfTheCaseIsNotTheMarkedLine) {
  Stack s;
  s.title = "Write of size 8 at 0x7b0400000010 by thread T1";
  s.frames = {frame(0, "cb::shared<long>::write", "harness/include/casebook/sync.hpp", 40),
              frame(1, "bump", "cases/x/helpers.hpp", 40),
              frame(2, "run", "cases/x/broken.cpp", 41)};
  Finding f;
  f.kind = "data-race";
  f.stacks = {s};
  const LineRule rule{"cases/x/broken.cpp", {40}, ""};
  EXPECT_TRUE(in_case_code(s.frames[1], rule));
  EXPECT_FALSE(on_marked_line(s.frames[1], rule));
  EXPECT_FALSE(on_marked_line(s.frames[0], rule));
  EXPECT_FALSE(finding_hits(f, rule));
  TrialRecord t;
  t.findings = {f};
  const LineTruth truth = line_truth({t}, rule);
  EXPECT_TRUE(truth.located);
  EXPECT_FALSE(truth.hit);
  EXPECT_EQ(truth.at, "cases/x/helpers.hpp:40");  // where it landed: the first case frame
  const Expectation finds_race{"tsan", Want::finds, {"data-race"}, "", true};
  EXPECT_EQ(grade(finds_race, {t}, &rule).verdict, Verdict::missed);
}

TEST(LineTruth, TopCaseFrameSkipsFramesOutsideTheCaseFolder) {
  Stack s;
  s.frames = {frame(0, "__tsan_read8", "", 0),
              frame(1, "cb::shared<long>::read", "harness/include/casebook/sync.hpp", 80),
              frame(2, "worker", "cases/x/helpers.hpp", 12),
              frame(3, "run", "cases/x/broken.cpp", 40)};
  const LineRule rule{"cases/x/broken.cpp", {40}, ""};
  const Frame* top = top_case_frame(s, rule);
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->file, "cases/x/helpers.hpp");  // the case's own header counts as its code
  Finding f;
  f.stacks = {s};
  // The top case frame is not on a marked line, but a deeper one is: every frame counts.
  EXPECT_TRUE(finding_hits(f, rule));
  TrialRecord t;
  t.findings = {f};
  const LineTruth truth = line_truth({t}, rule);
  EXPECT_TRUE(truth.hit);
  EXPECT_EQ(truth.at, "cases/x/broken.cpp:40");
  ASSERT_TRUE(truth.frame.has_value());
  EXPECT_EQ(truth.frame->frame, 3);
  EXPECT_EQ(truth.frame->function, "run");
}

// A hang's stacks, one per thread as gdb prints them: the bug is the caller of the blocking
// call in the second thread (its lock is taken by a helper), below frames of libc and of a
// helper in the case. The hit is that caller's frame of that thread's stack.
TEST(LineTruth, AHangIsAHitOnACallerInAnyThreadsStack) {
  Finding hang;
  hang.tool = "watchdog";
  hang.kind = "hang";
  Stack main_thread;
  main_thread.title = "Thread 1 (LWP 100)";
  main_thread.thread = "Thread 1 (LWP 100)";
  main_thread.frames = {frame(0, "__futex_abstimed_wait_common", "./nptl/futex-internal.c", 57),
                        frame(1, "__pthread_clockjoin_ex", "./nptl/pthread_join_common.c", 105),
                        frame(2, "run", "cases/x/broken.cpp", 60)};
  Stack worker;
  worker.title = "Thread 2 (LWP 101)";
  worker.thread = "Thread 2 (LWP 101)";
  worker.frames = {frame(0, "__lll_lock_wait", "./nptl/lowlevellock.c", 49),
                   frame(1, "___pthread_mutex_lock", "./nptl/pthread_mutex_lock.c", 93),
                   frame(2, "take", "cases/x/broken.cpp", 20),
                   frame(3, "drain", "cases/x/broken.cpp", 33),
                   frame(4, "start_thread", "./nptl/pthread_create.c", 442)};
  hang.stacks = {main_thread, worker};
  TrialRecord t;
  t.index = 2;
  t.findings = {hang};
  const LineRule rule{"cases/x/broken.cpp", {33}, ""};
  const LineTruth truth = line_truth({t}, rule);
  EXPECT_TRUE(truth.located);
  EXPECT_TRUE(truth.hit);
  EXPECT_EQ(truth.at, "cases/x/broken.cpp:33");
  ASSERT_TRUE(truth.frame.has_value());
  EXPECT_EQ(truth.frame->trial, 2);
  EXPECT_EQ(truth.frame->stack, 1);
  EXPECT_EQ(truth.frame->thread, "Thread 2 (LWP 101)");
  EXPECT_EQ(truth.frame->frame, 3);
  EXPECT_EQ(truth.frame->function, "drain");
  const Expectation finds_hang{"watchdog", Want::finds, {"hang"}, "", true};
  EXPECT_EQ(grade(finds_hang, {t}, &rule).verdict, Verdict::detected);
}

// A case from a CASEBOOK_EXTRA_CASES folder: its frames are relative to that folder and carry
// its base id. The same relative path under another root is not the case's code.
TEST(LineTruth, FramesCountOnlyUnderTheVariantsRoot) {
  const LineRule rule{"crossed/broken.cpp", {12}, "%EXTRA_CASES_MINE%"};
  Finding f;
  Stack s;
  s.frames = {frame(0, "elsewhere", "crossed/broken.cpp", 12)};  // repo-relative namesake
  f.stacks = {s};
  TrialRecord t;
  t.findings = {f};
  LineTruth truth = line_truth({t}, rule);
  EXPECT_FALSE(truth.located);
  EXPECT_FALSE(truth.hit);

  t.findings[0].stacks[0].frames[0].base = "%EXTRA_CASES_MINE%";
  truth = line_truth({t}, rule);
  EXPECT_TRUE(truth.located);
  EXPECT_TRUE(truth.hit);
  EXPECT_EQ(truth.at, "crossed/broken.cpp:12");
}

TEST(LineTruth, FindingsWithoutFramesInTheCaseAreNotLocated) {
  TrialRecord t;
  Finding f;
  f.kind = "invariant-violated";
  t.findings = {f};
  const LineTruth truth = line_truth({t}, LineRule{"cases/x/broken.cpp", {10}, ""});
  EXPECT_FALSE(truth.located);
  EXPECT_FALSE(truth.hit);
  EXPECT_TRUE(truth.at.empty());
  EXPECT_FALSE(truth.frame.has_value());
}

}  // namespace
}  // namespace casebook
