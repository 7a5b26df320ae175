// pct_strategy.cpp - probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010).
//
// Every thread gets a random priority above d; d-1 change points are drawn among the k steps
// of an execution; the highest-priority thread that can run always runs, and at the j-th
// change point the running thread drops to priority d-j. A bug of depth d (d ordering
// constraints) in a program of n threads and k steps is then hit with probability at least
// 1/(n k^(d-1)) per execution. k is not known in advance: the first execution (no change
// points) measures it, and later ones use the largest step count seen so far.
#include <algorithm>
#include <cmath>

#include "strategy.hpp"

namespace cb::model::detail {
namespace {

class pct_strategy final : public strategy {
 public:
  explicit pct_strategy(const options& o)
      : opts_(o), rng_(o.seed), depth_(std::max(1, o.pct_depth)) {}

  bool begin_execution(std::size_t index) override {
    if (index >= opts_.runs) return false;
    rng_ = rng(opts_.seed * 0x9E3779B97F4A7C15ull + index);
    priorities_.clear();
    change_points_.clear();
    if (k_ > 0) {
      for (int j = 1; j < depth_; ++j) change_points_.push_back(1 + rng_.below(k_));
    }
    executions_ = index + 1;
    return true;
  }

  int pick(const decision_point& d) override {
    while (priorities_.size() < static_cast<std::size_t>(d.threads)) {
      // A random priority above every change-point priority; ties are vanishingly rare and
      // resolved by thread id.
      priorities_.push_back(static_cast<double>(depth_) + 1.0 +
                            static_cast<double>(rng_.next() >> 11) / 9007199254740992.0 * 1e6);
    }
    // A change point at this step lowers the thread that was running.
    for (std::size_t j = 0; j < change_points_.size(); ++j) {
      if (change_points_[j] == d.index + 1 && d.current >= 0) {
        priorities_[static_cast<std::size_t>(d.current)] = static_cast<double>(depth_ - 1 - j);
      }
    }
    int best = d.enabled->front();
    for (int t : *d.enabled) {
      if (priorities_[static_cast<std::size_t>(t)] > priorities_[static_cast<std::size_t>(best)]) {
        best = t;
      }
    }
    return best;
  }

  void end_execution(std::size_t steps, int threads) override {
    k_ = std::max(k_, steps);
    n_ = std::max(n_, threads);
  }

  void describe(exploration_result& r) const override {
    r.pct_depth = depth_;
    r.pct_threads = n_;
    r.pct_steps = k_;
    const double p =
        n_ > 0 && k_ > 0 ? 1.0 / (n_ * std::pow(static_cast<double>(k_), depth_ - 1)) : 0.0;
    r.pct_per_run_bound = p;
    r.pct_miss_bound = std::pow(1.0 - p, static_cast<double>(executions_));
    char text[256];
    std::snprintf(text, sizeof text,
                  "pct: %zu execution(s), depth d=%d, n=%d threads, k=%zu steps; a depth-%d bug "
                  "is hit with p >= 1/(n*k^(d-1)) = %.3g per run; miss bound after %zu runs "
                  "(1-p)^R = %.3g",
                  executions_, depth_, n_, k_, depth_, p, executions_, r.pct_miss_bound);
    r.summary = text;
  }

 private:
  const options& opts_;
  rng rng_;
  int depth_;
  std::size_t k_ = 0;
  int n_ = 0;
  std::size_t executions_ = 0;
  std::vector<double> priorities_;
  std::vector<std::size_t> change_points_;
};

}  // namespace

std::unique_ptr<strategy> make_pct_strategy(const options& o) {
  return std::make_unique<pct_strategy>(o);
}

}  // namespace cb::model::detail
