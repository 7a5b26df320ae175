// mutex_starvation, fixed: the same worker and reporter share a FIFO lock. Every lock() takes
// a ticket and the lock is handed to the tickets in order, so the worker's next lock() queues
// behind a reporter that is already waiting. With its wait bounded by one batch, the reporter
// can afford to wait instead of trying, and it gets the lock every time it asks.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// A FIFO lock: a ticket dispenser and a "now serving" number behind a mutex. A waiter sleeps on
// the condition variable (no core burnt while waiting); unlock() passes the lock to the next
// ticket, so nobody can barge in ahead of a thread that is already waiting.
class fifo_lock {
 public:
  void lock() {
    cb::unique_lock hold(m_);
    const std::uint64_t ticket = next_ticket_++;
    turn_.wait(hold, [&] { return serving_ == ticket; });
  }
  void unlock() {
    {
      cb::lock_guard hold(m_);
      ++serving_;  // the lock now belongs to the next ticket, whoever runs first
    }
    turn_.notify_all();
  }

 private:
  cb::mutex m_;
  cb::condition_variable turn_;
  std::uint64_t next_ticket_ = 0;  // guarded by m_
  std::uint64_t serving_ = 0;      // guarded by m_
};

struct histogram {
  std::vector<std::uint64_t> bins;
  std::uint64_t events = 0;  // always the sum of bins, for anyone holding the lock
};

// Applies one batch of events: the worker's real work, all of it under the lock.
void apply_batch(histogram& h, std::uint64_t& source, std::int64_t batch) {
  for (std::int64_t i = 0; i < batch; ++i) {
    source = source * 6364136223846793005ULL + 1442695040888963407ULL;
    h.bins[(source >> 32) % h.bins.size()] += 1;
  }
  h.events += static_cast<std::uint64_t>(batch);
}

// Formats a snapshot as one line of text: the reporter's work, done off the lock.
std::string render(const histogram& snapshot) {
  std::string line;
  for (auto count : snapshot.bins) {
    line += std::to_string(count);
    line += ' ';
  }
  return line;
}

bool consistent(const histogram& h) {
  std::uint64_t sum = 0;
  for (auto count : h.bins) sum += count;
  return sum == h.events;
}

cb::outcome run(const cb::params& p) {
  const auto budget = std::chrono::milliseconds(p.get("duration_ms", 300));
  const std::int64_t batch = p.get("batch", 40000);
  const histogram empty{std::vector<std::uint64_t>(static_cast<std::size_t>(p.get("bins", 16384)))};
  fifo_lock lock;          // FIX: served in the order of asking
  histogram live = empty;  // guarded by lock
  cb::atomic<bool> stop{false};
  const int workers = p.threads - 1;  // the last thread is the reporter
  std::vector<double> turns(static_cast<std::size_t>(p.threads), 0);
  std::uint64_t tries = 0;
  std::string report;          // the reporter's last published line...
  std::uint64_t reported = 0;  // ...and the number of events it was made from
  bool snapshots_consistent = true;
  cb::latch running(workers);  // the reporter starts once every worker is running

  std::vector<cb::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      std::uint64_t source = p.seed + static_cast<std::uint64_t>(w);
      running.count_down();
      while (!stop.load(cb::memory_order_relaxed)) {
        cb::lock_guard hold(lock);  // queues behind the reporter if it is waiting
        apply_batch(live, source, batch);
        turns[static_cast<std::size_t>(w)] += 1;
      }
    });
  }
  threads.emplace_back([&] {
    histogram snapshot = empty;  // shown until the first snapshot
    running.wait();
    while (!stop.load(cb::memory_order_relaxed)) {
      report = render(snapshot);  // publish what we have
      reported = snapshot.events;
      ++tries;
      {
        cb::lock_guard hold(lock);  // FIX: waits at most for the batch in progress
        snapshot = live;
      }
      snapshots_consistent = snapshots_consistent && consistent(snapshot);
      turns.back() += 1;
    }
  });
  cb::this_thread::sleep_for(budget);
  stop.store(true);
  for (auto& t : threads) t.join();

  cb::outcome o;
  o.invariant = "every snapshot the reporter took was consistent, and so is the histogram";
  o.holds = snapshots_consistent && consistent(live);
  o.observed = o.holds ? "consistent" : "inconsistent";
  o.expected = "consistent";
  o.shares = turns;
  o.note = "reporter snapshots: " + std::to_string(static_cast<std::uint64_t>(turns.back())) +
           " in " + std::to_string(tries) + " tries; its last report (" +
           std::to_string(report.size()) + " bytes) showed " + std::to_string(reported) + " of " +
           std::to_string(live.events) + " events; worker batches:";
  for (int w = 0; w < workers; ++w) {
    o.note += " " + std::to_string(static_cast<std::uint64_t>(turns[static_cast<std::size_t>(w)]));
  }
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same worker and reporter on a FIFO lock; the reporter waits its turn",
    .category = "liveness",
    .expectations =
        {cb::expect::notify_after_unlock("helgrind"), cb::expect::notify_after_unlock("drd"),
         cb::expect::skip(
             "model",
             "the starvation comes from the OS scheduler and the lock's implementation, neither of "
             "which the model's scheduler is (the fairness detector grades it)"),
         cb::expect::skip(
             "property",
             "a fairness bug: every answer is right, and fairness grades who gets turns")},
    .defaults = {.threads = 2,
                 .iterations = 0,
                 .extra = {{"duration_ms", 300}, {"batch", 40000}, {"bins", 16384}}},
    .fairness_floor = 0.05,
    .run = run,
});
