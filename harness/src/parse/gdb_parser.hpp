// gdb_parser.hpp - gdb backtraces of a live (hung) process -> Stacks.
//
// Reads the output of `gdb -batch -nx -p PID -ex "thread apply all bt"`, which the watchdog
// captures when a trial outlives its timeout:
//
//   Thread 2 (Thread 0x7f3c5d3ff6c0 (LWP 4242) "casebook-cases-"):
//   #0  futex_wait (private=0, expected=2, futex_word=0x55.. <held>) at
//   ../sysdeps/nptl/futex-internal.h:146 #1  0x00007f.. in ___pthread_mutex_lock (mutex=0x55..) at
//   ./nptl/pthread_mutex_lock.c:93 #2  0x00007f.. in std::mutex::lock (this=0x55..) at
//   /usr/include/c++/12/bits/std_mutex.h:100 #3  0x00007f.. in start_thread () from
//   /lib/x86_64-linux-gnu/libc.so.6
//
// gdb's chatter around it ("[New LWP ..]", "Using host libthread_db ..", the attach-time
// current-frame line, "[Inferior 1 (process N) detached]") is ignored.
#pragma once

#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook {

// One Stack per "Thread N (...):" block, in the order gdb printed them (gdb lists the highest
// thread number first). Stack::title is the header line as printed, Stack::thread
// "Thread N (LWP M)" ("Thread N" when no LWP is printed). Each "#N" line becomes a Frame:
// function without its argument list ("std::mutex::lock"; "??" becomes "<null>"), file and line
// from "at <file>:<line>" (normalised and made relative to `source_root` like sanitizer frames),
// module from "from <library>" (its base name, "libc.so.6"). Frames before any thread header
// (plain `bt`) form one untitled stack; a frame line that gdb wrapped is joined with its
// continuation. Threads without frames are kept with an empty frame list. Text without
// backtraces gives an empty vector.
//
// Cost: linear in the size of text. Pure and thread-safe.
std::vector<Stack> parse_gdb_backtrace(std::string_view text, std::string_view source_root);

}  // namespace casebook
