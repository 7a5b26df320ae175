// gdb_parser_test.cpp - `thread apply all bt` output of gdb 13 (Debian 12), with its chatter.
#include "parse/gdb_parser.hpp"

#include <gtest/gtest.h>

namespace casebook {
namespace {

constexpr std::string_view kRoot = "/home/dev/casebook";

constexpr std::string_view kTwoThreads = R"([New LWP 4511]
[Thread debugging using libthread_db enabled]
Using host libthread_db library "/lib/x86_64-linux-gnu/libthread_db.so.1".
0x00007f783b611df2 in __libc_pause () at ../sysdeps/unix/sysv/linux/pause.c:29
29	../sysdeps/unix/sysv/linux/pause.c: No such file or directory.

Thread 2 (Thread 0x7f783b53d6c0 (LWP 4511) "casebook-cases-"):
#0  futex_wait (private=0, expected=2, futex_word=0x55ba8676b048 <held>) at ../sysdeps/nptl/futex-internal.h:146
#1  __GI___lll_lock_wait (futex=futex@entry=0x55ba8676b048 <held>, private=0) at ./nptl/lowlevellock.c:49
#2  0x00007f783b5ca482 in lll_mutex_lock_optimized (mutex=0x55ba8676b048 <held>) at ./nptl/pthread_mutex_lock.c:48
#3  ___pthread_mutex_lock (mutex=0x55ba8676b048 <held>) at ./nptl/pthread_mutex_lock.c:93
#4  0x000055ba867681a5 in std::mutex::lock (this=0x55ba8676b048 <held>) at /usr/include/c++/12/bits/std_mutex.h:100
#5  0x000055ba867681b0 in (anonymous namespace)::transfer<int> (from=..., to=...) at /home/dev/casebook/cases/abba/broken.cpp:11
#6  0x00007f783b5c71f5 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442
#7  0x00007f783b6478ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81

Thread 1 (Thread 0x7f783babc740 (LWP 4509) "casebook-cases-"):
#0  0x00007f783b611df2 in __libc_pause () from /lib/x86_64-linux-gnu/libc.so.6
#1  <signal handler called>
#2  0x0000000000000000 in ?? ()
#3  0x000055ba86768215 in main () at /home/dev/casebook/cases/abba/broken.cpp:22
[Inferior 1 (process 4509) detached]
)";

TEST(GdbParser, ThreadsAndFrames) {
  auto stacks = parse_gdb_backtrace(kTwoThreads, kRoot);
  ASSERT_EQ(stacks.size(), 2u);
  EXPECT_EQ(stacks[0].title, R"(Thread 2 (Thread 0x7f783b53d6c0 (LWP 4511) "casebook-cases-"):)");
  EXPECT_EQ(stacks[0].thread, "Thread 2 (LWP 4511)");
  ASSERT_EQ(stacks[0].frames.size(), 8u);
  EXPECT_EQ(stacks[0].frames[0].index, 0);
  EXPECT_EQ(stacks[0].frames[0].function, "futex_wait");
  EXPECT_EQ(stacks[0].frames[0].file, "../sysdeps/nptl/futex-internal.h");
  EXPECT_EQ(stacks[0].frames[0].line, 146);
  EXPECT_EQ(stacks[0].frames[1].file, "nptl/lowlevellock.c");
  EXPECT_EQ(stacks[0].frames[2].function, "lll_mutex_lock_optimized");
  EXPECT_EQ(stacks[0].frames[4].function, "std::mutex::lock");
  EXPECT_EQ(stacks[0].frames[4].file, "/usr/include/c++/12/bits/std_mutex.h");
  EXPECT_EQ(stacks[0].frames[4].line, 100);
  EXPECT_EQ(stacks[0].frames[5].function, "(anonymous namespace)::transfer<int>");
  EXPECT_EQ(stacks[0].frames[5].file, "cases/abba/broken.cpp");
  EXPECT_EQ(stacks[0].frames[5].line, 11);
  EXPECT_EQ(stacks[0].frames[7].function, "clone3");

  EXPECT_EQ(stacks[1].thread, "Thread 1 (LWP 4509)");
  ASSERT_EQ(stacks[1].frames.size(), 4u);
  EXPECT_EQ(stacks[1].frames[0].function, "__libc_pause");
  EXPECT_EQ(stacks[1].frames[0].module, "libc.so.6");
  EXPECT_EQ(stacks[1].frames[0].file, "");
  EXPECT_EQ(stacks[1].frames[1].function, "<signal handler called>");
  EXPECT_EQ(stacks[1].frames[2].function, "<null>");
  EXPECT_EQ(stacks[1].frames[3].function, "main");
  EXPECT_EQ(stacks[1].frames[3].line, 22);
}

TEST(GdbParser, WrappedFrameLineAndOperatorNames) {
  constexpr std::string_view text = R"(Thread 3 (Thread 0x7f0 (LWP 77) "w"):
#0  0x00007f in std::function<void ()>::operator() (this=0x7ffc,
    __args#0=...) at /usr/include/c++/12/bits/std_function.h:591
#1  0x000055 in worker (q=std::vector of length 2 = {1, 2}) at /home/dev/casebook/cases/q/broken.cpp:40
)";
  auto stacks = parse_gdb_backtrace(text, kRoot);
  ASSERT_EQ(stacks.size(), 1u);
  ASSERT_EQ(stacks[0].frames.size(), 2u);
  EXPECT_EQ(stacks[0].frames[0].function, "std::function<void ()>::operator()");
  EXPECT_EQ(stacks[0].frames[0].line, 591);
  EXPECT_EQ(stacks[0].frames[1].function, "worker");
  EXPECT_EQ(stacks[0].frames[1].file, "cases/q/broken.cpp");
}

TEST(GdbParser, PlainBacktraceWithoutThreadHeader) {
  constexpr std::string_view text =
      "#0  main () at /home/dev/casebook/x.cpp:12\n#1  0x00007f in __libc_start_call_main () "
      "from /lib/x86_64-linux-gnu/libc.so.6\n";
  auto stacks = parse_gdb_backtrace(text, kRoot);
  ASSERT_EQ(stacks.size(), 1u);
  EXPECT_EQ(stacks[0].title, "");
  EXPECT_EQ(stacks[0].thread, "");
  ASSERT_EQ(stacks[0].frames.size(), 2u);
  EXPECT_EQ(stacks[0].frames[0].file, "x.cpp");
  EXPECT_EQ(stacks[0].frames[0].line, 12);
  EXPECT_EQ(stacks[0].frames[1].module, "libc.so.6");
}

TEST(GdbParser, NothingToParse) {
  EXPECT_TRUE(parse_gdb_backtrace("", kRoot).empty());
  EXPECT_TRUE(parse_gdb_backtrace("ptrace: Operation not permitted.\nNo stack.\n", kRoot).empty());
}

}  // namespace
}  // namespace casebook
