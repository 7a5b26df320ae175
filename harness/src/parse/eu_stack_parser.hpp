// eu_stack_parser.hpp - eu-stack's backtraces of a live (hung) process -> Stacks.
//
// Reads the output of `eu-stack -p PID -i -s -m` (elfutils), which the watchdog captures when a
// trial outlives its timeout (process/stack_capture.hpp):
//
//   PID 4242 - process
//   TID 4243:
//   #0  0x00007f.. __futex_abstimed_wait_common64 - /usr/lib/x86_64-linux-gnu/libc.so.6
//       ./nptl/futex-internal.c:57:12
//   #4  0x000055.. (anonymous namespace)::run(cb::params const&)::$_0::operator()() const - /b/x
//       /src/cases/lost_wakeup/broken.cpp:63:19
//   #5  0x00007f.. - /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30
//
// With -i an inlined call is a frame of its own at the same address; with -s the frame's
// source location follows on an indented line; with -m the module follows " - ".
#pragma once

#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook {

// One Stack per "TID N:" block, in the order eu-stack printed them (the main thread first).
// Stack::title is the header as printed, Stack::thread "Thread K (LWP N)" with K counting the
// process's threads from 1 in that order, as gdb numbers them. Each "#N" line becomes a Frame:
// function as printed ("<null>" when eu-stack names none), module the base name of the path
// after " - ", file, line and column from the indented line below it (normalised and made
// relative to `source_root` like every other parser's). Lines that are neither ("PID N -
// process", eu-stack's warnings) are ignored. Text without backtraces gives an empty vector.
//
// Cost: linear in the size of text. Pure and thread-safe.
std::vector<Stack> parse_eu_stack(std::string_view text, std::string_view source_root);

}  // namespace casebook
