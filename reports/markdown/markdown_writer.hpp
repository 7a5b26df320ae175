// markdown_writer.hpp - results.json -> a Markdown summary for CI step summaries (GitHub's
// $GITHUB_STEP_SUMMARY, GitLab's job summaries) and pull-request comments.
//
// It holds the counts, the failed expectations, each with its reason and the one-line repro
// command in a code block, and a compact matrix: one row per case, one column per detector,
// each cell "broken · fixed" verdicts, failures in bold with a cross. Text from the run is
// stripped of ANSI codes and escaped for tables. Kept well under GitHub's 1 MiB summary limit:
// at most 50 failures are listed in full.
#pragma once

#include <string>

#include "results/results_model.hpp"

namespace casebook::reports {

// Renders a results document (or a merged one), read with results::read_results.
std::string markdown_from_results(const results::Results& results);

}  // namespace casebook::reports
