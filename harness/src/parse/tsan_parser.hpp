// tsan_parser.hpp - ThreadSanitizer output -> Findings.
//
// Reads what a TSan-instrumented program wrote: the log_path file(s), or stderr mixed with the
// program's own output. Reports are recognised by their banner and SUMMARY lines, never by the
// exit code:
//
//   ==================
//   WARNING: ThreadSanitizer: data race (pid=4242)
//     Write of size 8 at 0x... by thread T1:
//       #0 bump() /src/cases/x/broken.cpp:10:11 (bin+0xd4445)
//     ...
//   SUMMARY: ThreadSanitizer: data race /src/cases/x/broken.cpp:10:11 in bump()
//   ==================
//
// TSan's own deadly-signal reports ("ERROR: ThreadSanitizer: SEGV on unknown address") are
// read the same way. The parser works best with the options the runner sets anyway:
// halt_on_error=0 (all reports, not just the first), second_deadlock_stack=1 (both stacks of
// each lock-order edge), a symbolizer on PATH (llvm-symbolizer for clang builds) so frames have
// files and lines, and log_path so program output cannot split a report's lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook {

// Parses every TSan report in `text`, in order. Each Finding has tool "tsan" and:
//   kind      - a stable slug of the banner's description: "data-race", "data-race-vptr",
//               "lock-order-inversion", "thread-leak", "double-lock",
//               "unlock-of-unlocked-mutex", "destroy-of-locked-mutex", "invalid-mutex",
//               "signal-unsafe-call", "signal-handler-spoils-errno", "heap-use-after-free",
//               "segv" (deadly signal), otherwise the slugified description;
//   summary   - the SUMMARY text after "SUMMARY: ThreadSanitizer: ", with "<source_root>/"
//               removed from paths; empty when the report was cut off before its SUMMARY;
//   stacks    - one per titled block ("Write of size 8 at 0x.. by thread T1", "Mutex M1
//               acquired here while holding mutex M0 in thread T1", "Thread T1 (tid=.., running)
//               created by main thread at", ...; title without its trailing ':'), plus untitled
//               ones (title "") for frames printed right under the banner. Stack::thread is
//               the thread that ran the frames: for "Thread T1 ... created by main thread"
//               that is "main thread"; "by the same thread" takes the previous stack's thread;
//   mutexes   - mutex ids ("M0") in order of first appearance in titles and the cycle line;
//   lock_cycle- "M0 (0x..) => M1 (0x..) => M0" read as {"M0", "M1", "M0"}, else empty;
//   location  - the first "Location is ..." line without its address tail: "global 'c' of
//               size 8", "heap block of size 80", "stack of main thread";
//   raw       - the report's text as printed, from its WARNING/ERROR line through SUMMARY
//               (or through its last line when cut off).
// File paths in frames are normalised and made relative to `source_root` (frame_line.hpp).
// A "FATAL: ThreadSanitizer ..." or "ThreadSanitizer: CHECK failed" line becomes a Finding of
// kind "sanitizer-fatal" (summary and raw: that line) so the caller can report an
// infrastructure error instead of a clean run. "ThreadSanitizer: reported N warnings" and all
// other text are ignored; text without reports gives an empty vector.
//
// Cost: linear in the size of text. Pure and thread-safe.
// The kinds tsan_kind names for the reports TSan is known to print ("data-race", ...,
// "segv"); a report type outside it is kept as a slug of its banner.
std::vector<std::string> tsan_known_kinds();

std::vector<Finding> parse_tsan(std::string_view text, std::string_view source_root);

// The kind slug for a TSan banner description ("data race" -> "data-race"); exposed for tests
// and for callers that only have a banner.
std::string tsan_kind(std::string_view description);

}  // namespace casebook
