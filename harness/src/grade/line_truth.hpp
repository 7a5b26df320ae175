// line_truth.hpp - line-level ground truth: does a detector's evidence land on the lines a
// broken variant marks as its bug (catalog/bug_markers.hpp)?
//
// File-level truth asks "did the detector flag the buggy program?"; line-level truth asks
// "did it point at the bug?". A finding is a line-level hit when one of its stacks' top frame
// in the case's own code (the first frame, from the top, whose file lies in the variant's case
// folder: frames in the C++ library, the sanitizer runtime or casebook's facade are skipped)
// is on a marked line of the variant's source. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exec/trial_record.hpp"
#include "parse/finding.hpp"

namespace casebook {

// The marked lines of one variant: the rule a finding is checked against.
struct LineRule {
  std::string file;         // the variant's repo-relative source, as frames name it
  std::vector<int> marked;  // its casebook-bug lines, ascending
};

// Where a (variant, detector)'s findings landed, for a variant that marks lines.
struct LineTruth {
  std::vector<int> marked;  // the rule's lines
  bool located = false;     // some finding had a frame in the case's own code
  bool hit = false;         // some finding's top case frame is on a marked line
  std::string at;           // "file:line" of the first hit, else of the first top case frame
};

// The first frame of stack, from the top, in the folder holding rule.file; nullptr if none.
const Frame* top_case_frame(const Stack& stack, const LineRule& rule);

// Whether one of finding's stacks has its top case frame on a marked line of rule.file.
bool finding_hits(const Finding& finding, const LineRule& rule);

// Line-level truth over every finding of every trial.
LineTruth line_truth(const std::vector<TrialRecord>& trials, const LineRule& rule);

}  // namespace casebook
