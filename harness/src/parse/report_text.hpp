// report_text.hpp - small text helpers the report parsers share (tsan_parser, asan_parser,
// gdb_parser): line splitting, stack-title reading, slugs. Internal to the parse layer; other
// layers should use the parsers' own headers.
//
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace casebook::parse_text {

// Splits text into lines on '\n', dropping a trailing '\r' from each. The views point into
// `text`, so text must outlive them. A final line without '\n' is kept; a trailing '\n' does
// not produce an empty last line.
std::vector<std::string_view> split_lines(std::string_view text);

// Removes blanks (space, tab, CR, LF) at both ends.
std::string_view trim(std::string_view s);

// True when `line` (already trimmed) starts with a sanitizer's "==<pid>==" prefix.
bool has_pid_prefix(std::string_view line);

// The thread a stack title says ran the stack's frames, as the tool names it: "T1",
// "main thread", or "" when the title names none.
//   "Write of size 8 at 0x7b.. by thread T1 (mutexes: write M0):"  -> "T1"
//   "Thread T1 (tid=7, running) created by main thread at:"        -> "main thread" (the creator)
//   "Thread T1 created by T0 here:"                                -> "T0"
//   "Mutex M1 acquired here while holding mutex M0 in thread T2:"  -> "T2"
//   "WRITE of size 8 at 0x60.. thread T1"                          -> "T1"
// "... by the same thread ..." returns "" too; see names_same_thread.
std::string thread_of_title(std::string_view title);

// True when a title says "by the same thread" (the thread of the stack before it).
bool names_same_thread(std::string_view title);

// Mutex ids ("M0", "M12") in `line`, in order, as whole words.
std::vector<std::string> mutex_ids(std::string_view line);

// A stable slug of a tool's free-text description: lowercase, parenthesised parts dropped,
// runs of other characters than [a-z0-9_] turned into one '-', no '-' at either end.
//   "lock-order-inversion (potential deadlock)" -> "lock-order-inversion"
std::string slugify(std::string_view description);

// A finding's kind from a report's description: slugify(description), or "unnamed-report" when
// nothing of it is left (a banner cut off after "ERROR: ThreadSanitizer: "), so no finding
// ever has an empty kind.
std::string kind_slug(std::string_view description);

// `text` with every "<source_root>/" removed, so absolute paths under the root read as
// repo-relative ones. Returns text unchanged when source_root is empty.
std::string strip_source_root(std::string_view text, std::string_view source_root);

}  // namespace casebook::parse_text
