// stack_capture_test.cpp - gdb stacks of a real hung child, taken from the on_timeout hook.
#include "runner/stack_capture.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runner/process.hpp"

namespace casebook {
namespace {

using std::chrono::milliseconds;

bool gdb_installed() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/gdb";
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

TEST(CaptureThreadStacks, StacksOfAHungChildFromTheTimeoutHook) {
  if (!gdb_installed()) GTEST_SKIP() << "gdb is not installed";
  ProcessSpec spec;
  spec.argv = {CASEBOOK_RUNNER_TEST_CHILD, "threads-sleep"};
  spec.timeout = milliseconds(400);
  spec.term_grace = milliseconds(200);
  spec.on_timeout = [](pid_t pid) { return capture_thread_stacks(pid); };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.stdout_text, "ready\n");
  if (r.timeout_evidence.find("ptrace") != std::string::npos &&
      r.timeout_evidence.find("#0") == std::string::npos) {
    GTEST_SKIP() << "gdb may not attach here:\n" << r.timeout_evidence;
  }
  EXPECT_NE(r.timeout_evidence.find("Thread"), std::string::npos) << r.timeout_evidence;
  EXPECT_NE(r.timeout_evidence.find("#0"), std::string::npos) << r.timeout_evidence;
  // main and the two sleeping threads
  EXPECT_NE(r.timeout_evidence.find("Thread 3"), std::string::npos) << r.timeout_evidence;
}

TEST(CaptureGroupStacks, ShowsEveryProcessOfTheGroupLeaderFirst) {
  if (!gdb_installed()) GTEST_SKIP() << "gdb is not installed";
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
  if (r.timeout_evidence.find("#0") == std::string::npos) {
    GTEST_SKIP() << "gdb may not attach here:\n" << r.timeout_evidence;
  }
  const auto leader = r.timeout_evidence.find("Process " + std::to_string(members[0]));
  const auto forked = r.timeout_evidence.find("Process " + std::to_string(members[1]));
  ASSERT_NE(leader, std::string::npos) << r.timeout_evidence;
  ASSERT_NE(forked, std::string::npos) << r.timeout_evidence;
  EXPECT_LT(leader, forked);
  EXPECT_NE(r.timeout_evidence.find("forked by the trial"), std::string::npos);
}

TEST(CaptureGroupStacks, AGroupOfOneIsJustItsStacks) {
  if (!gdb_installed()) GTEST_SKIP() << "gdb is not installed";
  ProcessSpec spec;
  spec.argv = {CASEBOOK_RUNNER_TEST_CHILD, "threads-sleep"};
  spec.timeout = milliseconds(400);
  spec.term_grace = milliseconds(200);
  spec.on_timeout = [](pid_t pid) { return capture_group_stacks(pid); };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.timed_out);
  EXPECT_EQ(r.timeout_evidence.find("Process "), std::string::npos) << r.timeout_evidence;
}

TEST(CaptureThreadStacks, ExplainsWhenThereIsNothingToAttachTo) {
  if (!gdb_installed()) GTEST_SKIP() << "gdb is not installed";
  // Above pid_max (at most 4194304): no such process, so gdb must fail and the text say so.
  const pid_t gone = 99999999;
  std::string text = capture_thread_stacks(gone, std::chrono::seconds(20));
  EXPECT_NE(text.find("gdb printed no stack"), std::string::npos) << text;
}

TEST(CaptureThreadStacks, SaysHowToGetGdbWhenItIsMissing) {
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
  EXPECT_EQ(text, "gdb not found: install the gdb package to get stacks of hung processes\n");
}

}  // namespace
}  // namespace casebook
