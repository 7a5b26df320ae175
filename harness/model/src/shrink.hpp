// shrink.hpp - makes a failing schedule minimal: fewest preemptions first, then fewest steps,
// by delta debugging (ddmin, Zeller 2002) over the schedule's decisions.
//
// Internal to the model library. A candidate is the failing schedule with a chunk of
// decisions removed, replayed with the default (non-preemptive) choice wherever it no longer
// fits; it is kept when the replay fails with the same kind of failure and is smaller.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "execution.hpp"

namespace cb::model::detail {

// The shortest prefix of o's decisions that replays to the same execution: everything after
// the last decision that differs from the default choice is implied.
std::vector<int> essential_decisions(const execution_outcome& o);

struct shrink_result {
  execution_outcome smallest;
  std::size_t replays = 0;
};

// `replay` runs one execution following the given decisions (then the default); `search`
// runs a dfs within preemption bound `bound` for at most `executions` executions and returns
// the first failing outcome (failed == false when none failed), adding what it ran to *used.
using replay_fn = std::function<execution_outcome(const std::vector<int>&)>;
using search_fn =
    std::function<execution_outcome(int bound, std::size_t executions, std::size_t* used)>;
shrink_result shrink(execution_outcome failing, const replay_fn& replay, const search_fn& search,
                     std::size_t budget);

}  // namespace cb::model::detail
