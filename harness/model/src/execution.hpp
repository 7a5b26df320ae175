// execution.hpp - one run of a model program under one strategy: the model threads (fibers),
// the scheduler core that makes every decision, the model state of the sync objects, and the
// failure checks (data races, deadlock, lost wake-up, livelock, unjoined threads, mutex misuse).
//
// Internal to the model library. Not thread-safe and not meant to be: an execution lives on
// one OS thread, and exactly one of its model threads runs at any moment, which is why none
// of the state below is locked.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "casebook/model/explore.hpp"
#include "casebook/model/rt.hpp"
#include "fiber.hpp"
#include "strategy.hpp"

namespace cb::model::detail {

// One executed step, kept compact: names are only built for the traces that are reported.
struct executed_step {
  int thread = 0;
  rt::op kind = rt::op::start;
  std::uint32_t object = 0;  // 0: none; else the execution's object number
  int target = -1;           // spawn/join/detach: the other thread
  const char* file = "";
  int line = 0;
  bool racy = false;
  bool preemption = false;
  bool by_default = false;  // the choice a non-preemptive scheduler would have made anyway
};

struct execution_outcome {
  bool failed = false;
  // Hit options::max_steps without the evidence a livelock needs (every thread that can run
  // spinning on memory nobody writes): neither a failure nor a pass.
  bool inconclusive = false;
  failure_info what;
  std::vector<int> decisions;
  std::vector<executed_step> steps;
  std::vector<std::string> object_labels;  // indexed by object number
  std::size_t preemptions = 0;
  int threads = 0;
};

// Builds the printable interleaving of an outcome.
std::vector<trace_step> make_trace(const execution_outcome& o);

class execution;

struct model_thread {
  int id = 0;
  std::unique_ptr<fiber> context;
  std::function<void()> body;
  bool finished = false;
  bool abandoned = false;  // could not be unwound after a failure; its frames are leaked
  bool detached = false;
  bool joined = false;
  // The operation it will perform when next chosen.
  rt::op pending = rt::op::start;
  rt::object_core* object = nullptr;
  rt::mutex_core* mutex = nullptr;  // lock / wake: the mutex it needs
  rt::ready_fn ready = nullptr;
  const void* ready_arg = nullptr;
  int target = -1;
  source_loc where;
  source_loc last_user;  // the latest call site outside system headers
  bool notified = false;
  bool timed = false;
  std::size_t yield_mark = 0;  // steps taken when it last yielded or began a spin re-read
  // Spin detection (the fair scheduler, after CHESS): the locations it has read since its
  // latest progress (a write that changed a value, or any step other than a read, a yield or
  // its own lock/unlock), each with the location's write count when read and the call site.
  // Reading one again from the same call site while that count is unchanged re-reads memory
  // nobody has written since: a spin, which loses priority like a yield. Requiring the same
  // call site keeps a load followed by a CAS of the same atomic (a different line) from
  // counting as a spin.
  struct seen_read {
    std::uint32_t object = 0;
    std::uint64_t version = 0;
    source_loc where;  // the call site: a spin re-reads from the same place
  };
  std::vector<seen_read> seen;
  std::size_t rereads = 0;        // re-reads of unchanged memory since its latest progress
  bool spin_pending = false;      // its pending step is a spin iteration (a re-read, a lock)
  std::uint32_t spin_object = 0;  // the location of its latest re-read, and where
  source_loc spin_where;
  std::size_t last_step = 0;  // 1 + the index of its latest step (0: none yet)
  std::size_t abort_budget = 10000;
  std::vector<std::uint32_t> held;   // mutexes held, by object number
  std::vector<std::uint32_t> clock;  // vector clock, for telling racing accesses
};

class execution {
 public:
  execution(const options& opts, strategy& s);
  ~execution();
  execution(const execution&) = delete;
  execution& operator=(const execution&) = delete;

  execution_outcome run(const std::function<void()>& body);

  // The hooks of rt.hpp, for the running model thread.
  int spawn(std::function<void()> body, source_loc where);
  void join(int thread, bool from_destructor, source_loc where);
  void detach(int thread, source_loc where);
  void destroyed_joinable(int thread, source_loc where);
  void lock(rt::mutex_core& m, bool shared, source_loc where);
  bool try_lock(rt::mutex_core& m, bool shared, source_loc where);
  void unlock(rt::mutex_core& m, bool shared, source_loc where);
  bool wait(rt::cv_core& cv, rt::mutex_core& m, bool timed, source_loc where);
  void notify(rt::cv_core& cv, bool all, source_loc where);
  void access(rt::object_core& object, rt::op kind, source_loc where);
  void atomic_sync(rt::object_core& object, rt::op kind, std::memory_order order, bool changed);
  void block_until(rt::object_core& object, rt::op kind, rt::ready_fn ready, const void* arg,
                   source_loc where);
  void point(rt::object_core* object, rt::op kind, source_loc where);
  [[noreturn]] void fail(const char* kind, const char* message, source_loc where);
  int self() const { return current_; }

  static execution* current();
  static void thread_entry();

 private:
  model_thread& me() { return *threads_[static_cast<std::size_t>(current_)]; }
  std::uint32_t object_number(rt::object_core& o, const char* kind);
  void reset_if_new(rt::mutex_core& m);
  // Announces the running thread's next operation and lets the scheduler decide.
  void announce(rt::op kind, rt::object_core* object, source_loc where);
  // True when `t` could perform its pending operation now (yields aside).
  bool can_run(const model_thread& t) const;
  // Fair scheduling: true while `t` waits for the other runnable threads to step (it
  // yielded, slept, or is about to re-read memory nobody has written since it last read it).
  bool holds_back(const model_thread& t) const;
  // Spin detection: the running thread's step read `object` (changed false) or changed its
  // value (changed true); progress() forgets what it has read.
  void note_access(std::uint32_t object, bool changed);
  void progress(model_thread& t);
  // Whether `t`'s pending operation would re-read a location it read before at an unchanged
  // write count.
  bool rereads_unchanged(const model_thread& t) const;
  // `t` has re-read unchanged memory since its latest progress, and nothing it read since
  // then has been written: it is spinning.
  bool in_spin(const model_thread& t) const;
  // True when every thread that can run is spinning with nothing written since its reads.
  bool livelock_evidence(std::vector<std::string>& details) const;
  void step_bound_reached();
  // Every thread that can run spins and the blocked ones wait for each other in a cycle:
  // fails the execution with that deadlock and returns true.
  bool spinners_wait_for_deadlock();
  void decide();
  void compute_enabled();
  void switch_to(int next);
  void leave_to_host(bool exiting);
  // Records the first failure, stops the execution, and lets the host unwind the threads.
  void abort_execution(const std::string& kind, const std::string& message,
                       std::vector<std::string> details);
  // After a switch back during unwinding: throwing operations throw, others return.
  bool aborted_here(bool may_throw);
  void blocked_failure();
  // The wait-for cycle among blocked threads (a lock waiter waits for the owner, a joiner for
  // the joined thread), as text; "" when there is none.
  std::string wait_cycle() const;
  void finish_thread();
  void unwind_all();
  std::string thread_label(int id) const;
  std::string doing(const model_thread& t) const;
  void acquire_clock(std::uint32_t object);
  void release_clock(std::uint32_t object);
  // A release store to atomic `object`: it heads a new release sequence, so the atomic's clock
  // becomes the thread's (what came before, from other threads' stores, is no longer read).
  void release_store_clock(std::uint32_t object);
  // Records the running thread's access to shared variable `object` (its latest step) and
  // returns the step of an earlier, conflicting access of another thread that no
  // happens-before edge orders before it; no_race when there is none.
  std::size_t check_race(std::uint32_t object, bool write);
  // Fails the execution with data-race between the latest step and step `earlier`.
  void race_failure(std::size_t earlier);
  static constexpr std::size_t no_race = static_cast<std::size_t>(-1);

  const options& opts_;
  strategy& strategy_;
  std::uint32_t serial_ = 0;
  fiber host_;
  std::vector<std::unique_ptr<model_thread>> threads_;
  int current_ = -1;
  bool aborting_ = false;
  bool no_throw_ = false;  // the running thread is in a destructor that must not throw
  int spurious_left_ = 0;
  std::vector<int> enabled_;
  bool all_held_ = false;  // every thread that can run yields or spins
  std::vector<int> spurious_candidates_;
  execution_outcome out_;
  // Per object number: its label ("mutex#1") and its vector clock (for an atomic: the clock
  // an acquire load of its current value synchronises with, the union of the heads of the
  // release sequence that value belongs to); per shared variable the latest accesses, to tell
  // racing accesses from ordered ones.
  std::vector<std::vector<std::uint32_t>> object_clock_;
  struct access_record {
    int thread = -1;
    std::uint32_t clock = 0;
    std::size_t step = 0;
  };
  struct location {
    access_record last_write;
    std::vector<access_record> reads;  // per thread
  };
  std::vector<location> locations_;
  std::vector<std::vector<int>> cv_waiters_;  // per object number
  std::vector<std::uint64_t> versions_;       // per object number: value-changing writes so far
  std::vector<std::pair<const char*, int>> class_counts_;  // objects numbered per kind
};

// Thrown into a model thread to unwind it when its execution has failed.
struct execution_aborted {};

}  // namespace cb::model::detail
