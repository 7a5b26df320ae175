// asan_parser_test.cpp - hand-written ASan, LSan and UBSan output (shaped after real clang-14
// and gcc-12 output) for the edge cases.
#include "parse/asan_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace casebook {
namespace {

constexpr std::string_view kRoot = "/home/dev/casebook";

// gcc-12's runtime: no columns, runtime frames with relative paths; shadow map after SUMMARY.
constexpr std::string_view kUseAfterFree = R"(about to start
=================================================================
==3276==ERROR: AddressSanitizer: heap-use-after-free on address 0x607000000108 at pc 0x55f3adbd5269 bp 0x7fc406ffee30 sp 0x7fc406ffee28
WRITE of size 8 at 0x607000000108 thread T1
    #0 0x55f3adbd5268 in write_late /home/dev/casebook/cases/uaf/broken.cpp:8
    #1 0x7fc4096a71f4 in start_thread nptl/pthread_create.c:442
    #2 0x7fc4097278eb in clone3 ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81

0x607000000108 is located 8 bytes inside of 80-byte region [0x607000000100,0x607000000150)
freed by thread T0 here:
    #0 0x7fc4098ba038 in operator delete[](void*) ../../../../src/libsanitizer/asan/asan_new_delete.cpp:155
    #1 0x55f3adbd52e6 in main /home/dev/casebook/cases/uaf/broken.cpp:15

previously allocated by thread T0 here:
    #0 0x7fc4098b9628 in operator new[](unsigned long) ../../../../src/libsanitizer/asan/asan_new_delete.cpp:98
    #1 0x55f3adbd52d6 in main /home/dev/casebook/cases/uaf/broken.cpp:14

Thread T1 created by T0 here:
    #0 0x7fc409849726 in __interceptor_pthread_create ../../../../src/libsanitizer/asan/asan_interceptors.cpp:207
    #1 0x55f3adbd5301 in main /home/dev/casebook/cases/uaf/broken.cpp:17

SUMMARY: AddressSanitizer: heap-use-after-free /home/dev/casebook/cases/uaf/broken.cpp:8 in write_late
Shadow bytes around the buggy address:
  0x0c0e7fff7fd0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
=>0x0c0e7fff8020: fd[fd]fd fd fd fd fd fd fd fd fa fa fa fa fa fa
Shadow byte legend (one shadow byte represents 8 application bytes):
  Addressable:           00
==3276==ABORTING
)";

TEST(AsanParser, HeapUseAfterFree) {
  auto findings = parse_asan(kUseAfterFree, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "asan");
  EXPECT_EQ(f.kind, "heap-use-after-free");
  EXPECT_EQ(f.summary, "heap-use-after-free cases/uaf/broken.cpp:8 in write_late");
  EXPECT_EQ(f.location, "8 bytes inside of 80-byte region");
  ASSERT_EQ(f.stacks.size(), 4u);
  EXPECT_EQ(f.stacks[0].title, "WRITE of size 8 at 0x607000000108 thread T1");
  EXPECT_EQ(f.stacks[0].thread, "T1");
  ASSERT_EQ(f.stacks[0].frames.size(), 3u);
  EXPECT_EQ(f.stacks[0].frames[0].function, "write_late");
  EXPECT_EQ(f.stacks[0].frames[0].file, "cases/uaf/broken.cpp");
  EXPECT_EQ(f.stacks[0].frames[0].line, 8);
  EXPECT_EQ(f.stacks[1].title, "freed by thread T0 here");
  EXPECT_EQ(f.stacks[1].thread, "T0");
  EXPECT_EQ(f.stacks[1].frames[0].function, "operator delete[](void*)");
  EXPECT_EQ(f.stacks[2].title, "previously allocated by thread T0 here");
  EXPECT_EQ(f.stacks[3].title, "Thread T1 created by T0 here");
  EXPECT_EQ(f.stacks[3].thread, "T0");
  EXPECT_EQ(f.raw.substr(0, 38), "ERROR: AddressSanitizer: heap-use-afte");
  EXPECT_EQ(f.raw.find("Shadow bytes"), std::string::npos);
  EXPECT_EQ(f.raw.substr(f.raw.size() - 10), "write_late");
  EXPECT_TRUE(f.mutexes.empty());
}

constexpr std::string_view kLeaks = R"(
=================================================================
==3268==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 40 byte(s) in 1 object(s) allocated from:
    #0 0x55c7ceb1914e in malloc (/tmp/b/lsan_leak+0xa414e) (BuildId: cb00)
    #1 0x55c7ceb56555 in (anonymous namespace)::lose_it() /home/dev/casebook/cases/leak/broken.cpp:9:10
    #2 0x55c7ceb56520 in main /home/dev/casebook/cases/leak/broken.cpp:15:3

Indirect leak of 16 byte(s) in 2 object(s) allocated from:
    #0 0x55c7ceb1914e in malloc (/tmp/b/lsan_leak+0xa414e) (BuildId: cb00)
    #1 0x55c7ceb56590 in make_node /home/dev/casebook/cases/leak/broken.cpp:4:20

SUMMARY: AddressSanitizer: 56 byte(s) leaked in 3 allocation(s).
)";

TEST(AsanParser, LeaksAreOneFindingWithAStackEach) {
  auto findings = parse_asan(kLeaks, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "lsan");
  EXPECT_EQ(f.kind, "memory-leak");
  EXPECT_EQ(f.summary, "56 byte(s) leaked in 3 allocation(s).");
  ASSERT_EQ(f.stacks.size(), 2u);
  EXPECT_EQ(f.stacks[0].title, "Direct leak of 40 byte(s) in 1 object(s) allocated from");
  EXPECT_EQ(f.stacks[0].thread, "");
  EXPECT_EQ(f.stacks[0].frames[0].function, "malloc");
  EXPECT_EQ(f.stacks[0].frames[0].module, "lsan_leak");
  EXPECT_EQ(f.stacks[0].frames[1].function, "(anonymous namespace)::lose_it()");
  EXPECT_EQ(f.stacks[0].frames[1].file, "cases/leak/broken.cpp");
  EXPECT_EQ(f.stacks[0].frames[1].line, 9);
  EXPECT_EQ(f.stacks[1].title, "Indirect leak of 16 byte(s) in 2 object(s) allocated from");
}

TEST(AsanParser, UbsanWithStackAndSummary) {
  constexpr std::string_view text =
      R"(/home/dev/casebook/cases/ovf/broken.cpp:8:12: runtime error: signed integer overflow: 2147483646 + 2 cannot be represented in type 'int'
    #0 0x560571fad59f in (anonymous namespace)::add(int, int) /home/dev/casebook/cases/ovf/broken.cpp:8:12
    #1 0x560571fad53e in main /home/dev/casebook/cases/ovf/broken.cpp:14:23
    #2 0x560571eed300 in _start (/tmp/b/ovf+0x21300) (BuildId: edfb)

SUMMARY: UndefinedBehaviorSanitizer: signed-integer-overflow /home/dev/casebook/cases/ovf/broken.cpp:8:12 in 
-2147483648
)";
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "ubsan");
  EXPECT_EQ(f.kind, "signed-integer-overflow");
  EXPECT_EQ(f.summary, "signed-integer-overflow cases/ovf/broken.cpp:8:12 in");
  ASSERT_EQ(f.stacks.size(), 1u);
  EXPECT_EQ(f.stacks[0].frames.size(), 3u);
  EXPECT_EQ(f.stacks[0].frames[0].function, "(anonymous namespace)::add(int, int)");
  EXPECT_EQ(f.stacks[0].frames[0].line, 8);
  EXPECT_EQ(f.stacks[0].frames[0].column, 12);
  EXPECT_EQ(f.raw.find("-2147483648"), std::string::npos);
  EXPECT_EQ(f.raw.substr(0, 19), "/home/dev/casebook/");
}

// The SUMMARY line is the program's stderr: bytes written over it (found by the fuzz target,
// tests/fuzz/regressions/asan_parser) give a slug of what is readable, never a kind of raw bytes.
TEST(AsanParser, UbsanSummaryWithStrayBytesStillGivesASlugKind) {
  const std::string text = std::string(
                               "/home/dev/casebook/cases/ovf/broken.cpp:8:12: runtime error: "
                               "signed integer overflow: 2147483646 + 2 cannot be represented\n"
                               "SUMMARY: UndefinedBehaviorSanitizer: s\xff\xff") +
                           std::string(1, '\0') + "igned-integer-overflow x.cpp:8:12 in\n";
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "s-igned-integer-overflow");
}

// Every finding has a kind: a banner cut off right after the tool's name is an unnamed report.
TEST(AsanParser, ABannerWithoutADescriptionIsAnUnnamedReport) {
  auto findings = parse_asan("==1==ERROR: AddressSanitizer: \n", kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "unnamed-report");
  EXPECT_EQ(asan_kind(""), "unnamed-report");
}

TEST(AsanParser, UbsanWithoutStackUsesTheErrorLocation) {
  constexpr std::string_view text =
      R"(result: /home/dev/casebook/cases/sh/broken.cpp:5:14: runtime error: shift exponent 40 is too large for 32-bit type 'int'
SUMMARY: UndefinedBehaviorSanitizer: invalid-shift-exponent /home/dev/casebook/cases/sh/broken.cpp:5:14 in shift(int)
)";
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "invalid-shift-exponent");
  ASSERT_EQ(findings[0].stacks.size(), 1u);
  ASSERT_EQ(findings[0].stacks[0].frames.size(), 1u);
  const Frame& frame = findings[0].stacks[0].frames[0];
  EXPECT_EQ(frame.file, "cases/sh/broken.cpp");
  EXPECT_EQ(frame.line, 5);
  EXPECT_EQ(frame.column, 14);
  EXPECT_EQ(frame.function, "shift(int)");
}

TEST(AsanParser, UbsanWithoutSummaryOrErrorTypeInfersTheCheck) {
  // gcc's libubsan prints no SUMMARY; report_error_type=0 says only "undefined-behavior".
  constexpr std::string_view text =
      R"(/home/dev/casebook/cases/ovf/broken.cpp:8:14: runtime error: signed integer overflow: 2147483646 + 2 cannot be represented in type 'int'
    #0 0x557bdc3361b2 in add /home/dev/casebook/cases/ovf/broken.cpp:8
    #1 0x557bdc3361dd in main /home/dev/casebook/cases/ovf/broken.cpp:14

/home/dev/casebook/cases/ovf/broken.cpp:20:9: runtime error: load of null pointer of type 'int'
SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /home/dev/casebook/cases/ovf/broken.cpp:20:9 in 
/home/dev/casebook/cases/ovf/broken.cpp:30:2: runtime error: something new and strange
)";
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].kind, "signed-integer-overflow");
  EXPECT_EQ(findings[0].summary,
            "cases/ovf/broken.cpp:8:14: runtime error: signed integer overflow: 2147483646 + 2 "
            "cannot be represented in type 'int'");
  EXPECT_EQ(findings[0].stacks.at(0).frames.size(), 2u);
  EXPECT_EQ(findings[0].stacks[0].frames[0].line, 8);
  EXPECT_EQ(findings[1].kind, "null-pointer-use");
  EXPECT_EQ(findings[1].summary, "undefined-behavior cases/ovf/broken.cpp:20:9 in");
  EXPECT_EQ(findings[1].stacks.at(0).frames.at(0).line, 20);
  EXPECT_EQ(findings[2].kind, "undefined-behavior");
}

TEST(AsanParser, DoubleFreeFramesUnderTheErrorLine) {
  constexpr std::string_view text =
      R"(=================================================================
==12==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread T0:
    #0 0x7f in operator delete(void*) (/usr/lib/x86_64-linux-gnu/libasan.so.8+0xd9a5f)
    #1 0x55 in main /home/dev/casebook/cases/df/broken.cpp:6:3

0x602000000010 is located 0 bytes inside of 4-byte region [0x602000000010,0x602000000014)
freed by thread T0 here:
    #0 0x7f in operator delete(void*) (/usr/lib/x86_64-linux-gnu/libasan.so.8+0xd9a5f)
    #1 0x55 in main /home/dev/casebook/cases/df/broken.cpp:5:3

SUMMARY: AddressSanitizer: attempting double-free (/usr/lib/x86_64-linux-gnu/libasan.so.8+0xd9a5f) in operator delete(void*)
==12==ABORTING
)";
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "double-free");
  ASSERT_EQ(findings[0].stacks.size(), 2u);
  EXPECT_EQ(findings[0].stacks[0].title, "attempting double-free on 0x602000000010 in thread T0");
  EXPECT_EQ(findings[0].stacks[0].thread, "T0");
  EXPECT_EQ(findings[0].stacks[0].frames[1].line, 6);
  EXPECT_EQ(findings[0].location, "0 bytes inside of 4-byte region");
}

TEST(AsanParser, SegvAndStackBufferOverflow) {
  constexpr std::string_view text = R"(AddressSanitizer:DEADLYSIGNAL
=================================================================
==99==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55 bp 0x7ffc sp 0x7ffc T0)
==99==The signal is caused by a WRITE memory access.
==99==Hint: address points to the zero page.
    #0 0x55 in poke /home/dev/casebook/cases/segv/broken.cpp:3:6
    #1 0x55 in main /home/dev/casebook/cases/segv/broken.cpp:7:3

AddressSanitizer can not provide additional info.
SUMMARY: AddressSanitizer: SEGV /home/dev/casebook/cases/segv/broken.cpp:3:6 in poke
==99==ABORTING
=================================================================
==100==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd4 at pc 0x55 bp 0x7ffd sp 0x7ffd
READ of size 4 at 0x7ffd4 thread T0
    #0 0x55 in main /home/dev/casebook/cases/sbo/broken.cpp:5:10

Address 0x7ffd4 is located in stack of thread T0 at offset 36 in frame
    #0 0x55 in main /home/dev/casebook/cases/sbo/broken.cpp:3

  This frame has 1 object(s):
    [32, 36) 'x' (line 4) <== Memory access at offset 36 overflows this variable
SUMMARY: AddressSanitizer: stack-buffer-overflow /home/dev/casebook/cases/sbo/broken.cpp:5:10 in main
)";
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, "segv");
  ASSERT_EQ(findings[0].stacks.size(), 1u);
  EXPECT_EQ(findings[0].stacks[0].title, "");
  EXPECT_EQ(findings[0].stacks[0].thread, "T0");
  EXPECT_EQ(findings[0].stacks[0].frames[0].function, "poke");
  EXPECT_EQ(findings[0].summary, "SEGV cases/segv/broken.cpp:3:6 in poke");
  EXPECT_EQ(findings[1].kind, "stack-buffer-overflow");
  EXPECT_EQ(findings[1].location, "in stack of thread T0 at offset 36 in frame");
  ASSERT_EQ(findings[1].stacks.size(), 2u);
  EXPECT_EQ(findings[1].stacks[1].title,
            "Address 0x7ffd4 is located in stack of thread T0 at offset 36 in frame");
  EXPECT_EQ(findings[1].stacks[1].thread, "T0");
}

TEST(AsanParser, SeveralReportsOfDifferentToolsInOneLog) {
  std::string text =
      "/home/dev/casebook/cases/ovf/broken.cpp:8:14: runtime error: division by zero\n";
  text += "program line\n";
  text += kLeaks;
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].tool, "ubsan");
  EXPECT_EQ(findings[0].kind, "integer-divide-by-zero");
  EXPECT_EQ(findings[0].raw.find("program line"), std::string::npos);
  EXPECT_EQ(findings[1].tool, "lsan");
}

TEST(AsanParser, TruncatedReportKeepsAnEmptySummary) {
  std::string text(kUseAfterFree.substr(0, kUseAfterFree.find("previously allocated")));
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "heap-use-after-free");
  EXPECT_EQ(findings[0].summary, "");
  EXPECT_EQ(findings[0].stacks.size(), 2u);
}

TEST(AsanParser, FatalErrors) {
  constexpr std::string_view text = R"(==7==LeakSanitizer has encountered a fatal error.
==7==HINT: For debugging, try setting environment variable LSAN_OPTIONS=verbosity=1:log_threads=1
==7==HINT: LeakSanitizer does not work under ptrace (strace, gdb, etc)
)";
  auto findings = parse_asan(text, kRoot);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].tool, "lsan");
  EXPECT_EQ(findings[0].kind, "sanitizer-fatal");
  EXPECT_EQ(findings[0].summary, "==7==LeakSanitizer has encountered a fatal error.");
}

TEST(AsanParser, NoReports) {
  EXPECT_TRUE(parse_asan("", kRoot).empty());
  EXPECT_TRUE(parse_asan("ERROR: something else\nall fine\n", kRoot).empty());
}

TEST(AsanKind, Descriptions) {
  EXPECT_EQ(asan_kind("heap-use-after-free on address 0x1 at pc 0x2 bp 0x3 sp 0x4"),
            "heap-use-after-free");
  EXPECT_EQ(asan_kind("heap-buffer-overflow on address 0x1"), "heap-buffer-overflow");
  EXPECT_EQ(asan_kind("stack-use-after-return on address 0x1"), "stack-use-after-return");
  EXPECT_EQ(asan_kind("stack-use-after-scope on address 0x1"), "stack-use-after-scope");
  EXPECT_EQ(asan_kind("global-buffer-overflow on address 0x1"), "global-buffer-overflow");
  EXPECT_EQ(asan_kind("use-after-poison on address 0x1"), "use-after-poison");
  EXPECT_EQ(asan_kind("attempting double-free on 0x1 in thread T0:"), "double-free");
  EXPECT_EQ(asan_kind("attempting free on address which was not malloc()-ed: 0x1 in thread T0"),
            "bad-free");
  EXPECT_EQ(asan_kind("SEGV on unknown address 0x000000000000 (pc 0x1 bp 0x2 sp 0x3 T0)"), "segv");
  EXPECT_EQ(asan_kind("stack-overflow on address 0x7ffc (pc 0x1 bp 0x2 sp 0x3 T0)"),
            "stack-overflow");
  EXPECT_EQ(asan_kind("alloc-dealloc-mismatch (operator new [] vs operator delete) on 0x1"),
            "alloc-dealloc-mismatch");
  EXPECT_EQ(asan_kind("requested allocation size 0xffffffffffffffff (0x800 after adjustments for "
                      "alignment, red zones etc.) exceeds maximum supported size of 0x10000000000 "
                      "(thread T0)"),
            "allocation-size-too-big");
  EXPECT_EQ(asan_kind("memcpy-param-overlap: memory ranges [0x1,0x2) and [0x3, 0x4) overlap"),
            "memcpy-param-overlap");
  EXPECT_EQ(asan_kind("calloc parameters overflow: count * size (1 * 2) cannot be represented"),
            "calloc-parameters-overflow");
}

TEST(UbsanCheck, FromMessage) {
  EXPECT_EQ(ubsan_check_of_message("signed integer overflow: 1 + 2 cannot be represented"),
            "signed-integer-overflow");
  EXPECT_EQ(ubsan_check_of_message("negation of -2147483648 cannot be represented in type 'int'"),
            "signed-integer-overflow");
  EXPECT_EQ(ubsan_check_of_message("division by zero"), "integer-divide-by-zero");
  EXPECT_EQ(ubsan_check_of_message("index 10 out of bounds for type 'int [10]'"),
            "out-of-bounds-index");
  EXPECT_EQ(ubsan_check_of_message("member access within null pointer of type 'S'"),
            "null-pointer-use");
  EXPECT_EQ(ubsan_check_of_message("applying non-zero offset 8 to null pointer"),
            "nullptr-with-offset");
  EXPECT_EQ(ubsan_check_of_message("left shift of negative value -1"), "invalid-shift-base");
  EXPECT_EQ(ubsan_check_of_message("load of value 7, which is not a valid value for type 'bool'"),
            "invalid-bool-load");
  EXPECT_EQ(ubsan_check_of_message("whatever"), "undefined-behavior");
}

}  // namespace
}  // namespace casebook
