// shrink.cpp - delta debugging over schedule decisions (see shrink.hpp).
#include "shrink.hpp"

#include <utility>

namespace cb::model::detail {

std::vector<int> essential_decisions(const execution_outcome& o) {
  std::size_t keep = 0;
  for (std::size_t i = 0; i < o.steps.size(); ++i) {
    if (!o.steps[i].by_default) keep = i + 1;
  }
  return {o.decisions.begin(), o.decisions.begin() + static_cast<std::ptrdiff_t>(keep)};
}

shrink_result shrink(execution_outcome failing, const replay_fn& replay, const search_fn& search,
                     std::size_t budget) {
  shrink_result r;
  r.smallest = std::move(failing);
  auto smaller = [&](const execution_outcome& o) {
    if (!o.failed || o.what.kind != r.smallest.what.kind) return false;
    if (o.preemptions != r.smallest.preemptions) return o.preemptions < r.smallest.preemptions;
    return o.steps.size() < r.smallest.steps.size();
  };
  std::vector<int> current = essential_decisions(r.smallest);
  auto attempt = [&](const std::vector<int>& candidate) {
    execution_outcome o = replay(candidate);
    ++r.replays;
    if (!smaller(o)) return false;
    r.smallest = std::move(o);
    current = essential_decisions(r.smallest);
    return true;
  };
  // First, fewer preemptions by search: the failure with the fewest preemptions is found
  // by the bounded dfs with the smallest bound that still fails. Half the budget at most.
  for (int bound = 0; bound < static_cast<int>(r.smallest.preemptions) && r.replays < budget / 2;
       ++bound) {
    std::size_t used = 0;
    execution_outcome o = search(bound, budget / 2 - r.replays, &used);
    r.replays += used;
    if (smaller(o)) {
      r.smallest = std::move(o);
      current = essential_decisions(r.smallest);
      break;
    }
  }
  // Then cut-and-switch: keep a prefix of the decisions, then make one switch to some thread
  // and let the default run the rest. This finds short, one-preemption forms of a failure that
  // chunk removal reaches only by luck; it is repeated while it improves.
  for (bool improved = true; improved && r.replays < budget;) {
    improved = false;
    const int threads = r.smallest.threads;
    for (std::size_t cut = 0; cut <= current.size() && !improved && r.replays < budget; ++cut) {
      std::vector<int> candidate(current.begin(),
                                 current.begin() + static_cast<std::ptrdiff_t>(cut));
      if (attempt(candidate)) {
        improved = true;
        break;
      }
      for (int t = 0; t < threads && !improved && r.replays < budget; ++t) {
        candidate.push_back(t);
        improved = attempt(candidate);
        candidate.pop_back();
      }
    }
  }
  // Then ddmin: remove chunks of decisions, halving the chunk size when nothing can go.
  std::size_t chunk = current.size() / 2;
  if (chunk == 0) chunk = 1;
  while (!current.empty() && r.replays < budget) {
    bool improved = false;
    for (std::size_t start = 0; start < current.size() && r.replays < budget; start += chunk) {
      std::vector<int> candidate(current.begin(),
                                 current.begin() + static_cast<std::ptrdiff_t>(start));
      const std::size_t end = std::min(current.size(), start + chunk);
      candidate.insert(candidate.end(), current.begin() + static_cast<std::ptrdiff_t>(end),
                       current.end());
      if (attempt(candidate)) {
        improved = true;
        break;
      }
    }
    if (improved) {
      if (chunk > current.size()) chunk = std::max<std::size_t>(1, current.size() / 2);
      continue;
    }
    if (chunk == 1) break;
    chunk /= 2;
  }
  return r;
}

}  // namespace cb::model::detail
