// shutdown_hang, broken: a small worker pool takes jobs from a blocking queue. Shutdown sets a
// `stopping` flag and wakes the workers, but an idle worker is asleep inside the queue's pop(),
// whose wait only ends when an item arrives. The flag is checked at the top of the worker loop,
// which a worker blocked in pop() never reaches again: shutdown's join() waits forever.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace {

// A blocking FIFO: pop() waits until an item is there.
class job_queue {
 public:
  void push(std::int64_t job) {
    {
      cb::lock_guard hold(lock_);
      items_.push_back(job);
    }
    not_empty_.notify_one();
  }

  // Blocks until an item is available. "Available" is the only way out of this wait.
  std::int64_t pop() {
    cb::unique_lock hold(lock_);
    ++sleepers_;
    if (items_.empty()) idle_.notify_all();  // idle needs an empty queue: no wake-up before then
    not_empty_.wait(hold, [&] { return !items_.empty(); });  // casebook-bug: no way out but an item
    --sleepers_;
    std::int64_t job = items_.front();
    items_.pop_front();
    return job;
  }

  // Blocks until the queue is empty and `consumers` callers are asleep in pop(): the pool is idle.
  void wait_idle(int consumers) {
    cb::unique_lock hold(lock_);
    idle_.wait(hold, [&] { return items_.empty() && sleepers_ == consumers; });
  }

  // Wakes every waiter. A woken pop() re-checks its predicate, finds the queue still empty and goes
  // back to sleep, so this cannot end a pop() on its own.
  void wake_all() { not_empty_.notify_all(); }

 private:
  cb::mutex lock_;
  cb::condition_variable not_empty_;
  cb::condition_variable idle_;
  std::deque<std::int64_t> items_;  // guarded by lock_
  int sleepers_ = 0;                // guarded by lock_: callers waiting inside pop()
};

// The pool's results: how many jobs were handled and a checksum over them.
struct results {
  cb::mutex lock;
  std::int64_t handled = 0;  // guarded by lock
  std::uint64_t sum = 0;     // guarded by lock
};

std::uint64_t work(std::uint64_t seed, std::int64_t job, std::int64_t rounds) {
  std::uint64_t x = seed ^ static_cast<std::uint64_t>(job);
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

class worker_pool {
 public:
  worker_pool(int workers, std::uint64_t seed, std::int64_t rounds, results& out)
      : seed_(seed), rounds_(rounds), out_(out) {
    for (int w = 0; w < workers; ++w) workers_.emplace_back([this] { work_loop(); });
  }

  void submit(std::int64_t job) { jobs_.push(job); }

  // Returns once every submitted job is done and every worker is back in pop(), waiting for more.
  void wait_idle() { jobs_.wait_idle(static_cast<int>(workers_.size())); }

  // BUG: the flag and the queue do not know about each other. Workers busy with a job see the flag
  // when they come back to the top of their loop; workers already asleep in pop() are woken by
  // wake_all(), find no item, and go back to sleep. join() then waits for them forever.
  void shutdown() {
    stopping_.store(true);
    jobs_.wake_all();  // casebook-bug: a woken pop() finds no item and sleeps again
    for (auto& w : workers_) w.join();  // casebook-bug: waits forever for the sleeping workers
  }

 private:
  void work_loop() {
    while (!stopping_.load()) {
      std::int64_t job = jobs_.pop();  // an idle worker sleeps here, not at the check above
      std::uint64_t value = work(seed_, job, rounds_);
      {
        cb::lock_guard hold(out_.lock);
        ++out_.handled;
        out_.sum += value;
      }
    }
  }

  std::uint64_t seed_;
  std::int64_t rounds_;
  results& out_;
  job_queue jobs_;
  cb::atomic<bool> stopping_{false};
  std::vector<cb::thread> workers_;
};

cb::outcome run(const cb::params& p) {
  const std::int64_t jobs = p.iterations;
  results out;
  worker_pool pool(p.threads, p.seed, p.get("rounds", 2000), out);

  for (std::int64_t j = 0; j < jobs; ++j) pool.submit(j);
  pool.wait_idle();  // every job is done and every worker is asleep in pop()
  pool.shutdown();   // never returns

  cb::outcome o = cb::outcome::equal("every job handled and the pool shut down", out.handled, jobs);
  o.note = std::to_string(out.handled) + " of " + std::to_string(jobs) +
           " jobs handled, checksum " + std::to_string(out.sum);
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "shutdown sets a flag that workers blocked in the queue's pop() never see",
    .category = "liveness",
    .expectations =
        {cb::expect::hang_skips_valgrind("helgrind"), cb::expect::hang_skips_valgrind("drd"),
         cb::expect::finds("model", {"lost-wakeup"}), cb::expect::finds("watchdog", {"hang"}),
         cb::expect::skip(
             "tsan",
             "the flag is atomic and the queue is locked: no race and no lock cycle, only threads "
             "waiting on a condition nobody will make true; the run hangs until it is killed"),
         cb::expect::skip("asan", "no memory error: the run hangs in join() until it is killed"),
         cb::expect::skip(
             "invariant",
             "a hung run never returns an outcome to grade; the watchdog grades the hang"),
         cb::expect::hang_skips_property()},
    .defaults = {.threads = 3, .iterations = 2000},
    .small = {.threads = 2, .iterations = 4, .extra = {{"rounds", 1}}},
    .timeout_seconds = 2,
    .run = run,
});
