// line_truth.hpp - line-level ground truth: does a detector's evidence land on the lines a
// broken variant marks as its bug (catalog/bug_markers.hpp)?
//
// File-level truth asks "did the detector flag the buggy program?"; line-level truth asks
// "did it point at the bug?". A finding is a line-level hit when any frame of any of its
// stacks that lies in the case's own code (the variant's case folder, under the variant's
// root: frames in the C++ library, the sanitizer runtime or casebook's facade are skipped) is
// on a marked line of the variant's source. Every frame, not only the top one: a hang's bug is
// often a caller of the blocking call in one of its threads' stacks, and a model deadlock's
// blocked threads wait on the marked lines below the frames of the interleaving. Pure
// functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grade/trial_record.hpp"
#include "parse/finding.hpp"

namespace casebook {

// The marked lines of one variant: the rule a finding is checked against.
struct LineRule {
  std::string file;         // the variant's source, as frames name it (relative to its root)
  std::vector<int> marked;  // its casebook-bug lines, ascending
  std::string base;         // the frames' base id of that root; "" for the repository
  // Labelled race pairs (a label file's `x@64:10:W vs. y@64:5:R`): the lines of a race's two
  // accesses. Empty: any two marked lines make a pair.
  std::vector<std::pair<int, int>> pairs = {};
};

// Which frame of which stack a line-level answer is about.
struct FrameRef {
  int trial = 0;            // TrialRecord::index
  int stack = 0;            // index in the finding's stacks
  std::string stack_title;  // that stack's title ("Write of size 8 ...", "Thread 2 ...")
  std::string thread;       // that stack's thread, when stated
  int frame = 0;            // index in the stack's frames (0: the top)
  std::string function;     // the frame's function
};

// Race-pair truth: did a data race's two accesses land on the pair of lines the ground truth
// names (both, in either order), or on one of them? A race report's accesses are its stacks
// titled as a read or write ("Write of size 4 ...", "Previous read ...", "This conflicts with
// a previous write ...", "Conflicting load ..."); the line of each is its top frame in the
// case's code. DRD names only one access (the other is a segment range): at most `one`.
struct PairTruth {
  bool both = false;    // some race finding had both accesses on a pair's two lines
  bool one = false;     // ... or, failing that, one access on a line of a pair
  std::vector<int> at;  // the access lines of the deciding (else the first) race finding
};

// Where a (variant, detector)'s findings landed, for a variant that marks lines.
struct LineTruth {
  std::vector<int> marked;        // the rule's lines
  bool located = false;           // some finding had a frame in the case's own code
  bool hit = false;               // some finding had a case frame on a marked line
  std::string at;                 // "file:line" of the first hit, else of the first top case frame
  std::optional<FrameRef> frame;  // the frame `at` names; empty when `at` is
  // For a rule with race pairs (labelled, or two or more marked lines): set from the trials'
  // data races; with no race among them, both and one are false.
  std::optional<PairTruth> race_pair;
};

// The lines of a race finding's accesses in the case's code (0 for an access outside it), in
// report order; empty for a finding that is not a data race.
std::vector<int> race_access_lines(const Finding& finding, const LineRule& rule);

// Whether frame lies in the case's own code: the folder holding rule.file, under rule.base.
bool in_case_code(const Frame& frame, const LineRule& rule);

// Whether frame is in rule.file (under rule.base) on one of its marked lines.
bool on_marked_line(const Frame& frame, const LineRule& rule);

// The first frame of stack, from the top, in the case's own code; nullptr if none.
const Frame* top_case_frame(const Stack& stack, const LineRule& rule);

// Whether any frame of any of finding's stacks is on a marked line of rule.file.
bool finding_hits(const Finding& finding, const LineRule& rule);

// Line-level truth over every frame of every finding of every trial.
LineTruth line_truth(const std::vector<TrialRecord>& trials, const LineRule& rule);

}  // namespace casebook
