// stack_capture_test.cpp - stacks of a real hung child, taken from the on_timeout hook: eu-stack
// where it gives the program's source lines, gdb where it does not, and either alone when
// CASEBOOK_STACK_TOOL says so.
#include "process/stack_capture.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "process/process.hpp"

namespace casebook {
namespace {

using std::chrono::milliseconds;

bool installed(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + tool;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

bool gdb_installed() {
  return installed("gdb");
}

// Whether `tool` itself can read a process's stacks on this machine (ptrace may be refused in
// a container): the tool run by hand, casebook's code left out, on a sleeping child. A test
// skips only when this says no; when it says yes, a capture without a "#0" frame is casebook's
// failure and the test fails.
bool tool_can_attach(const std::string& tool) {
  if (!installed(tool)) return false;
  const pid_t child = ::fork();
  if (child == 0) {
    ::execl(CASEBOOK_RUNNER_TEST_CHILD, CASEBOOK_RUNNER_TEST_CHILD, "sleep", "5000",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (child < 0) return false;
  ::usleep(200 * 1000);  // past exec, into the sleep
  ProcessSpec spec;
  spec.argv = tool == "gdb"
                  ? std::vector<std::string>{"gdb", "-batch", "-nx", "-p", std::to_string(child),
                                             "-ex", "bt"}
                  : std::vector<std::string>{"eu-stack", "-p", std::to_string(child)};
  spec.timeout = milliseconds(20000);
  const ProcessResult r = run_process(spec);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  return (r.stdout_text + r.stderr_text).find("#0") != std::string::npos;
}

// Sets CASEBOOK_STACK_TOOL for one test (no other thread reads the environment meanwhile: the
// hook runs while run_process waits).
class StackTool {
 public:
  explicit StackTool(const char* tool) { ::setenv("CASEBOOK_STACK_TOOL", tool, 1); }
  ~StackTool() { ::unsetenv("CASEBOOK_STACK_TOOL"); }
  StackTool(const StackTool&) = delete;
  StackTool& operator=(const StackTool&) = delete;
};

// The hung child `binary` in mode threads-sleep (three threads), its stacks taken at the timeout.
ProcessResult hung_threads(const char* binary) {
  ProcessSpec spec;
  spec.argv = {binary, "threads-sleep"};
  spec.timeout = milliseconds(400);
  spec.term_grace = milliseconds(200);
  spec.on_timeout = [](pid_t pid) { return capture_thread_stacks(pid); };
  return run_process(spec);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(CaptureThreadStacks, EuStackGivesEveryThreadWithTheProgramsSourceLines) {
  if (!tool_can_attach("eu-stack")) GTEST_SKIP() << "eu-stack is missing or may not attach here";
  const ProcessResult r = hung_threads(CASEBOOK_RUNNER_TEST_CHILD_LINES);
  ASSERT_TRUE(r.timed_out);
  EXPECT_EQ(count(r.timeout_evidence, "\nTID "), 3u) << r.timeout_evidence;
  EXPECT_NE(r.timeout_evidence.find("runner_test_child.cpp:"), std::string::npos)
      << r.timeout_evidence;
  EXPECT_EQ(r.timeout_evidence.find("Thread 1 ("), std::string::npos) << "not gdb's";
}

TEST(CaptureThreadStacks, FallsBackToGdbWhenEuStackHasNoSourceLines) {
  if (!tool_can_attach("gdb")) GTEST_SKIP() << "gdb is missing or may not attach here";
  // No debug info: eu-stack can name no line of the program, so gdb takes the stacks.
  const ProcessResult r = hung_threads(CASEBOOK_RUNNER_TEST_CHILD_BARE);
  ASSERT_TRUE(r.timed_out);
  EXPECT_NE(r.timeout_evidence.find("#0"), std::string::npos) << r.timeout_evidence;
  EXPECT_NE(r.timeout_evidence.find("Thread 3 ("), std::string::npos) << r.timeout_evidence;
  EXPECT_EQ(r.timeout_evidence.find("\nTID "), std::string::npos) << r.timeout_evidence;
}

TEST(CaptureThreadStacks, EuStackAloneSaysWhenItHasNoLines) {
  StackTool only("eu-stack");
  const ProcessResult r = hung_threads(CASEBOOK_RUNNER_TEST_CHILD_BARE);
  ASSERT_TRUE(r.timed_out);
  EXPECT_NE(r.timeout_evidence.find("eu-stack printed no stack with the program's source lines"),
            std::string::npos)
      << r.timeout_evidence;
}

TEST(CaptureThreadStacks, StacksOfAHungChildFromTheTimeoutHook) {
  if (!tool_can_attach("gdb")) GTEST_SKIP() << "gdb is missing or may not attach here";
  StackTool only("gdb");
  ProcessSpec spec;
  spec.argv = {CASEBOOK_RUNNER_TEST_CHILD, "threads-sleep"};
  spec.timeout = milliseconds(400);
  spec.term_grace = milliseconds(200);
  spec.on_timeout = [](pid_t pid) { return capture_thread_stacks(pid); };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.stdout_text, "ready\n");
  EXPECT_NE(r.timeout_evidence.find("Thread"), std::string::npos) << r.timeout_evidence;
  EXPECT_NE(r.timeout_evidence.find("#0"), std::string::npos) << r.timeout_evidence;
  // main and the two sleeping threads
  EXPECT_NE(r.timeout_evidence.find("Thread 3"), std::string::npos) << r.timeout_evidence;
}

TEST(CaptureGroupStacks, ShowsEveryProcessOfTheGroupLeaderFirst) {
  if (!tool_can_attach("gdb") && !tool_can_attach("eu-stack")) {
    GTEST_SKIP() << "neither gdb nor eu-stack may attach here";
  }
  ProcessSpec spec;
  spec.argv = {CASEBOOK_RUNNER_TEST_CHILD, "orphan-hang"};  // forks a grandchild; both hang
  spec.timeout = milliseconds(400);
  spec.term_grace = milliseconds(200);
  std::vector<pid_t> members;
  spec.on_timeout = [&members](pid_t pid) {
    members = process_group_members(pid);
    return capture_group_stacks(pid);
  };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.timed_out);
  ASSERT_EQ(members.size(), 2u) << "the leader and the grandchild it forked";
  EXPECT_NE(r.timeout_evidence.find("#0"), std::string::npos) << r.timeout_evidence;
  const auto leader = r.timeout_evidence.find("Process " + std::to_string(members[0]));
  const auto forked = r.timeout_evidence.find("Process " + std::to_string(members[1]));
  ASSERT_NE(leader, std::string::npos) << r.timeout_evidence;
  ASSERT_NE(forked, std::string::npos) << r.timeout_evidence;
  EXPECT_LT(leader, forked);
  EXPECT_NE(r.timeout_evidence.find("forked by the trial"), std::string::npos);
}

TEST(CaptureGroupStacks, AGroupOfOneIsJustItsStacks) {
  if (!tool_can_attach("gdb") && !tool_can_attach("eu-stack")) {
    GTEST_SKIP() << "neither gdb nor eu-stack may attach here";
  }
  ProcessSpec spec;
  spec.argv = {CASEBOOK_RUNNER_TEST_CHILD, "threads-sleep"};
  spec.timeout = milliseconds(400);
  spec.term_grace = milliseconds(200);
  spec.on_timeout = [](pid_t pid) { return capture_group_stacks(pid); };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.timed_out);
  // The one process's stacks, all three threads of it, without a per-process heading.
  EXPECT_EQ(r.timeout_evidence.find("Process "), std::string::npos) << r.timeout_evidence;
  EXPECT_NE(r.timeout_evidence.find("#0"), std::string::npos) << r.timeout_evidence;
  const bool three_threads = r.timeout_evidence.find("Thread 3 (") != std::string::npos ||
                             count(r.timeout_evidence, "\nTID ") == 3;
  EXPECT_TRUE(three_threads) << r.timeout_evidence;
}

TEST(CaptureThreadStacks, ExplainsWhenThereIsNothingToAttachTo) {
  if (!gdb_installed()) GTEST_SKIP() << "gdb is not installed";
  // eu-stack finds no such process either, and gdb, tried next, says so.
  // Above pid_max (at most 4194304): no such process, so gdb must fail and the text say so.
  const pid_t gone = 99999999;
  std::string text = capture_thread_stacks(gone, std::chrono::seconds(20));
  EXPECT_NE(text.find("gdb printed no stack"), std::string::npos) << text;
}

TEST(CaptureThreadStacks, SaysHowToGetAToolWhenBothAreMissing) {
  // No other thread runs here, so changing PATH for the duration of the call is safe.
  const char* saved = std::getenv("PATH");
  std::string old_path = saved != nullptr ? saved : "";
  ASSERT_EQ(::setenv("PATH", "/nonexistent/casebook", 1), 0);
  std::string text = capture_thread_stacks(::getpid(), std::chrono::seconds(5));
  if (saved != nullptr) {
    ::setenv("PATH", old_path.c_str(), 1);
  } else {
    ::unsetenv("PATH");
  }
  EXPECT_EQ(text,
            "neither eu-stack nor gdb gave stacks: install elfutils (eu-stack) or gdb to get "
            "stacks of hung processes\n");
}

}  // namespace
}  // namespace casebook
