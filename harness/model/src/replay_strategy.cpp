// replay_strategy.cpp - follows a given schedule decision by decision, then the default
// (non-preemptive) choice. A decision that names a thread that cannot run at that point means
// the schedule does not fit this program (or these parameters): it is counted as a divergence
// and the default choice is taken instead, which is also how the shrinker tries out edited
// schedules.
#include "strategy.hpp"

namespace cb::model::detail {
namespace {

class replay_strategy final : public strategy {
 public:
  explicit replay_strategy(std::vector<int> decisions) : decisions_(std::move(decisions)) {}

  bool begin_execution(std::size_t index) override {
    divergences_ = 0;
    return index == 0;
  }

  int pick(const decision_point& d) override {
    if (d.index < decisions_.size()) {
      const int want = decisions_[d.index];
      for (int t : *d.enabled) {
        if (t == want) return want;
      }
      ++divergences_;
    }
    return default_choice(d);
  }

  void describe(exploration_result& r) const override {
    r.replay_diverged = divergences_ > 0;
    r.summary = divergences_ == 0
                    ? "replay: followed the given schedule (" + std::to_string(decisions_.size()) +
                          " decision(s))"
                    : "replay: the schedule did not fit at " + std::to_string(divergences_) +
                          " decision(s); the default choice was taken there";
  }

  std::size_t divergences() const { return divergences_; }

 private:
  std::vector<int> decisions_;
  std::size_t divergences_ = 0;
};

}  // namespace

std::unique_ptr<strategy> make_replay_strategy(std::vector<int> decisions) {
  return std::make_unique<replay_strategy>(std::move(decisions));
}

std::size_t replay_divergences(const strategy& s) {
  return static_cast<const replay_strategy&>(s).divergences();
}

}  // namespace cb::model::detail
