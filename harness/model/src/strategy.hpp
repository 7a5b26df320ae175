// strategy.hpp - the one interface every search strategy implements (random, pct, dfs,
// replay: one file each), and their factory. Internal to the model library.
//
// A strategy sees one execution as a sequence of decisions. At each it is given the threads
// that can run and the thread that ran last, and picks one. Executions are deterministic
// given their decisions, which is what lets dfs backtrack and replay reproduce.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "casebook/model/explore.hpp"

namespace cb::model::detail {

struct decision_point {
  std::size_t index = 0;            // decisions so far in this execution
  const std::vector<int>* enabled;  // ascending thread ids; never empty
  int current = -1;                 // the thread that ran last, -1 if it just finished
  bool current_enabled = false;     // switching away from it now would be a preemption
  int preemptions = 0;              // preemptions so far in this execution
  int threads = 0;                  // threads created so far (ids 0..threads-1)
};

// The choice a scheduler makes when nothing else decides: keep the running thread, else the
// lowest-numbered thread that can run. Replay falls back to it past the schedule's end.
inline int default_choice(const decision_point& d) {
  return d.current_enabled ? d.current : d.enabled->front();
}

class strategy {
 public:
  virtual ~strategy() = default;
  // Prepares execution number `index` (0-based); false when the search space is exhausted.
  virtual bool begin_execution(std::size_t index) = 0;
  // Picks a thread from *d.enabled.
  virtual int pick(const decision_point& d) = 0;
  // Called after every execution with its step count and thread count.
  virtual void end_execution(std::size_t steps, int threads) {
    (void)steps;
    (void)threads;
  }
  // Fills in what the search covered (exhaustive, PCT bounds, divergence) and its summary.
  virtual void describe(exploration_result& r) const = 0;
};

std::unique_ptr<strategy> make_random_strategy(const options& o);
std::unique_ptr<strategy> make_pct_strategy(const options& o);
std::unique_ptr<strategy> make_dfs_strategy(const options& o);
// Follows `decisions`, then default_choice; a decision naming a thread that cannot run is
// replaced by default_choice and counted as a divergence.
std::unique_ptr<strategy> make_replay_strategy(std::vector<int> decisions);
// The replay strategy's divergence count (0 when the schedule fitted).
std::size_t replay_divergences(const strategy& s);

// A small, fast, seedable generator (splitmix64): the same seed gives the same schedules on
// every platform, which std::uniform_int_distribution does not promise.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (the modulo bias is negligible for the small n used here).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

}  // namespace cb::model::detail
