// program_union.hpp - the file-level verdict of a labelled standalone program: did any
// detector flag it?
//
// A program labelled by the pair convention or a --labels file (VariantDecl::program) gets,
// beside its per-detector verdicts, one of the pseudo-detector "union": a positive is
// `detected` when some detector's trial showed a finding (any kind) and `missed` when none
// did; a negative is `clean` when no detector's trial showed one and `false-positive` when
// some did. This is DataRaceBench's file-level question, and the scorecard's union row. A
// program whose detectors could not run (build errors, infrastructure errors) and showed
// nothing is an `error`. Pure; thread-safe.
#pragma once

#include <vector>

#include "suite/suite.hpp"

namespace casebook {

inline constexpr const char* kUnionDetector = "union";

// The union verdicts of the labelled programs among verdicts, in the order their programs
// first appear.
std::vector<VerdictRecord> program_union_verdicts(const std::vector<VerdictRecord>& verdicts);

}  // namespace casebook
