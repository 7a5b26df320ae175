// explore_command.hpp - `casebook-cases-model explore`: runs one variant under the controlled
// scheduler. Compiled into the model configuration's case host only.
#pragma once

#include <string_view>
#include <vector>

namespace casebook::casehost {

// explore <case> <variant> [--strategy auto|random|pct|dfs|replay] [--schedule S] [--runs N]
//         [--seed S] [--preemption-bound B] [--pct-depth D] [--max-steps N]
//         [--time-limit SECONDS] [--threads N] [--iterations N] [--param NAME=VALUE]...
//         [--outcome FILE]
// The body is the variant's run() with its .small params (else its defaults); a run whose
// outcome does not hold is an invariant violation. Writes the result as JSON to FILE (or
// stdout) and a readable report of any failure to stderr. `auto` (the default) is what the
// model detector grades with: dfs within preemption bound 2 when that finishes within the time
// limit, otherwise --runs (default 10000) PCT executions. Returns the exit code.
int explore_variant(const std::vector<std::string_view>& args);

}  // namespace casebook::casehost
