// frame_line_test.cpp - the frame shapes TSan, ASan, LSan and UBSan print, from clang-14 and
// gcc-12 runtimes, and the path rules.
#include "parse/frame_line.hpp"

#include <gtest/gtest.h>

namespace casebook {
namespace {

constexpr std::string_view kRoot = "/home/dev/casebook";

Frame parse(std::string_view line) {
  auto frame = parse_frame_line(line, kRoot);
  EXPECT_TRUE(frame.has_value()) << line;
  return frame.value_or(Frame{});
}

TEST(FrameLine, TsanClangFrameWithColumnAndBuildId) {
  Frame f = parse(
      "    #0 main::$_0::operator()() const /home/dev/casebook/cases/race/broken.cpp:4:56 "
      "(race_clang+0xd4522) (BuildId: 93b6a8d1c0ffee)");
  EXPECT_EQ(f.index, 0);
  EXPECT_EQ(f.function, "main::$_0::operator()() const");
  EXPECT_EQ(f.file, "cases/race/broken.cpp");
  EXPECT_EQ(f.line, 4);
  EXPECT_EQ(f.column, 56);
  EXPECT_EQ(f.module, "race_clang");
}

TEST(FrameLine, TsanInterceptorWithoutSource) {
  Frame f = parse("    #0 pthread_create <null> (race_clang+0x5340d) (BuildId: 93b6)");
  EXPECT_EQ(f.function, "pthread_create");
  EXPECT_EQ(f.file, "");
  EXPECT_EQ(f.line, 0);
  EXPECT_EQ(f.module, "race_clang");
}

TEST(FrameLine, TsanNothingSymbolized) {
  Frame f = parse("    #10 <null> <null> (libstdc++.so.6+0xd44a2)");
  EXPECT_EQ(f.index, 10);
  EXPECT_EQ(f.function, "<null>");
  EXPECT_EQ(f.file, "");
  EXPECT_EQ(f.module, "libstdc++.so.6");
}

TEST(FrameLine, TsanFileWithoutLine) {
  // clang prints the file alone when the instruction has line 0.
  Frame f = parse(
      "    #0 (anonymous namespace)::bump(void*) /home/dev/casebook/cases/r/broken.cpp "
      "(r+0xd4406) (BuildId: c15b)");
  EXPECT_EQ(f.function, "(anonymous namespace)::bump(void*)");
  EXPECT_EQ(f.file, "cases/r/broken.cpp");
  EXPECT_EQ(f.line, 0);
  EXPECT_EQ(f.column, 0);
}

TEST(FrameLine, GccTsanWithoutColumn) {
  Frame f = parse("    #0 bump /home/dev/casebook/cases/r/broken.cpp:10 (r.g+++0x11d6)");
  EXPECT_EQ(f.function, "bump");
  EXPECT_EQ(f.file, "cases/r/broken.cpp");
  EXPECT_EQ(f.line, 10);
  EXPECT_EQ(f.column, 0);
  EXPECT_EQ(f.module, "r.g++");
}

TEST(FrameLine, GccTsanRuntimeFrameKeepsLeadingDotDot) {
  Frame f = parse(
      "    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 "
      "(libtsan.so.2+0x5e686)");
  EXPECT_EQ(f.function, "pthread_create");
  EXPECT_EQ(f.file, "../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp");
  EXPECT_EQ(f.line, 1001);
  EXPECT_EQ(f.module, "libtsan.so.2");
}

TEST(FrameLine, TemplatesAndLambdasWithSpaces) {
  Frame f = parse(
      "    #5 __invoke_impl<void, main()::<lambda()> > /usr/include/c++/12/bits/invoke.h:61 "
      "(lo+0x13df)");
  EXPECT_EQ(f.function, "__invoke_impl<void, main()::<lambda()> >");
  EXPECT_EQ(f.file, "/usr/include/c++/12/bits/invoke.h");
  EXPECT_EQ(f.line, 61);

  f = parse(
      "    #1 std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, "
      "std::default_delete<std::thread::_State> >, void (*)()) <null> (libstdc++.so.6+0xd4578) "
      "(BuildId: 289e)");
  EXPECT_EQ(f.function,
            "std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, "
            "std::default_delete<std::thread::_State> >, void (*)())");
  EXPECT_EQ(f.file, "");
  EXPECT_EQ(f.module, "libstdc++.so.6");

  f = parse("    #8 operator() /usr/include/c++/12/bits/std_thread.h:259 (lo+0x13df)");
  EXPECT_EQ(f.function, "operator()");
  EXPECT_EQ(f.line, 259);

  f = parse(
      "    #3 std::lock_guard<std::mutex>::lock_guard(std::mutex&) "
      "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/bits/std_mutex.h:229:19 "
      "(lo+0xd454a)");
  EXPECT_EQ(f.function, "std::lock_guard<std::mutex>::lock_guard(std::mutex&)");
  EXPECT_EQ(f.file, "/usr/include/c++/12/bits/std_mutex.h");
  EXPECT_EQ(f.line, 229);
  EXPECT_EQ(f.column, 19);
}

TEST(FrameLine, AsanFrameWithSource) {
  Frame f = parse("    #0 0x55d0c4a3b1c2 in worker(int) /home/dev/casebook/src/file.cpp:10:5");
  EXPECT_EQ(f.index, 0);
  EXPECT_EQ(f.function, "worker(int)");
  EXPECT_EQ(f.file, "src/file.cpp");
  EXPECT_EQ(f.line, 10);
  EXPECT_EQ(f.column, 5);
  EXPECT_EQ(f.module, "");
}

TEST(FrameLine, AsanLibcFramesNormalised) {
  Frame f = parse(
      "    #1 0x7f3c5d229d90 in __libc_start_call_main "
      "csu/../sysdeps/nptl/libc_start_call_main.h:58:16");
  EXPECT_EQ(f.function, "__libc_start_call_main");
  EXPECT_EQ(f.file, "sysdeps/nptl/libc_start_call_main.h");
  EXPECT_EQ(f.line, 58);
  EXPECT_EQ(f.column, 16);

  f = parse("    #2 0x7f3c5d294ac3 in start_thread nptl/pthread_create.c:442:8");
  EXPECT_EQ(f.function, "start_thread");
  EXPECT_EQ(f.file, "nptl/pthread_create.c");

  f = parse("    #2 0x7fc4097278eb in clone3 ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81");
  EXPECT_EQ(f.function, "clone3");
  EXPECT_EQ(f.file, "../sysdeps/unix/sysv/linux/x86_64/clone3.S");
  EXPECT_EQ(f.line, 81);
}

TEST(FrameLine, AsanModuleOnly) {
  Frame f = parse("    #3 0x7f3c5d229e40 (/lib/x86_64-linux-gnu/libc.so.6+0x27249)");
  EXPECT_EQ(f.index, 3);
  EXPECT_EQ(f.function, "<null>");
  EXPECT_EQ(f.file, "");
  EXPECT_EQ(f.module, "libc.so.6");
}

TEST(FrameLine, AsanFunctionWithParensAndModule) {
  Frame f = parse(
      "    #0 0x7f3c5d6b9a5f in operator delete(void*) "
      "(/usr/lib/x86_64-linux-gnu/libasan.so.8+0xd9a5f)");
  EXPECT_EQ(f.function, "operator delete(void*)");
  EXPECT_EQ(f.file, "");
  EXPECT_EQ(f.module, "libasan.so.8");

  f = parse(
      "    #0 0x56251e82487d in operator delete[](void*) (/tmp/b/asan_uaf+0xdf87d) "
      "(BuildId: bb33)");
  EXPECT_EQ(f.function, "operator delete[](void*)");
  EXPECT_EQ(f.module, "asan_uaf");

  f = parse("    #4 0x557bdc3360c0 in _start (/tmp/b/ubsan_overflow.g++-12+0x10c0)");
  EXPECT_EQ(f.function, "_start");
  EXPECT_EQ(f.module, "ubsan_overflow.g++-12");
}

TEST(FrameLine, AsanFunctionOffsetDropped) {
  Frame f = parse("    #1 0x7f0011 in helper+0x1a (/lib/libfoo.so+0x1a2b)");
  EXPECT_EQ(f.function, "helper");
  EXPECT_EQ(f.module, "libfoo.so");
}

TEST(FrameLine, AnonymousNamespaceAndConstMember) {
  Frame f = parse(
      "    #0 0x56 in (anonymous namespace)::Box<int (*)(char)>::get() const "
      "/home/dev/casebook/cases/a/broken.cpp:7:3");
  EXPECT_EQ(f.function, "(anonymous namespace)::Box<int (*)(char)>::get() const");
  EXPECT_EQ(f.file, "cases/a/broken.cpp");
  EXPECT_EQ(f.line, 7);
}

TEST(FrameLine, NotAFrame) {
  for (std::string_view line : {"", "  Write of size 8 at 0x1 by thread T1:", "#x 0x1 in f", "#",
                                "   #12", "SUMMARY: ThreadSanitizer: data race"}) {
    EXPECT_FALSE(parse_frame_line(line, kRoot).has_value()) << line;
    EXPECT_FALSE(is_frame_line(line)) << line;
  }
}

TEST(NormalizeSourcePath, RelativeUnderRootAndLexicalDotDot) {
  EXPECT_EQ(normalize_source_path("/home/dev/casebook/cases/x/../y/./broken.cpp", kRoot),
            "cases/y/broken.cpp");
  EXPECT_EQ(normalize_source_path("/home/dev/casebook/cases/x.cpp", "/home/dev/casebook/"),
            "cases/x.cpp");
  EXPECT_EQ(normalize_source_path("/home/dev/casebook2/x.cpp", kRoot), "/home/dev/casebook2/x.cpp");
  EXPECT_EQ(normalize_source_path("/usr/bin/../lib/gcc/x.h", kRoot), "/usr/lib/gcc/x.h");
  EXPECT_EQ(normalize_source_path("./nptl/futex-internal.c", kRoot), "nptl/futex-internal.c");
  EXPECT_EQ(normalize_source_path("a/b/../c", kRoot), "a/c");
  EXPECT_EQ(normalize_source_path("../../src/x.cpp", kRoot), "../../src/x.cpp");
  EXPECT_EQ(normalize_source_path("/../x.cpp", ""), "/x.cpp");
  EXPECT_EQ(normalize_source_path("/home/dev/casebook/x.cpp", ""), "/home/dev/casebook/x.cpp");
  EXPECT_EQ(normalize_source_path("", kRoot), "");
}

TEST(ParseSourceLocation, Forms) {
  auto loc = parse_source_location("/home/dev/casebook/a.cpp:10:5", kRoot);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->file, "a.cpp");
  EXPECT_EQ(loc->line, 10);
  EXPECT_EQ(loc->column, 5);
  loc = parse_source_location("/x/a.cpp:10", kRoot);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->line, 10);
  EXPECT_EQ(loc->column, 0);
  EXPECT_FALSE(parse_source_location("/x/a.cpp", kRoot));
  EXPECT_TRUE(parse_source_location("/x/a.cpp", kRoot, true));
  EXPECT_FALSE(parse_source_location("<null>", kRoot, true));
  EXPECT_FALSE(parse_source_location("f(int)", kRoot, true));
  EXPECT_FALSE(parse_source_location(":10", kRoot));
}

}  // namespace
}  // namespace casebook
