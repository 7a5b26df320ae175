// missing_task_done, fixed: the same queue and workers, but each worker marks the item done with an
// RAII guard created right after get(). Its destructor runs on every way out of the loop body (the
// malformed-record `continue`, the poison pill's `return`, an exception from the work), so every
// get() is matched by exactly one task_done() and join() returns.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// One unit of work. A record whose checksum does not match its payload is malformed.
struct record {
  std::int64_t id = 0;
  std::uint64_t payload = 0;
  std::uint64_t checksum = 0;
  bool stop = false;  // the poison pill that ends a worker
};

std::uint64_t checksum_of(std::uint64_t payload) {
  return payload * 0x9E3779B97F4A7C15ull + 7;
}

// Like Python's queue.Queue: put() counts an item as unfinished, task_done() marks one finished,
// join() blocks until none is unfinished.
class work_queue {
 public:
  void put(record r) {
    {
      cb::lock_guard hold(lock_);
      items_.push_back(r);
      ++unfinished_;
    }
    not_empty_.notify_one();
  }

  record get() {
    cb::unique_lock hold(lock_);
    not_empty_.wait(hold, [&] { return !items_.empty(); });
    record r = items_.front();
    items_.pop_front();
    return r;
  }

  // Each get() must be matched by exactly one task_done(), whatever happened to the item.
  void task_done() {
    {
      cb::lock_guard hold(lock_);
      if (unfinished_ == 0) throw std::logic_error("task_done() called more times than put()");
      --unfinished_;
      if (unfinished_ != 0) return;
    }
    all_done_.notify_all();
  }

  void join() {
    cb::unique_lock hold(lock_);
    all_done_.wait(hold, [&] { return unfinished_ == 0; });
  }

 private:
  cb::mutex lock_;
  cb::condition_variable not_empty_;
  cb::condition_variable all_done_;
  std::deque<record> items_;     // guarded by lock_
  std::int64_t unfinished_ = 0;  // guarded by lock_: put() minus task_done()
};

// What the workers produced, summed over all of them.
struct tally {
  cb::atomic<std::int64_t> processed{0};
  cb::atomic<std::int64_t> rejected{0};
  cb::atomic<std::uint64_t> sum{0};
};

// Marks one item done when it goes out of scope, however the scope is left.
class task_done_guard {
 public:
  explicit task_done_guard(work_queue& queue) : queue_(queue) {}
  task_done_guard(const task_done_guard&) = delete;
  task_done_guard& operator=(const task_done_guard&) = delete;
  ~task_done_guard() { queue_.task_done(); }

 private:
  work_queue& queue_;
};

void worker(work_queue& queue, tally& out, std::int64_t rounds) {
  for (;;) {
    record r = queue.get();
    task_done_guard done(queue);  // FIX: this item is marked done on every path out of here
    if (r.stop) return;
    if (checksum_of(r.payload) != r.checksum) {
      out.rejected.fetch_add(1);
      continue;  // the guard's destructor runs task_done()
    }
    std::uint64_t x = r.payload;
    for (std::int64_t i = 0; i < rounds; ++i) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
    out.sum.fetch_add(x);
    out.processed.fetch_add(1);
  }
}

cb::outcome run(const cb::params& p) {
  const std::int64_t records = p.iterations;
  const std::int64_t bad_every = p.get("bad_every", 500);  // every n-th record is malformed
  const std::int64_t rounds = p.get("rounds", 1000);
  work_queue queue;
  tally out;

  std::vector<cb::thread> workers;
  for (int w = 0; w < p.threads; ++w) workers.emplace_back([&] { worker(queue, out, rounds); });

  std::int64_t malformed = 0;
  for (std::int64_t id = 0; id < records; ++id) {
    std::uint64_t payload = p.seed * 0x2545F4914F6CDD1Dull + static_cast<std::uint64_t>(id);
    record r{id, payload, checksum_of(payload), false};
    if ((static_cast<std::uint64_t>(id) + p.seed) % static_cast<std::uint64_t>(bad_every) == 0) {
      r.checksum ^= 1;  // corrupted in transit
      ++malformed;
    }
    queue.put(r);
  }
  queue.join();  // waits for every record to be marked done

  for (int w = 0; w < p.threads; ++w) queue.put(record{-1, 0, 0, true});
  for (auto& w : workers) w.join();

  const std::int64_t accounted = out.processed.load() + out.rejected.load();
  cb::outcome o = cb::outcome::equal("every record processed or rejected", accounted, records);
  o.note = std::to_string(out.processed.load()) + " processed, " +
           std::to_string(out.rejected.load()) + " rejected (" + std::to_string(malformed) +
           " malformed sent), checksum " + std::to_string(out.sum.load());
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "an RAII guard marks every item done, malformed ones included; join() returns",
    .category = "liveness",
    .expectations = {cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::notify_after_unlock("drd"), cb::expect::clean("model"),
                     cb::expect::hang_skips_property()},
    .defaults = {.threads = 3, .iterations = 5000},
    .small = {.threads = 2, .iterations = 4, .extra = {{"bad_every", 2}, {"rounds", 1}}},
    .timeout_seconds = 2,
    .run = run,
});
