// noise/injector.hpp - seeded schedule noise for the real builds (the `noise` configuration).
//
// The idea is IBM ConTest's and rr's chaos mode: a race whose window is a few instructions wide
// shows more often when threads are made to stop at the very points where they interact. In
// the noise build every cb:: synchronisation operation and every cb::shared<T> access first
// calls cb::noise::point(), which, by a seeded draw, does nothing, yields the CPU, or sleeps a
// few microseconds.
//
// Reproducible decisions: each thread draws from its own stream, derived from the run's seed
// and the thread's ordinal (0 for the main thread, then 1, 2, ... in the order cb::thread
// objects are created). The same seed gives every thread the same sequence of decisions at its
// own points; what the OS scheduler then does with a yield or a sleep is not ours to repeat.
//
// Thread-safety: configure() before the case's threads start (the case host does); point()
// from any thread.
#pragma once

#include <cstdint>

namespace cb::noise {

enum class action { none, yield, sleep };

struct decision {
  action what = action::none;
  unsigned micros = 0;  // sleep only
};

// One thread's stream of decisions. level 0 never perturbs; level L in 1..10 perturbs about
// L x 5% of points: two thirds of them with a yield, one third with a sleep of 1 to L x 20 µs.
// Budgets keep a variant with millions of points (a counter bumped 500 000 times per thread)
// from running for seconds longer: a thread sleeps at most kSleepBudgetMicros in all (later
// sleeps become yields), and perturbs at most kPerturbationBudget points (later points run
// undisturbed). A yield with more threads than cores costs a context switch, microseconds.
class injector {
 public:
  static constexpr unsigned kSleepBudgetMicros = 20000;
  static constexpr unsigned kPerturbationBudget = 5000;

  injector(std::uint64_t seed, int level, std::uint64_t stream);
  decision next();

 private:
  std::uint64_t state_;
  int level_;
  unsigned slept_micros_ = 0;
  unsigned perturbed_ = 0;
};

// Sets the run's level and seed (the case host calls it with the trial's seed and the level in
// CASEBOOK_NOISE_LEVEL). Before it, and at level 0, point() does nothing.
void configure(int level, std::uint64_t seed);
int configured_level();
// How many points perturbed (yielded or slept) since configure(), in every thread: what a test
// checks to know the noise fired.
std::uint64_t points_perturbed();

// A scheduling point: draws the calling thread's next decision and acts on it.
void point() noexcept;

// The ordinal the next created thread gets; called by the facade's thread constructors in the
// creating thread, so creation order decides ordinals.
std::uint64_t next_thread_ordinal() noexcept;
// Makes the calling thread draw from stream `ordinal` (the facade calls it first thing in
// every thread it starts).
void enter_thread(std::uint64_t ordinal) noexcept;

}  // namespace cb::noise
