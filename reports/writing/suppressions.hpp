// suppressions.hpp - what a verdict's trials suppressed (results.json trials[].suppressed:
// Valgrind's <suppcounts>), summed, and the one line the reports show for it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "results/results_model.hpp"

namespace casebook::reports {

// The verdict's suppressions summed over its trials: (name, count), most frequent first, ties
// by name. Empty when no trial has any.
std::vector<std::pair<std::string, long>> suppressed_in(const results::Verdict& verdict);

// "suppressed: 10x helgrind-libgcc-unwind-raise, 2x drd-libc-stdio" for the verdict, or ""
// when nothing was suppressed.
std::string suppressed_line(const results::Verdict& verdict);

}  // namespace casebook::reports
