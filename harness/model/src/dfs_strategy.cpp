// dfs_strategy.cpp - bounded-preemption depth-first search, after CHESS (Musuvathi & Qadeer,
// PLDI 2007): every schedule with at most `preemption_bound` preemptions, each exactly once.
//
// Stateless: each execution replays a prefix of decisions from the root and then runs with
// the default (non-preemptive) choice, recording at every decision which alternatives exist.
// Backtracking takes the deepest decision that still has an untried alternative within the
// bound. Switching away from a thread that cannot run (blocked, yielded, finished) is free;
// switching away from one that can is a preemption. The search is exhaustive within the bound
// when it ends by running out of alternatives rather than out of executions.
#include "strategy.hpp"

namespace cb::model::detail {
namespace {

class dfs_strategy final : public strategy {
 public:
  explicit dfs_strategy(const options& o) : opts_(o) {}

  bool begin_execution(std::size_t index) override {
    if (index > 0 && !backtrack()) {
      exhausted_ = true;
      return false;
    }
    if (index >= opts_.max_executions) return false;
    executions_ = index + 1;
    depth_ = 0;
    return true;
  }

  int pick(const decision_point& d) override {
    if (depth_ < stack_.size()) {
      const node& n = stack_[depth_++];
      return n.order[n.pos];
    }
    // A new decision: the default first, then every other thread that can run.
    node n;
    n.current = d.current_enabled ? d.current : -1;
    n.preemptions_before = d.preemptions;
    n.order.push_back(default_choice(d));
    for (int t : *d.enabled) {
      if (t != n.order.front()) n.order.push_back(t);
    }
    stack_.push_back(std::move(n));
    ++depth_;
    return stack_.back().order.front();
  }

  void end_execution(std::size_t, int) override {
    // Decisions beyond what this execution reached belong to an older branch.
    stack_.resize(depth_);
  }

  void describe(exploration_result& r) const override {
    r.exhaustive = exhausted_;
    r.preemption_bound = opts_.preemption_bound;
    r.summary = "dfs: explored " + std::to_string(executions_) +
                " schedule(s), exhaustive within preemption bound " +
                std::to_string(opts_.preemption_bound) + ": " + (exhausted_ ? "yes" : "no");
  }

 private:
  struct node {
    std::vector<int> order;  // alternatives, default first
    std::size_t pos = 0;     // the one taken now
    int current = -1;        // the running thread if it could go on, else -1
    int preemptions_before = 0;
  };

  int cost(const node& n, int choice) const {
    return n.preemptions_before + (n.current >= 0 && choice != n.current ? 1 : 0);
  }

  bool backtrack() {
    while (!stack_.empty()) {
      node& n = stack_.back();
      while (n.pos + 1 < n.order.size()) {
        ++n.pos;
        if (cost(n, n.order[n.pos]) <= opts_.preemption_bound) return true;
      }
      stack_.pop_back();
    }
    return false;
  }

  const options& opts_;
  std::vector<node> stack_;
  std::size_t depth_ = 0;
  std::size_t executions_ = 0;
  bool exhausted_ = false;
};

}  // namespace

std::unique_ptr<strategy> make_dfs_strategy(const options& o) {
  return std::make_unique<dfs_strategy>(o);
}

}  // namespace cb::model::detail
