// random_strategy.cpp - random walk: at every decision, any thread that can run, uniformly.
//
// Cheap and unbiased per step, but a bug that needs a long run of one thread before a switch
// is found rarely; PCT (pct_strategy.cpp) gives guarantees for that.
#include "strategy.hpp"

namespace cb::model::detail {
namespace {

class random_strategy final : public strategy {
 public:
  explicit random_strategy(const options& o) : opts_(o), rng_(o.seed) {}

  bool begin_execution(std::size_t index) override {
    if (index >= opts_.runs) return false;
    // Each execution gets its own stream, so execution i is reproducible on its own.
    rng_ = rng(opts_.seed * 0x2545F4914F6CDD1Dull + index);
    executions_ = index + 1;
    return true;
  }

  int pick(const decision_point& d) override { return (*d.enabled)[rng_.below(d.enabled->size())]; }

  void describe(exploration_result& r) const override {
    r.summary = "random walk: " + std::to_string(executions_) + " execution(s), seed " +
                std::to_string(opts_.seed) + "; no coverage guarantee";
  }

 private:
  const options& opts_;
  rng rng_;
  std::size_t executions_ = 0;
};

}  // namespace

std::unique_ptr<strategy> make_random_strategy(const options& o) {
  return std::make_unique<random_strategy>(o);
}

}  // namespace cb::model::detail
