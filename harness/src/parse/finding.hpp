// finding.hpp - what a detector saw, in structured form, as the parsers produce it.
//
// The types are results.json's own (results/finding.hpp): a parsed finding goes through the
// grader into the results file and out to the report writers unchanged, so there is one
// definition of a frame, a stack and a finding, not one per side of the file.
#pragma once

#include "results/finding.hpp"

namespace casebook {

using results::Finding;
using results::Frame;
using results::Stack;
using results::SuppressionCount;

}  // namespace casebook
