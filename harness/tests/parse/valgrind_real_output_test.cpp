// valgrind_real_output_test.cpp - the Valgrind XML parser on what Helgrind and DRD really write:
// each test runs one of the buggy programs in programs/ (built in the plain configuration,
// which the helgrind and drd detectors run) under valgrind with the detectors' options, and
// checks kind, repo-relative file and the line marked in the program's source. One test kills
// Valgrind mid-run, as the runner does at a timeout, and reads the cut-off file.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "parse/valgrind_parser.hpp"
#include "program_findings.hpp"
#include "run_program.hpp"

extern char** environ;

namespace casebook {
namespace {

using testing::find_kind;
using testing::has_frame_at;
using testing::ProgramOutput;
using testing::relative_source;
using testing::run_program;
using testing::stack_has_frame_at;

constexpr const char* kRoot = CASEBOOK_SOURCE_ROOT;
constexpr const char* kValgrind = CASEBOOK_VALGRIND;

// The options the helgrind and drd detectors give valgrind (detectors/valgrind_run.cpp), with
// the XML going to the test's log prefix.
std::vector<std::string> valgrind_args(const std::string& tool, const std::string& program,
                                       const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"--tool=" + tool,
                                   "--xml=yes",
                                   "--xml-file=@LOG@.%p",
                                   "--error-exitcode=66",
                                   "--child-silent-after-fork=yes",
                                   "--num-callers=40",
                                   "--fair-sched=try"};
  if (tool == "drd") args.emplace_back("--check-stack-var=yes");
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(program);
  return args;
}

#define REQUIRE_VALGRIND()                                                           \
  do {                                                                               \
    if (std::string(kValgrind).empty()) GTEST_SKIP() << "valgrind is not installed"; \
  } while (0)

// The line of `program`'s source holding `marker`.
int expected_line(const std::string& program, const std::string& marker = "RACE-LINE") {
  return testing::expected_line(kRoot, program, marker);
}

std::string describe(const ValgrindOutput& parsed, const ProgramOutput& out) {
  std::string text =
      "exit " + std::to_string(out.exit_code) + "; problem: " + parsed.problem + "; kinds:";
  for (const auto& f : parsed.findings) text += " " + f.tool + "/" + f.kind;
  return text + "\n--- xml:\n" + out.log_text + "\n--- stderr:\n" + out.stderr_text;
}

struct ToolRun {
  ProgramOutput out;
  ValgrindOutput parsed;
};

ToolRun run_under(const std::string& tool, const std::string& program_path,
                  const std::vector<std::string>& extra = {}) {
  ToolRun r;
  r.out = run_program(kValgrind, {}, false, valgrind_args(tool, program_path, extra));
  r.parsed = parse_valgrind_xml(r.out.log_text, kRoot);
  return r;
}

TEST(RealValgrindOutput, HelgrindDataRace) {
  REQUIRE_VALGRIND();
  const std::string program = "valgrind_data_race";
  ToolRun r = run_under("helgrind", PARSE_PROGRAM_VALGRIND_DATA_RACE);
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 66);
  EXPECT_TRUE(r.parsed.complete);
  EXPECT_EQ(r.parsed.tool, "helgrind");
  ASSERT_FALSE(r.parsed.findings.empty());
  for (const auto& f : r.parsed.findings) EXPECT_EQ(f.kind, "data-race");
  const Finding& f = r.parsed.findings[0];
  EXPECT_EQ(f.tool, "helgrind");
  EXPECT_EQ(f.summary.rfind("Possible data race during ", 0), 0u) << f.summary;
  // Both accesses on the marked line, in two different threads, then both threads' creation
  // (in main, whose std::thread constructor frames Valgrind shows inlined).
  ASSERT_GE(f.stacks.size(), 4u);
  for (int i = 0; i < 2; ++i) {
    ASSERT_FALSE(f.stacks[i].frames.empty());
    EXPECT_EQ(f.stacks[i].frames[0].file, relative_source(program));
    EXPECT_EQ(f.stacks[i].frames[0].line, expected_line(program));
    EXPECT_EQ(f.stacks[i].thread.rfind("thread #", 0), 0u);
  }
  EXPECT_NE(f.stacks[0].thread, f.stacks[1].thread);
  EXPECT_EQ(f.stacks[2].title.rfind("thread #", 0), 0u);
  EXPECT_NE(f.stacks[2].title.find(" was created"), std::string::npos);
  EXPECT_TRUE(
      std::any_of(f.stacks[2].frames.begin(), f.stacks[2].frames.end(), [&](const Frame& frame) {
        return frame.function == "main" && frame.file == relative_source(program);
      }));
  // The address varies with the build; the symbol does not.
  EXPECT_NE(f.location.find("counter"), std::string::npos) << f.location;
}

TEST(RealValgrindOutput, DrdDataRace) {
  REQUIRE_VALGRIND();
  const std::string program = "valgrind_data_race";
  ToolRun r = run_under("drd", PARSE_PROGRAM_VALGRIND_DATA_RACE);
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 66);
  EXPECT_TRUE(r.parsed.complete);
  EXPECT_EQ(r.parsed.tool, "drd");
  const Finding* f = find_kind(r.parsed.findings, "data-race");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->tool, "drd");
  EXPECT_EQ(f->summary.rfind("Conflicting ", 0), 0u) << f->summary;
  ASSERT_FALSE(f->stacks.empty());
  ASSERT_FALSE(f->stacks[0].frames.empty());
  EXPECT_EQ(f->stacks[0].frames[0].file, relative_source(program));
  EXPECT_EQ(f->stacks[0].frames[0].line, expected_line(program));
  EXPECT_EQ(f->stacks[0].thread.rfind("thread ", 0), 0u);
}

TEST(RealValgrindOutput, HelgrindLockOrderAtBothLinesThroughInlinedFrames) {
  REQUIRE_VALGRIND();
  const std::string program = "valgrind_lock_order";
  ToolRun r = run_under("helgrind", PARSE_PROGRAM_VALGRIND_LOCK_ORDER);
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 66);
  const Finding* f = find_kind(r.parsed.findings, "lock-order-inversion");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->summary.find("lock order"), std::string::npos) << f->summary;
  // The lambdas' lines are inlined frames: present only when Valgrind reads the build's DWARF
  // (clang-14's default DWARF 5 loses them: cmake/configurations.cmake).
  EXPECT_TRUE(has_frame_at(*f, relative_source(program), expected_line(program)));
  EXPECT_TRUE(has_frame_at(*f, relative_source(program), expected_line(program, "FIRST-ORDER")));
  ASSERT_GE(f->stacks.size(), 2u);
  EXPECT_EQ(f->stacks[1].title.rfind("Required order was established", 0), 0u);
  // Valgrind's stderr stays free of DWARF reader complaints.
  EXPECT_EQ(r.out.stderr_text.find("unhandled dwarf2"), std::string::npos);
}

TEST(RealValgrindOutput, DrdSeesNoLockOrderWithoutADeadlock) {
  // DRD has no lock-order check: the same program is clean under it. The scorecard relies on
  // this difference being real, so it is pinned here.
  REQUIRE_VALGRIND();
  ToolRun r = run_under("drd", PARSE_PROGRAM_VALGRIND_LOCK_ORDER);
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 0);
  EXPECT_TRUE(r.parsed.complete);
  EXPECT_TRUE(r.parsed.findings.empty());
}

TEST(RealValgrindOutput, UnlockByAnotherThread) {
  REQUIRE_VALGRIND();
  const std::string program = "valgrind_unlock_foreign";
  for (const std::string tool : {"helgrind", "drd"}) {
    ToolRun r = run_under(tool, PARSE_PROGRAM_VALGRIND_UNLOCK_FOREIGN);
    SCOPED_TRACE(tool + ": " + describe(r.parsed, r.out));
    EXPECT_EQ(r.out.exit_code, 66);
    bool at_unlock = false;
    for (const auto& f : r.parsed.findings) {
      EXPECT_EQ(f.kind, "mutex-misuse");
      ASSERT_FALSE(f.stacks.empty());
      at_unlock = at_unlock || stack_has_frame_at(f.stacks[0], relative_source(program),
                                                  expected_line(program, "UNLOCK-LINE"));
    }
    EXPECT_TRUE(at_unlock);
  }
}

TEST(RealValgrindOutput, SignalWithoutTheMutex) {
  REQUIRE_VALGRIND();
  const std::string program = "valgrind_unlocked_signal";
  for (const std::string tool : {"helgrind", "drd"}) {
    ToolRun r = run_under(tool, PARSE_PROGRAM_VALGRIND_UNLOCKED_SIGNAL);
    SCOPED_TRACE(tool + ": " + describe(r.parsed, r.out));
    EXPECT_EQ(r.out.exit_code, 66);
    const Finding* f = find_kind(r.parsed.findings, "unlocked-signal");
    ASSERT_NE(f, nullptr);
    ASSERT_FALSE(f->stacks.empty());
    EXPECT_TRUE(stack_has_frame_at(f->stacks[0], relative_source(program),
                                   expected_line(program, "SIGNAL-LINE")));
  }
}

TEST(RealValgrindOutput, DrdLockHeldTooLong) {
  REQUIRE_VALGRIND();
  const std::string program = "valgrind_hold_time";
  ToolRun r = run_under("drd", PARSE_PROGRAM_VALGRIND_HOLD_TIME, {"--exclusive-threshold=50"});
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 66);
  const Finding* f = find_kind(r.parsed.findings, "lock-hold-too-long");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->summary.find("threshold: 50 ms"), std::string::npos) << f->summary;
  ASSERT_GE(f->stacks.size(), 2u);
  EXPECT_EQ(f->stacks[0].title, "lock acquired at");
  EXPECT_TRUE(stack_has_frame_at(f->stacks[0], relative_source(program),
                                 expected_line(program, "LOCK-LINE")));
  EXPECT_TRUE(stack_has_frame_at(f->stacks[1], relative_source(program),
                                 expected_line(program, "UNLOCK-LINE")));
  // Without the option DRD does not time locks at all.
  ToolRun plain = run_under("drd", PARSE_PROGRAM_VALGRIND_HOLD_TIME);
  EXPECT_EQ(plain.out.exit_code, 0) << describe(plain.parsed, plain.out);
  EXPECT_TRUE(plain.parsed.findings.empty());
}

// casebook's own suppressions, as the source tree holds them (the runner passes the copy the
// build puts beside it: harness/valgrind/CMakeLists.txt).
std::string shipped_suppressions() {
  return std::string(kRoot) + "/harness/valgrind/casebook.supp";
}

// Two threads throwing their first exceptions: Helgrind reports the unwinder's own one-time
// set-up in libgcc_s, a false positive in a correct program, on every run.
TEST(RealValgrindOutput, HelgrindReportsTheUnwinderWhenTwoThreadsThrowWithoutTheSuppressions) {
  REQUIRE_VALGRIND();
  ToolRun r = run_under("helgrind", PARSE_PROGRAM_VALGRIND_CONCURRENT_THROW);
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 66);
  EXPECT_TRUE(r.parsed.complete);
  ASSERT_FALSE(r.parsed.findings.empty());
  for (const auto& f : r.parsed.findings) {
    EXPECT_EQ(f.kind, "data-race");
    // The racing access runs in libgcc_s, never in the program's own code.
    ASSERT_FALSE(f.stacks.empty());
    ASSERT_FALSE(f.stacks[0].frames.empty());
    EXPECT_EQ(f.stacks[0].frames[0].module, "libgcc_s.so.1") << f.raw;
    EXPECT_NE(f.location.find("libgcc_s.so.1"), std::string::npos) << f.location;
  }
  // Valgrind's own default.supp does not cover these.
  for (const auto& s : r.parsed.suppressed) {
    EXPECT_EQ(s.name.find("libgcc"), std::string::npos) << s.name;
  }
}

TEST(RealValgrindOutput, CasebookSuppressionsSilenceTheUnwinderAndAreCounted) {
  REQUIRE_VALGRIND();
  ToolRun r = run_under("helgrind", PARSE_PROGRAM_VALGRIND_CONCURRENT_THROW,
                        {"--suppressions=" + shipped_suppressions()});
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 0);
  EXPECT_TRUE(r.parsed.complete);
  EXPECT_TRUE(r.parsed.findings.empty());
  // Which entries fired, and how often: the throws, the rethrows (both through
  // _Unwind_RaiseException) and the cleanups (_Unwind_Resume).
  int ours = 0;
  bool raise = false;
  bool resume = false;
  for (const auto& s : r.parsed.suppressed) {
    EXPECT_GT(s.count, 0) << s.name;
    if (s.name.rfind("helgrind-libgcc-unwind-", 0) == 0) ours += s.count;
    raise = raise || s.name.rfind("helgrind-libgcc-unwind-raise", 0) == 0;
    resume = resume || s.name == "helgrind-libgcc-unwind-resume-inner";
  }
  EXPECT_GT(ours, 0);
  EXPECT_TRUE(raise);
  EXPECT_TRUE(resume);
  // The program's own output is untouched.
  EXPECT_NE(r.out.stdout_text.find("caught 6"), std::string::npos);
}

TEST(RealValgrindOutput, DrdSeesNothingWhenTwoThreadsThrow) {
  // DRD intercepts pthread_once, so the unwinder's set-up is ordered for it: casebook.supp
  // needs no DRD entry for this, and the program is clean without the file.
  REQUIRE_VALGRIND();
  ToolRun r = run_under("drd", PARSE_PROGRAM_VALGRIND_CONCURRENT_THROW);
  SCOPED_TRACE(describe(r.parsed, r.out));
  EXPECT_EQ(r.out.exit_code, 0);
  EXPECT_TRUE(r.parsed.findings.empty());
}

// Whether a suppression whose name starts with `prefix` fired. Which entry of a family fires
// depends on which thread gets to the runtime's one-time set-up first.
bool has_suppression(const ValgrindOutput& parsed, const std::string& prefix) {
  return std::any_of(
      parsed.suppressed.begin(), parsed.suppressed.end(),
      [&](const SuppressionCount& s) { return s.name.rfind(prefix, 0) == 0 && s.count > 0; });
}

// Two threads formatting into their own std::ostringstream and printing with printf: both
// tools report the classic locale's first-use set-up and caches in libstdc++, and DRD the
// stdout buffer under libc's stdio; casebook.supp silences all of it, in both tools.
TEST(RealValgrindOutput, RuntimeCachesAreReportedWithoutTheSuppressionsAndSilencedWithThem) {
  REQUIRE_VALGRIND();
  for (const std::string tool : {"helgrind", "drd"}) {
    ToolRun without = run_under(tool, PARSE_PROGRAM_VALGRIND_RUNTIME_CACHES);
    SCOPED_TRACE(tool + " without: " + describe(without.parsed, without.out));
    EXPECT_EQ(without.out.exit_code, 66);
    ASSERT_FALSE(without.parsed.findings.empty());
    for (const auto& f : without.parsed.findings) {
      EXPECT_EQ(f.kind, "data-race");
      ASSERT_FALSE(f.stacks.empty());
      const auto& frames = f.stacks[0].frames;
      ASSERT_GE(frames.size(), 2u);
      // In the C++ runtime, or DRD's mempcpy copying into stdout's buffer for libc.
      const bool runtime =
          frames[0].module.rfind("libstdc++.so", 0) == 0 ||
          (frames[0].function == "mempcpy" && frames[1].function == "_IO_new_file_xsputn");
      EXPECT_TRUE(runtime) << f.raw;
    }

    ToolRun with = run_under(tool, PARSE_PROGRAM_VALGRIND_RUNTIME_CACHES,
                             {"--suppressions=" + shipped_suppressions()});
    SCOPED_TRACE(tool + " with: " + describe(with.parsed, with.out));
    EXPECT_EQ(with.out.exit_code, 0);
    EXPECT_TRUE(with.parsed.complete);
    EXPECT_TRUE(with.parsed.findings.empty());
    EXPECT_TRUE(has_suppression(with.parsed, tool + "-libstdcxx-"));
    if (tool == "drd") {
      EXPECT_TRUE(has_suppression(with.parsed, "drd-libc-stdio-xsputn-mempcpy"));
    }
    EXPECT_NE(with.out.stdout_text.find("sensor 2: 22 C, 1 V"), std::string::npos);
  }
}

// A worker holding the last reference to a std::shared_ptr: both tools report libstdc++'s
// plain stores in _M_release (the counts reset after an acquire load they cannot see as
// ordering); casebook.supp silences exactly that report, in both tools.
TEST(RealValgrindOutput, SharedPtrLastReleaseIsReportedWithoutTheSuppressionsAndSilencedWithThem) {
  REQUIRE_VALGRIND();
  for (const std::string tool : {"helgrind", "drd"}) {
    ToolRun without = run_under(tool, PARSE_PROGRAM_VALGRIND_SHARED_PTR_RELEASE);
    SCOPED_TRACE(tool + " without: " + describe(without.parsed, without.out));
    EXPECT_EQ(without.out.exit_code, 66);
    ASSERT_EQ(without.parsed.findings.size(), 1u);
    const auto& f = without.parsed.findings[0];
    EXPECT_EQ(f.kind, "data-race");
    ASSERT_FALSE(f.stacks.empty());
    ASSERT_FALSE(f.stacks[0].frames.empty());
    EXPECT_EQ(f.stacks[0].frames[0].function, "_M_release") << f.raw;

    ToolRun with = run_under(tool, PARSE_PROGRAM_VALGRIND_SHARED_PTR_RELEASE,
                             {"--suppressions=" + shipped_suppressions()});
    SCOPED_TRACE(tool + " with: " + describe(with.parsed, with.out));
    EXPECT_EQ(with.out.exit_code, 0);
    EXPECT_TRUE(with.parsed.findings.empty());
    EXPECT_TRUE(has_suppression(with.parsed, tool + "-libstdcxx-shared-ptr-last-release"));
    EXPECT_NE(with.out.stdout_text.find("readings sum to 83"), std::string::npos);
  }
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RealValgrindOutput, KilledMidRunKeepsTheErrorsWritten) {
  REQUIRE_VALGRIND();
  const std::string program = "valgrind_race_then_block";
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "casebook-vgkill-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir_template.data()), nullptr);
  const std::filesystem::path dir = dir_template;
  const std::filesystem::path xml = dir / "log.xml";
  std::vector<std::string> words = {kValgrind};
  for (auto& a : valgrind_args("helgrind", PARSE_PROGRAM_VALGRIND_RACE_THEN_BLOCK)) {
    words.push_back(a == "--xml-file=@LOG@.%p" ? "--xml-file=" + xml.string() : a);
  }
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, kValgrind, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  // Until the first error is in the file (at most 120 s: Valgrind on a loaded machine).
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (text.find("</error>") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = read_text(xml);
  }
  kill(pid, SIGKILL);  // as the runner's timeout does: no chance to finish the document
  int status = 0;
  waitpid(pid, &status, 0);
  text = read_text(xml);
  std::filesystem::remove_all(dir);
  ASSERT_NE(text.find("</error>"), std::string::npos) << text;
  EXPECT_TRUE(WIFSIGNALED(status));

  ValgrindOutput parsed = parse_valgrind_xml(text, kRoot);
  EXPECT_FALSE(parsed.complete);
  EXPECT_EQ(parsed.problem.rfind("document 1 ends before </valgrindoutput>", 0), 0u)
      << parsed.problem;
  ASSERT_FALSE(parsed.findings.empty()) << text;
  EXPECT_EQ(parsed.findings[0].kind, "data-race");
  EXPECT_TRUE(has_frame_at(parsed.findings[0], relative_source(program), expected_line(program)));
}

}  // namespace
}  // namespace casebook
