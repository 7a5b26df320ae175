// missing_task_done, broken: a work queue with Python-style task_done()/join(): join() returns once
// every item put() has been marked done. The workers skip malformed records with an early
// `continue` that jumps over task_done(), so the count of unfinished items never reaches zero and
// the producer's join() waits forever.
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
    all_done_.wait(hold, [&] { return unfinished_ == 0; });  // casebook-bug: never returns
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

void worker(work_queue& queue, tally& out, std::int64_t rounds) {
  for (;;) {
    record r = queue.get();
    if (r.stop) {
      queue.task_done();
      return;
    }
    if (checksum_of(r.payload) != r.checksum) {
      out.rejected.fetch_add(1);
      continue;  // casebook-bug: skips the task_done() at the loop's bottom; join() waits forever
    }
    std::uint64_t x = r.payload;
    for (std::int64_t i = 0; i < rounds; ++i) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
    out.sum.fetch_add(x);
    out.processed.fetch_add(1);
    queue.task_done();
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
  queue.join();  // casebook-bug: waits for every record to be marked done; skipped ones never are

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
    .title =
        "a worker skips task_done() for malformed records, so the queue's join() never returns",
    .category = "liveness",
    .expectations =
        {cb::expect::hang_skips_valgrind("helgrind"), cb::expect::hang_skips_valgrind("drd"),
         cb::expect::finds("model", {"lost-wakeup"}), cb::expect::finds("watchdog", {"hang"}),
         cb::expect::skip("tsan",
                          "every shared access is locked or atomic: no race and no lock cycle, "
                          "only a count that never reaches zero; the run hangs until it is killed"),
         cb::expect::skip("asan", "no memory error: the run hangs in join() until it is killed"),
         cb::expect::skip(
             "invariant",
             "a hung run never returns an outcome to grade; the watchdog grades the hang"),
         cb::expect::hang_skips_property()},
    .defaults = {.threads = 3, .iterations = 5000},
    .small = {.threads = 2, .iterations = 4, .extra = {{"bad_every", 2}, {"rounds", 1}}},
    .timeout_seconds = 2,
    .run = run,
});
