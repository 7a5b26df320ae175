// bug_markers.hpp - the lines a broken variant marks as its bug: the ground truth for
// line-level grading (a finding is a line-level hit when one of its stacks' top frames in our
// code lands on a marked line).
//
// A line is marked by the word `casebook-bug` in a `//` comment:
//
//     counter.write(seen + 1);  // casebook-bug: the write that loses an increment
//
// A marker comment standing alone on its line marks the next line that holds code, for lines
// too long to carry a comment of their own:
//
//     // casebook-bug: both threads reach this call holding the other's lock
//     std::lock_guard second(account_b.mutex);
//
// Markers are read from the source text each time a run grades, so moving one needs no rebuild.
// Pure functions; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace casebook {

inline constexpr std::string_view kBugMarker = "casebook-bug";

// The 1-based numbers of the lines source_text marks, ascending and without duplicates.
std::vector<int> bug_marker_lines(std::string_view source_text);

// The marked lines of the file at path, or an empty list when it cannot be read.
std::vector<int> read_bug_marker_lines(const std::string& path);

// Fills every broken variant's bug_lines (and a standalone program's, when a label file gave
// it none) from its source (VariantDecl::source_path: under
// source_root, or under the case's CASEBOOK_EXTRA_CASES folder). Fixed variants mark nothing:
// they have no bug.
void attach_bug_markers(std::vector<VariantDecl>& variants, const std::string& source_root);

}  // namespace casebook
