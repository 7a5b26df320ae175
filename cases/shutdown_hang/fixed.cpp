// shutdown_hang, fixed: the queue itself can be closed. close() sets `closed` under the queue's
// lock and wakes every waiter, and pop()'s wait ends on "an item is there OR the queue is closed".
// pop() hands out what is left, then returns "no more" (an empty optional) and the worker leaves
// its loop. Shutdown is close() then join(). (README.md: poison pills, timed waits.)
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace {

// A blocking FIFO that can be closed: pop() waits until an item is there or the queue is closed.
class job_queue {
 public:
  void push(std::int64_t job) {
    {
      cb::lock_guard hold(lock_);
      items_.push_back(job);
    }
    not_empty_.notify_one();
  }

  // Blocks until an item is available or the queue is closed; returns no item only when the queue
  // is closed AND empty, so jobs submitted before close() are still handed out.
  std::optional<std::int64_t> pop() {
    cb::unique_lock hold(lock_);
    ++sleepers_;
    if (items_.empty()) idle_.notify_all();  // idle needs an empty queue: no wake-up before then
    not_empty_.wait(hold, [&] { return !items_.empty() || closed_; });
    --sleepers_;
    if (items_.empty()) return std::nullopt;
    std::int64_t job = items_.front();
    items_.pop_front();
    return job;
  }

  // Blocks until the queue is empty and `consumers` callers are asleep in pop(): the pool is idle.
  void wait_idle(int consumers) {
    cb::unique_lock hold(lock_);
    idle_.wait(hold, [&] { return items_.empty() && sleepers_ == consumers; });
  }

  // FIX: the shutdown signal is part of the state pop() waits on, and it changes under the same
  // lock, so a waiter either sees it before sleeping or is woken by this notify_all.
  void close() {
    {
      cb::lock_guard hold(lock_);
      closed_ = true;
    }
    not_empty_.notify_all();
  }

 private:
  cb::mutex lock_;
  cb::condition_variable not_empty_;
  cb::condition_variable idle_;
  std::deque<std::int64_t> items_;  // guarded by lock_
  int sleepers_ = 0;                // guarded by lock_: callers waiting inside pop()
  bool closed_ = false;             // guarded by lock_
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

  // Closing the queue reaches every worker, asleep in pop() or busy with a job.
  void shutdown() {
    jobs_.close();
    for (auto& w : workers_) w.join();
  }

 private:
  void work_loop() {
    while (std::optional<std::int64_t> job = jobs_.pop()) {  // no job: closed and drained
      std::uint64_t value = work(seed_, *job, rounds_);
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
  std::vector<cb::thread> workers_;
};

cb::outcome run(const cb::params& p) {
  const std::int64_t jobs = p.iterations;
  results out;
  worker_pool pool(p.threads, p.seed, p.get("rounds", 2000), out);

  for (std::int64_t j = 0; j < jobs; ++j) pool.submit(j);
  pool.wait_idle();  // every job is done and every worker is asleep in pop()
  pool.shutdown();

  cb::outcome o = cb::outcome::equal("every job handled and the pool shut down", out.handled, jobs);
  o.note = std::to_string(out.handled) + " of " + std::to_string(jobs) +
           " jobs handled, checksum " + std::to_string(out.sum);
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "shutdown closes the queue; pop() wakes on 'item or closed' and returns no job",
    .category = "liveness",
    .expectations = {cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::notify_after_unlock("drd"), cb::expect::clean("model"),
                     cb::expect::hang_skips_property()},
    .defaults = {.threads = 3, .iterations = 2000},
    .small = {.threads = 2, .iterations = 4, .extra = {{"rounds", 1}}},
    .timeout_seconds = 2,
    .run = run,
});
