// line_diff.hpp - a line diff (longest common subsequence) for the broken/fixed side-by-side view.
//
// The result is already laid out for two columns: each row names the line shown on the left
// and on the right, so the view never has to reason about hunks. Pure function, no state.
#pragma once

#include <string>
#include <vector>

namespace casebook::reports::html {

enum class DiffOp {
  same,     // the line is in both files
  changed,  // a removed line shown beside an added one (paired in order within a hunk)
  removed,  // only on the left; the right cell is empty
  added,    // only on the right; the left cell is empty
};

struct DiffRow {
  DiffOp op;
  int left;   // 0-based line index into the left file, -1 when the row has no left line
  int right;  // 0-based line index into the right file, -1 when the row has no right line
};

// Aligns two files line by line. Lines compare equal when they differ only in trailing
// whitespace. Cost: O(n*m) time and memory over the part between the common prefix and
// suffix; when that exceeds about 16M cells the middle is reported as one changed hunk.
std::vector<DiffRow> diff_lines(const std::vector<std::string>& left,
                                const std::vector<std::string>& right);

}  // namespace casebook::reports::html
