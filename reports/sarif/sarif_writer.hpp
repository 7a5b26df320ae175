// sarif_writer.hpp - results.json -> SARIF 2.1.0, for code-scanning views (GitHub, VS Code).
//
// One SARIF result per distinct finding: the same (rule, case, variant, fingerprint) seen in
// several trials is reported once, as its first trial showed it, with the count of trials that
// showed it (properties trials_showing and trials; "in N of M trials" in the message). ruleId is
// "<detector>/<kind>" ("tsan/data-race"); the message is the finding's summary with the case,
// variant and verdict; the location is the finding's first frame, over all its stacks, in the
// case's own folder, else its first frame in the repository's sources; every stack becomes one
// threadFlow of one codeFlow (the two accesses of a race, each thread of a hang). URIs are
// relative to a base: %SRCROOT% for the repository, or, for a case brought in through
// CASEBOOK_EXTRA_CASES, that folder's base id (a frame's "base", a verdict's "file_base"),
// declared in run.originalUriBaseIds from the results' source_bases.
// partialFingerprints hold a hash of the rule and the top symbolized frames (function and file, not
// line or address), or, for a finding without frames (an invariant, a counterexample), the rule and
// the finding's location, never its summary (observed values change every run); so a finding keeps
// its identity across runs and small edits.
//
// Levels: a finding in a verdict that failed (a false positive, an unexpected report) is an
// "error"; a finding a broken variant was declared to produce is a "note" (the catalog doing
// its job). A missed detection has no finding, so it becomes a "casebook/missed" result at
// the variant's file, level "error"; an infrastructure error becomes "casebook/error".
//
// Sizes stay under GitHub's upload limits: at most 25 000 results, 40 frames per stack and
// 10 stacks per finding.
#pragma once

#include <string>

#include "results/results_model.hpp"

namespace casebook::reports {

// Renders a results document (or a merged one), read with results::read_results.
std::string sarif_from_results(const results::Results& results);

}  // namespace casebook::reports
