// verdict_words.hpp - how a verdict of results.json reads to a person, in one place, so the
// console, summary.md, JUnit and the HTML page say the same thing about the same verdict.
//
// Two false positives must never read alike:
//   - a report on a variant expected clean fails: "false-positive (expected clean)";
//   - a report of the kinds a variant declares as a detector's known false positive passes:
//     "known-false-positive (expected clean, or only the known false positive data-race)";
//     the same declaration with a report of another kind fails as a plain false-positive with
//     that same expectation.
#pragma once

#include <string>

#include "results/results_model.hpp"

namespace casebook::reports {

// The verdict a person reads: results.json's `verdict`, except that a false positive that
// passed (the variant declares it a known limit of the detector) reads "known-false-positive".
// Also the token the HTML page keys its colours and filters on.
std::string shown_verdict(const results::Verdict& verdict);

// What the verdict's `expected` asked for: "detected", "clean", "skipped", or for a declared
// known false positive "clean, or only the known false positive <kinds>".
std::string expected_words(const results::Expected& expected);

// "<shown verdict> (expected <expected words>)": the one-line form every writer prints.
std::string verdict_with_expectation(const results::Verdict& verdict);

}  // namespace casebook::reports
