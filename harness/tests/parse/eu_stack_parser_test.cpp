// eu_stack_parser_test.cpp - `eu-stack -p PID -i -s -m` output of elfutils 0.188 (Debian 12),
// and parse_hang_stacks over eu-stack's and gdb's blocks of one forked trial.
#include "parse/eu_stack_parser.hpp"

#include <gtest/gtest.h>

#include "parse/hang_stacks.hpp"

namespace casebook {
namespace {

constexpr std::string_view kRoot = "/home/dev/casebook";

// A hung lost_wakeup/broken: the main thread in join(), a waiter whose lambda is inlined into
// its thread's _M_run (one address, several frames), a frame eu-stack names no function for.
constexpr std::string_view kTwoThreads =
    R"(PID 31191 - process
TID 31191:
#0  0x00007f8486aa3f16 __futex_abstimed_wait_common64 - /usr/lib/x86_64-linux-gnu/libc.so.6
    ./nptl/futex-internal.c:57:12
#1  0x00007f8486cd4517 std::thread::join() - /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30
#2  0x0000558ba11b6afe (anonymous namespace)::run(cb::params const&) - /home/dev/casebook/build/bin/casebook-cases-plain
    /home/dev/casebook/cases/lost_wakeup/broken.cpp:96:10
TID 31192:
#0  0x00007f8486aa65d8 ___pthread_cond_wait - /usr/lib/x86_64-linux-gnu/libc.so.6
    ./nptl/pthread_cond_wait.c:618:10
#1  0x0000558ba11b758b void std::condition_variable::wait<(anonymous namespace)::run(cb::params const&)::$_0::operator()() const::{lambda()#1}>(std::unique_lock<std::mutex>&, (anonymous namespace)::run(cb::params const&)::$_0::operator()() const::{lambda()#1}) - /home/dev/casebook/build/bin/casebook-cases-plain
    /usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/condition_variable:102:4
#2  0x0000558ba11b758b (anonymous namespace)::run(cb::params const&)::$_0::operator()() const - /home/dev/casebook/build/bin/casebook-cases-plain
    /home/dev/casebook/cases/lost_wakeup/broken.cpp:63:19
#3  0x00007f8486cd44a3 - /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30
#4  0x00007f8486aa71f5 start_thread - /usr/lib/x86_64-linux-gnu/libc.so.6
    ./nptl/pthread_create.c:442:8
)";

TEST(EuStackParser, ThreadsFramesModulesAndLines) {
  const auto stacks = parse_eu_stack(kTwoThreads, kRoot);
  ASSERT_EQ(stacks.size(), 2u);
  EXPECT_EQ(stacks[0].title, "TID 31191:");
  EXPECT_EQ(stacks[0].thread, "Thread 1 (LWP 31191)");
  EXPECT_EQ(stacks[1].thread, "Thread 2 (LWP 31192)");
  ASSERT_EQ(stacks[0].frames.size(), 3u);
  const Frame& join = stacks[0].frames[1];
  EXPECT_EQ(join.index, 1);
  EXPECT_EQ(join.function, "std::thread::join()");
  EXPECT_EQ(join.module, "libstdc++.so.6.0.30");
  EXPECT_TRUE(join.file.empty());
  EXPECT_EQ(join.line, 0);
  const Frame& run = stacks[0].frames[2];
  EXPECT_EQ(run.function, "(anonymous namespace)::run(cb::params const&)");
  EXPECT_EQ(run.module, "casebook-cases-plain");
  EXPECT_EQ(run.file, "cases/lost_wakeup/broken.cpp");  // relative to the source root
  EXPECT_EQ(run.line, 96);
  EXPECT_EQ(run.column, 10);
}

TEST(EuStackParser, InlinedFramesAndFramesWithoutAName) {
  const auto stacks = parse_eu_stack(kTwoThreads, kRoot);
  ASSERT_EQ(stacks.size(), 2u);
  const auto& frames = stacks[1].frames;
  ASSERT_EQ(frames.size(), 5u);
  // The inlined wait and the lambda it was inlined into: one frame each, each with its line.
  EXPECT_NE(frames[1].function.find("std::condition_variable::wait<"), std::string::npos);
  EXPECT_EQ(frames[1].line, 102);
  EXPECT_EQ(frames[2].file, "cases/lost_wakeup/broken.cpp");
  EXPECT_EQ(frames[2].line, 63);
  EXPECT_EQ(frames[3].function, "<null>");
  EXPECT_EQ(frames[3].module, "libstdc++.so.6.0.30");
  EXPECT_EQ(frames[3].line, 0);
  EXPECT_EQ(frames[4].function, "start_thread");
  EXPECT_EQ(frames[4].file, "nptl/pthread_create.c");
}

TEST(EuStackParser, ChatterAndEmptyTextGiveNoStacks) {
  EXPECT_TRUE(parse_eu_stack("", kRoot).empty());
  EXPECT_TRUE(
      parse_eu_stack("eu-stack: dwfl_linux_proc_attach pid 7: No such process\n", kRoot).empty());
}

TEST(HangStacks, EachProcessBlockIsReadByItsOwnToolsParser) {
  // A trial that forked: the leader's stacks by eu-stack, the child's by gdb (its fallback).
  std::string text = "Process 31191 (casebook-cases-), the trial's own:\n";
  text += kTwoThreads;
  text +=
      "Process 31200 (casebook-cases-), forked by the trial:\n"
      "Thread 1 (Thread 0x7f (LWP 31200) \"casebook-cases-\"):\n"
      "#0  0x00007f in __libc_pause () from /lib/x86_64-linux-gnu/libc.so.6\n"
      "#1  0x000055 in main () at /home/dev/casebook/cases/x/broken.cpp:22\n";
  const auto stacks = parse_hang_stacks(text, kRoot);
  ASSERT_EQ(stacks.size(), 3u);
  EXPECT_EQ(stacks[0].thread, "Thread 1 (LWP 31191)");
  EXPECT_EQ(stacks[1].frames[2].line, 63);
  EXPECT_EQ(stacks[2].thread, "Thread 1 (LWP 31200)");
  ASSERT_EQ(stacks[2].frames.size(), 2u);
  EXPECT_EQ(stacks[2].frames[1].file, "cases/x/broken.cpp");
  EXPECT_EQ(stacks[2].frames[1].line, 22);
  // One process, no header: just its tool's stacks.
  EXPECT_EQ(parse_hang_stacks(kTwoThreads, kRoot).size(), 2u);
}

}  // namespace
}  // namespace casebook
