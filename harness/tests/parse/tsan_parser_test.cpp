// tsan_parser_test.cpp - hand-written TSan logs (shaped after real clang-14 and gcc-12 output)
// for the edge cases: several reports, interleaved program output, cut-off logs, fatal errors.
#include "parse/tsan_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace casebook {
namespace {

constexpr std::string_view kRoot = "/home/dev/casebook";

// clang-14, with program output before, inside and after the report (stderr capture).
constexpr std::string_view kDataRace = R"(starting 2 workers
==================
WARNING: ThreadSanitizer: data race (pid=3364)
  Write of size 8 at 0x55bc7fd8c668 by thread T2 (mutexes: write M7):
    #0 (anonymous namespace)::bump_once() /home/dev/casebook/cases/race/broken.cpp:10:11 (race+0xd4445) (BuildId: 456e)
    #1 (anonymous namespace)::bump(void*) /home/dev/casebook/cases/race/broken.cpp:14:33 (race+0xd4404) (BuildId: 456e)

  Previous write of size 8 at 0x55bc7fd8c668 by thread T1:
    #0 (anonymous namespace)::bump_once() /home/dev/casebook/cases/race/broken.cpp:10:11 (race+0xd4445) (BuildId: 456e)
    #1 (anonymous namespace)::bump(void*) /home/dev/casebook/cases/race/broken.cpp:14:33 (race+0xd4404) (BuildId: 456e)

  Location is global 'counter' of size 8 at 0x55bc7fd8c668 (race+0x14fb668)

  Mutex M7 (0x55bc7fd8c700) created at:
    #0 pthread_mutex_lock <null> (race+0x70f9a) (BuildId: 456e)
    #1 main /home/dev/casebook/cases/race/broken.cpp:20:3 (race+0xd4300) (BuildId: 456e)

  Thread T2 (tid=3367, running) created by main thread at:
    #0 pthread_create <null> (race+0x533bd) (BuildId: 456e)
    #1 main /home/dev/casebook/cases/race/broken.cpp:23:3 (race+0xd436d) (BuildId: 456e)

  Thread T1 (tid=3366, finished) created by thread T5 at:
    #0 pthread_create <null> (race+0x533bd) (BuildId: 456e)
    #1 main /home/dev/casebook/cases/race/broken.cpp:22:3 (race+0xd435d) (BuildId: 456e)

SUMMARY: ThreadSanitizer: data race /home/dev/casebook/cases/race/broken.cpp:10:11 in (anonymous namespace)::bump_once()
==================
counter=200
ThreadSanitizer: reported 1 warnings
)";

TEST(TsanParser, DataRaceFields) {
  auto findings = parse_tsan(kDataRace, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "tsan");
  EXPECT_EQ(f.kind, "data-race");
  EXPECT_EQ(f.summary,
            "data race cases/race/broken.cpp:10:11 in (anonymous namespace)::bump_once()");
  EXPECT_EQ(f.location, "global 'counter' of size 8");
  EXPECT_EQ(f.mutexes, std::vector<std::string>{"M7"});
  EXPECT_TRUE(f.lock_cycle.empty());
  ASSERT_EQ(f.stacks.size(), 5u);
  EXPECT_EQ(f.stacks[0].title,
            "Write of size 8 at 0x55bc7fd8c668 by thread T2 (mutexes: write M7)");
  EXPECT_EQ(f.stacks[0].thread, "T2");
  ASSERT_EQ(f.stacks[0].frames.size(), 2u);
  EXPECT_EQ(f.stacks[0].frames[0].function, "(anonymous namespace)::bump_once()");
  EXPECT_EQ(f.stacks[0].frames[0].file, "cases/race/broken.cpp");
  EXPECT_EQ(f.stacks[0].frames[0].line, 10);
  EXPECT_EQ(f.stacks[0].frames[0].column, 11);
  EXPECT_EQ(f.stacks[0].frames[1].index, 1);
  EXPECT_EQ(f.stacks[1].title, "Previous write of size 8 at 0x55bc7fd8c668 by thread T1");
  EXPECT_EQ(f.stacks[1].thread, "T1");
  EXPECT_EQ(f.stacks[2].title, "Mutex M7 (0x55bc7fd8c700) created at");
  EXPECT_EQ(f.stacks[2].thread, "");
  EXPECT_EQ(f.stacks[3].title, "Thread T2 (tid=3367, running) created by main thread at");
  EXPECT_EQ(f.stacks[3].thread, "main thread");  // the creator ran these frames
  EXPECT_EQ(f.stacks[4].thread, "T5");
  // raw: from the banner through SUMMARY, nothing of the program's output.
  EXPECT_EQ(f.raw.substr(0, 44), "WARNING: ThreadSanitizer: data race (pid=336");
  EXPECT_NE(f.raw.find("SUMMARY: ThreadSanitizer: data race"), std::string::npos);
  EXPECT_EQ(f.raw.back(), ')');
  EXPECT_EQ(f.raw.find("counter=200"), std::string::npos);
  EXPECT_EQ(f.raw.find("starting"), std::string::npos);
}

// gcc-12: no columns, runtime frames with relative paths, mutex ids that do not start at 0.
constexpr std::string_view kLockOrder = R"(==================
WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=3202)
  Cycle in lock order graph: M9 (0x55c225cf0100) => M10 (0x55c225cf00c0) => M9

  Mutex M10 acquired here while holding mutex M9 in thread T1:
    #0 pthread_mutex_lock ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:4324 (libtsan.so.2+0x558e1)
    #1 __gthread_mutex_lock /usr/include/x86_64-linux-gnu/c++/12/bits/gthr-default.h:749 (lo+0x13df)
    #2 std::mutex::lock() /usr/include/c++/12/bits/std_mutex.h:100 (lo+0x13df)
    #3 operator() /home/dev/casebook/cases/abba/broken.cpp:12 (lo+0x13df)
    #4 <null> <null> (libstdc++.so.6+0xd44a2)

  Mutex M9 previously acquired by the same thread here:
    #0 pthread_mutex_lock ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:4324 (libtsan.so.2+0x558e1)
    #1 operator() /home/dev/casebook/cases/abba/broken.cpp:11 (lo+0x13cf)

  Mutex M9 acquired here while holding mutex M10 in thread T2:
    #0 pthread_mutex_lock ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:4324 (libtsan.so.2+0x558e1)
    #1 operator() /home/dev/casebook/cases/abba/broken.cpp:17 (lo+0x135b)

  Mutex M10 previously acquired by the same thread here:
    #0 pthread_mutex_lock ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:4324 (libtsan.so.2+0x558e1)
    #1 operator() /home/dev/casebook/cases/abba/broken.cpp:16 (lo+0x134b)

  Thread T1 (tid=3204, finished) created by main thread at:
    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 (libtsan.so.2+0x5e686)
    #1 std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, std::default_delete<std::thread::_State> >, void (*)()) <null> (libstdc++.so.6+0xd4578)
    #2 __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58 (libc.so.6+0x27249)

SUMMARY: ThreadSanitizer: lock-order-inversion (potential deadlock) /usr/include/x86_64-linux-gnu/c++/12/bits/gthr-default.h:749 in __gthread_mutex_lock
==================
)";

TEST(TsanParser, LockOrderInversionMutexesCycleAndThreads) {
  auto findings = parse_tsan(kLockOrder, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.kind, "lock-order-inversion");
  EXPECT_EQ(f.mutexes, (std::vector<std::string>{"M9", "M10"}));
  EXPECT_EQ(f.lock_cycle, (std::vector<std::string>{"M9", "M10", "M9"}));
  ASSERT_EQ(f.stacks.size(), 5u);
  EXPECT_EQ(f.stacks[0].title, "Mutex M10 acquired here while holding mutex M9 in thread T1");
  EXPECT_EQ(f.stacks[0].thread, "T1");
  EXPECT_EQ(f.stacks[1].thread, "T1");  // "by the same thread"
  EXPECT_EQ(f.stacks[2].thread, "T2");
  EXPECT_EQ(f.stacks[3].thread, "T2");
  EXPECT_EQ(f.stacks[4].thread, "main thread");
  ASSERT_EQ(f.stacks[0].frames.size(), 5u);
  EXPECT_EQ(f.stacks[0].frames[3].function, "operator()");
  EXPECT_EQ(f.stacks[0].frames[3].file, "cases/abba/broken.cpp");
  EXPECT_EQ(f.stacks[0].frames[3].line, 12);
  EXPECT_EQ(f.stacks[0].frames[3].column, 0);
  EXPECT_EQ(f.stacks[2].frames[1].line, 17);
  EXPECT_EQ(f.stacks[4].frames[2].file, "../sysdeps/nptl/libc_start_call_main.h");
  EXPECT_EQ(f.summary,
            "lock-order-inversion (potential deadlock) "
            "/usr/include/x86_64-linux-gnu/c++/12/bits/gthr-default.h:749 in __gthread_mutex_lock");
}

// Two reports whose first stacks have no title, a stack titled "and", a second Location line.
constexpr std::string_view kMutexMisuse = R"(==================
WARNING: ThreadSanitizer: destroy of a locked mutex (pid=3194)
    #0 pthread_mutex_destroy <null> (d+0x54d2a) (BuildId: 7073)
    #1 main /home/dev/casebook/cases/d/broken.cpp:10:3 (d+0xd434f) (BuildId: 7073)

  and:
    #0 pthread_mutex_lock <null> (d+0x70f3a) (BuildId: 7073)
    #1 main /home/dev/casebook/cases/d/broken.cpp:9:3 (d+0xd4347) (BuildId: 7073)

  Location is stack of main thread.

  Location is global '??' at 0x7ffe7a2e9000 ([stack]+0x20100)

  Mutex M0 (0x7ffe7a309100) created at:
    #0 pthread_mutex_init <null> (d+0x54baf) (BuildId: 7073)
    #1 main /home/dev/casebook/cases/d/broken.cpp:8:3 (d+0xd433f) (BuildId: 7073)

SUMMARY: ThreadSanitizer: destroy of a locked mutex (/tmp/b/d+0x54d2a) (BuildId: 7073) in pthread_mutex_destroy
==================
==================
WARNING: ThreadSanitizer: unlock of an unlocked mutex (or by a wrong thread) (pid=3194)
    #0 pthread_mutex_unlock <null> (d+0x710da) (BuildId: 7073)
    #1 main /home/dev/casebook/cases/d/broken.cpp:17:3 (d+0xd4361) (BuildId: 7073)

  Location is global 'never_locked' of size 40 at 0x5632287fe668 (d+0x14fb668)

  Mutex M1 (0x5632287fe668) created at:
    #0 pthread_mutex_unlock <null> (d+0x710da) (BuildId: 7073)
    #1 main /home/dev/casebook/cases/d/broken.cpp:17:3 (d+0xd4361) (BuildId: 7073)

SUMMARY: ThreadSanitizer: unlock of an unlocked mutex (or by a wrong thread) (/tmp/b/d+0x710da) (BuildId: 7073) in __interceptor_pthread_mutex_unlock
==================
ThreadSanitizer: reported 2 warnings
)";

TEST(TsanParser, SeveralReportsAndUntitledStacks) {
  auto findings = parse_tsan(kMutexMisuse, kRoot);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, "destroy-of-locked-mutex");
  EXPECT_EQ(findings[0].location, "stack of main thread");
  EXPECT_EQ(findings[0].mutexes, std::vector<std::string>{"M0"});
  ASSERT_EQ(findings[0].stacks.size(), 3u);
  // TSan prints these two stacks untitled and under a bare "and:"; the parser names them.
  EXPECT_EQ(findings[0].stacks[0].title, "mutex destroyed here");
  EXPECT_EQ(findings[0].stacks[0].frames[1].line, 10);
  EXPECT_EQ(findings[0].stacks[1].title, "mutex locked here, still held at destruction");
  EXPECT_EQ(findings[0].stacks[1].frames[1].line, 9);
  EXPECT_EQ(findings[1].kind, "unlock-of-unlocked-mutex");
  EXPECT_EQ(findings[1].location, "global 'never_locked' of size 40");
  EXPECT_EQ(findings[1].mutexes, std::vector<std::string>{"M1"});
  EXPECT_EQ(findings[1].summary,
            "unlock of an unlocked mutex (or by a wrong thread) (/tmp/b/d+0x710da) (BuildId: "
            "7073) in __interceptor_pthread_mutex_unlock");
  EXPECT_EQ(findings[1].raw.find("destroy of a locked"), std::string::npos);
}

TEST(TsanParser, HeapLocationIsAlsoAStack) {
  constexpr std::string_view text = R"(WARNING: ThreadSanitizer: heap-use-after-free (pid=9)
  Write of size 4 at 0x7b0400000010 by thread T1:
    #0 worker /home/dev/casebook/cases/u/broken.cpp:7 (u+0x1)

  Previous write of size 8 at 0x7b0400000010 by main thread:
    #0 operator delete(void*) <null> (u+0x2)
    #1 main /home/dev/casebook/cases/u/broken.cpp:12 (u+0x3)

  Location is heap block of size 16 at 0x7b0400000010 allocated by main thread:
    #0 operator new(unsigned long) <null> (u+0x4)
    #1 main /home/dev/casebook/cases/u/broken.cpp:10 (u+0x5)

SUMMARY: ThreadSanitizer: heap-use-after-free /home/dev/casebook/cases/u/broken.cpp:7 in worker
)";
  auto findings = parse_tsan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "heap-use-after-free");
  EXPECT_EQ(findings[0].location, "heap block of size 16");
  ASSERT_EQ(findings[0].stacks.size(), 3u);
  EXPECT_EQ(findings[0].stacks[1].thread, "main thread");
  EXPECT_EQ(findings[0].stacks[2].title,
            "Location is heap block of size 16 at 0x7b0400000010 allocated by main thread");
  EXPECT_EQ(findings[0].stacks[2].thread, "main thread");
  EXPECT_EQ(findings[0].summary, "heap-use-after-free cases/u/broken.cpp:7 in worker");
}

TEST(TsanParser, TruncatedLogStillGivesTheReport) {
  std::string text(kDataRace.substr(0, kDataRace.find("  Location is")));
  auto findings = parse_tsan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "data-race");
  EXPECT_EQ(findings[0].summary, "");
  EXPECT_EQ(findings[0].stacks.size(), 2u);
  EXPECT_EQ(findings[0].location, "");
  EXPECT_NE(findings[0].raw.find("Previous write"), std::string::npos);
}

TEST(TsanParser, TruncatedReportFollowedByAnother) {
  // The first process was killed mid-report; the log then holds a second run's report.
  std::string text(kDataRace.substr(0, kDataRace.find("  Previous write")));
  text += kLockOrder;
  auto findings = parse_tsan(text, kRoot);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, "data-race");
  EXPECT_EQ(findings[0].summary, "");
  EXPECT_EQ(findings[0].stacks.size(), 1u);
  EXPECT_EQ(findings[1].kind, "lock-order-inversion");
  EXPECT_FALSE(findings[1].summary.empty());
}

TEST(TsanParser, ReportInterleavedWithProgramOutput) {
  // Unbuffered program output from another thread lands between the report's lines, and a
  // partial line glues onto the separator.
  constexpr std::string_view text = R"(tick 1
tick 2==================
WARNING: ThreadSanitizer: data race (pid=77)
  Read of size 4 at 0x1 by thread T3:
    #0 reader() /home/dev/casebook/cases/r/broken.cpp:5:7 (r+0x1)
tick 3

  Previous write of size 4 at 0x1 by main thread:
    #0 main /home/dev/casebook/cases/r/broken.cpp:9:5 (r+0x2)

SUMMARY: ThreadSanitizer: data race /home/dev/casebook/cases/r/broken.cpp:5:7 in reader()
==================
tick 4
)";
  auto findings = parse_tsan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  ASSERT_EQ(findings[0].stacks.size(), 2u);
  EXPECT_EQ(findings[0].stacks[0].thread, "T3");
  EXPECT_EQ(findings[0].stacks[0].frames[0].line, 5);
  EXPECT_EQ(findings[0].stacks[1].thread, "main thread");
  EXPECT_EQ(findings[0].summary, "data race cases/r/broken.cpp:5:7 in reader()");
}

TEST(TsanParser, CrLfLineEndings) {
  std::string text;
  for (char c : kLockOrder) {
    if (c == '\n') text += '\r';
    text += c;
  }
  auto findings = parse_tsan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].lock_cycle, (std::vector<std::string>{"M9", "M10", "M9"}));
  EXPECT_EQ(findings[0].stacks[0].frames[3].file, "cases/abba/broken.cpp");
  EXPECT_EQ(findings[0].summary.back(), 'k');
}

TEST(TsanParser, NoReports) {
  EXPECT_TRUE(parse_tsan("", kRoot).empty());
  EXPECT_TRUE(parse_tsan("hello\n==================\nThreadSanitizer: reported 0 warnings\n", kRoot)
                  .empty());
  EXPECT_TRUE(
      parse_tsan("    #0 main /x.cpp:1 (x+0x1)\nSUMMARY: ThreadSanitizer: data race\n", kRoot)
          .empty());
}

TEST(TsanParser, FatalIsAnInfrastructureFinding) {
  constexpr std::string_view text =
      "FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000\n";
  auto findings = parse_tsan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].tool, "tsan");
  EXPECT_EQ(findings[0].kind, "sanitizer-fatal");
  EXPECT_EQ(findings[0].summary,
            "FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000");
}

TEST(TsanParser, DeadlySignal) {
  constexpr std::string_view text = R"(ThreadSanitizer:DEADLYSIGNAL
==4711==ERROR: ThreadSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55 bp 0x7f sp 0x7f T4711)
==4711==The signal is caused by a WRITE memory access.
==4711==Hint: address points to the zero page.
    #0 crash() /home/dev/casebook/cases/s/broken.cpp:3:6 (s+0xd1)
    #1 main /home/dev/casebook/cases/s/broken.cpp:8:3 (s+0xd2)

ThreadSanitizer can not provide additional info.
SUMMARY: ThreadSanitizer: SEGV /home/dev/casebook/cases/s/broken.cpp:3:6 in crash()
==4711==ABORTING
)";
  auto findings = parse_tsan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "segv");
  ASSERT_EQ(findings[0].stacks.size(), 1u);
  EXPECT_EQ(findings[0].stacks[0].title, "where it happened");
  EXPECT_EQ(findings[0].stacks[0].frames[0].line, 3);
  EXPECT_EQ(findings[0].summary, "SEGV cases/s/broken.cpp:3:6 in crash()");
}

TEST(TsanKind, Slugs) {
  EXPECT_EQ(tsan_kind("data race"), "data-race");
  EXPECT_EQ(tsan_kind("data race on vptr (ctor/dtor vs virtual call)"), "data-race-vptr");
  EXPECT_EQ(tsan_kind("lock-order-inversion (potential deadlock)"), "lock-order-inversion");
  EXPECT_EQ(tsan_kind("thread leak"), "thread-leak");
  EXPECT_EQ(tsan_kind("double lock of a mutex"), "double-lock");
  EXPECT_EQ(tsan_kind("unlock of an unlocked mutex (or by a wrong thread)"),
            "unlock-of-unlocked-mutex");
  EXPECT_EQ(tsan_kind("destroy of a locked mutex"), "destroy-of-locked-mutex");
  EXPECT_EQ(tsan_kind("use of an invalid mutex (e.g. uninitialized or destroyed)"),
            "invalid-mutex");
  EXPECT_EQ(tsan_kind("read lock of a write locked mutex"), "read-lock-of-a-write-locked-mutex");
  EXPECT_EQ(tsan_kind("read unlock of a write locked mutex"),
            "read-unlock-of-a-write-locked-mutex");
  EXPECT_EQ(tsan_kind("signal-unsafe call inside of a signal"), "signal-unsafe-call");
  EXPECT_EQ(tsan_kind("signal handler spoils errno"), "signal-handler-spoils-errno");
  EXPECT_EQ(tsan_kind("heap-use-after-free"), "heap-use-after-free");
  EXPECT_EQ(tsan_kind("heap-use-after-free (virtual call vs free)"), "heap-use-after-free");
  EXPECT_EQ(tsan_kind("mutex held in the wrong context"), "mutex-held-in-the-wrong-context");
}

// Every finding has a kind: a banner cut off after the tool's name, as a killed trial leaves it
// (found by the fuzz target, tests/fuzz/regressions/tsan_parser), is an unnamed report.
TEST(TsanParser, ABannerWithoutADescriptionIsAnUnnamedReport) {
  EXPECT_EQ(tsan_kind(""), "unnamed-report");
  EXPECT_EQ(tsan_kind("(pid=4242)"), "unnamed-report");
  auto findings = parse_tsan("WARNING: ThreadSanitizer: \nERROR: ThreadSanitizer: \n", kRoot);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, "unnamed-report");
  EXPECT_EQ(findings[1].kind, "unnamed-report");
}

}  // namespace
}  // namespace casebook
