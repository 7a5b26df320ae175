// asan_parser.hpp - AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer output ->
// Findings (what an ASan+UBSan build prints).
//
// Reads the log_path file(s) or stderr mixed with program output. Three report shapes:
//
//   ==42==ERROR: AddressSanitizer: heap-use-after-free on address 0x.. at pc 0x.. bp .. sp ..
//   WRITE of size 8 at 0x.. thread T1
//       #0 0x55d0 in worker(int) /src/cases/x/broken.cpp:10:5
//   0x.. is located 8 bytes inside of 80-byte region [0x..,0x..)
//   freed by thread T0 here: ...
//   SUMMARY: AddressSanitizer: heap-use-after-free /src/cases/x/broken.cpp:10:5 in worker(int)
//
//   ==42==ERROR: LeakSanitizer: detected memory leaks
//   Direct leak of 40 byte(s) in 1 object(s) allocated from: ...
//   SUMMARY: AddressSanitizer: 40 byte(s) leaked in 1 allocation(s).
//
//   /src/cases/x/broken.cpp:10:5: runtime error: signed integer overflow: ... in type 'int'
//       #0 ... (with UBSAN_OPTIONS=print_stacktrace=1)
//   SUMMARY: UndefinedBehaviorSanitizer: signed-integer-overflow /src/cases/x/broken.cpp:10:5 in
//
// Works best with the runner's options: ASAN_OPTIONS and UBSAN_OPTIONS with the same log_path
// (the combined clang runtime takes the last one it parses), UBSAN_OPTIONS
// print_stacktrace=1:report_error_type=1 (the SUMMARY then names the check). gcc's libubsan
// ignores log_path and report_error_type and prints no SUMMARY: parse its stderr too; the kind
// then comes from the runtime error's message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook {

// Parses every ASan, LSan and UBSan report in `text`, in order.
//  ASan ("ERROR: AddressSanitizer: <description>"): tool "asan", kind from asan_kind;
//    stacks: the access stack ("WRITE of size 8 at 0x.. thread T1"), "freed by thread T0 here",
//    "previously allocated by thread T0 here", "Thread T1 created by T0 here" (thread: the
//    creator, "T0"), ... each titled by the line before its frames (without a trailing ':');
//    frames right under the ERROR line (SEGV, stack-overflow) form an untitled stack whose
//    thread comes from the ERROR line's "(pc .. T0)". location: the "0x.. is located ..." line
//    without the address and region bounds ("8 bytes inside of 80-byte region").
//  LSan ("ERROR: LeakSanitizer: detected memory leaks"): one Finding, tool "lsan", kind
//    "memory-leak", one Stack per "Direct leak ..."/"Indirect leak ..." block.
//  UBSan ("<file>:<line>:<col>: runtime error: <message>"): tool "ubsan", kind the check named
//    by its SUMMARY ("signed-integer-overflow"); when the SUMMARY is absent or only says
//    "undefined-behavior", the check is inferred from the message for the common checks
//    (ubsan_check_of_message), else "undefined-behavior". One stack titled by the runtime-error
//    line; when no stack was printed, it holds one frame made from that line's location.
//    Standalone UBSan's "ERROR: UndefinedBehaviorSanitizer: SEGV ..." is read like ASan's.
//  summary: the SUMMARY text after "SUMMARY: <Tool>: " with "<source_root>/" removed from paths,
//    or for UBSan without SUMMARY the runtime-error line (root removed); empty when an ASan/LSan
//    report was cut off before its SUMMARY.
//  raw: the report's text as printed from its ERROR (or runtime-error) line through SUMMARY
//    (the shadow-byte map after it is left out).
// Internal failures ("AddressSanitizer: CHECK failed", "LeakSanitizer has encountered a fatal
// error" - e.g. under ptrace -, "ERROR: AddressSanitizer failed to allocate", ...) come back as
// kind "sanitizer-fatal" with that line as summary and raw. Paths in frames are normalised and
// made relative to `source_root` (frame_line.hpp). Text without reports gives an empty vector.
//
// Cost: linear in the size of text. Pure and thread-safe.
std::vector<Finding> parse_asan(std::string_view text, std::string_view source_root);

// The kinds this parser names for the report types ASan, LSan and UBSan are known to print
// ("heap-use-after-free", "memory-leak", "signed-integer-overflow", ...); a report type outside
// it is kept as a slug of its banner.
std::vector<std::string> asan_known_kinds();

// The kind slug for the description after "ERROR: AddressSanitizer: ":
// "heap-use-after-free on address .." -> "heap-use-after-free", "attempting double-free on .."
// -> "double-free", "attempting free on address which was not malloc()-ed" -> "bad-free",
// "SEGV on unknown address .." -> "segv", "requested allocation size .. exceeds .." ->
// "allocation-size-too-big", "allocator is out of memory .." -> "out-of-memory"; otherwise the
// leading dashed bug name ("alloc-dealloc-mismatch (operator new [] vs free) on .."), else a
// slug of the description up to its first ':' or " on ".
std::string asan_kind(std::string_view description);

// UBSan's check name for a runtime-error message when no SUMMARY named it:
// "signed integer overflow: .." -> "signed-integer-overflow", "division by zero" ->
// "integer-divide-by-zero", "shift exponent .." -> "invalid-shift-exponent", "load of null
// pointer .." -> "null-pointer-use", ...; "undefined-behavior" when the message is not known.
std::string ubsan_check_of_message(std::string_view message);

}  // namespace casebook
