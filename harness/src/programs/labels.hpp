// labels.hpp - ground truth for programs that declare nothing themselves: a label file the
// user gives (--labels FILE), so a corpus is graded without touching its files.
//
// One program per line; `#` starts a comment:
//
//   # program                   label     bug lines (optional)
//   DRB001-antidep1-orig-yes.c  positive  a[i+1]@64:10:R vs. a[i]@64:5:W
//   DRB045-doall1-orig-no.c     negative
//   queue_pair/broken           positive  41 57
//
// The program is named by its file (relative to its --programs folder, or its file name),
// its case name, or case/variant. The label is `positive` (has a bug: at least one detector
// must flag it) or `negative` (correct: no detector may). Bug lines are line numbers, `LINE:COL`,
// or a DataRaceBench race pair (`expr@LINE:COL:R vs. expr@LINE:COL:W`); a pair's two lines are
// the race's two accesses. Pure functions apart from reading the file; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "programs/discovery.hpp"

namespace casebook {

struct ProgramLabel {
  bool positive = false;
  std::vector<int> bug_lines;  // ascending, without duplicates
  // The race pairs named (first access's line, second's), in file order.
  std::vector<std::pair<int, int>> race_pairs;
  std::string where;  // "labels.txt:12", for messages
};

// The label of each program, by index into programs (nullopt: not labelled). Throws
// UsageError, naming the file and line, for an unreadable file, a line naming no program or
// one already labelled, a label that is neither positive nor negative, or a bug line that is
// not a line number.
std::vector<std::optional<ProgramLabel>> read_labels(const std::string& path,
                                                     const std::vector<ProgramSource>& programs);

}  // namespace casebook
