// writer_starvation, fixed: the same readers and writer share a writer-preferring lock. Once
// a writer is waiting, new readers queue behind it; the readers already inside finish, the
// writer gets its turn, and then the readers go on.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// A reader/writer lock that prefers writers, built from a mutex and a condition variable.
class writer_preferring_lock {
 public:
  void lock_shared() {
    cb::unique_lock hold(m_);
    changed_.wait(hold, [&] { return !writing_ && writers_waiting_.load() == 0; });  // FIX
    ++readers_;
  }
  void unlock_shared() {
    cb::lock_guard hold(m_);
    if (--readers_ == 0) changed_.notify_all();
  }
  void lock() {
    // From here on, new readers wait. Announced before taking m_: the readers take m_ on
    // every turn, and std::mutex is not fair (see mutex_starvation), so a writer that first
    // had to win m_ could wait behind thousands of reader turns.
    writers_waiting_.fetch_add(1);
    cb::unique_lock hold(m_);
    changed_.wait(hold, [&] { return !writing_ && readers_ == 0; });
    writers_waiting_.fetch_sub(1);
    writing_ = true;
  }
  void unlock() {
    cb::lock_guard hold(m_);
    writing_ = false;
    changed_.notify_all();
  }

 private:
  cb::mutex m_;
  cb::condition_variable changed_;
  int readers_ = 0;                     // guarded by m_
  cb::atomic<int> writers_waiting_{0};  // changed outside m_ too (see lock())
  bool writing_ = false;                // guarded by m_
};

// Reading the table: a scan that takes a few microseconds, as a lookup in a real table does.
std::uint64_t scan(const std::vector<std::uint64_t>& table) {
  std::uint64_t sum = 0;
  for (auto v : table) sum += v * 0x9E3779B97F4A7C15ULL;
  return sum;
}

cb::outcome run(const cb::params& p) {
  const auto budget = std::chrono::milliseconds(p.get("duration_ms", 300));
  const std::int64_t prepare_rounds = p.get("prepare_rounds", 1);
  writer_preferring_lock lock;
  std::vector<std::uint64_t> table(static_cast<std::size_t>(p.get("table_size", 2000)), 1);
  cb::atomic<bool> stop{false};
  const int readers = p.threads - 1;  // the last thread is the writer
  std::vector<double> turns(static_cast<std::size_t>(p.threads), 0);
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(readers), 0);

  std::vector<cb::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      while (!stop.load(cb::memory_order_relaxed)) {
        cb::shared_lock hold(lock);  // waits while the writer is waiting
        sums[static_cast<std::size_t>(r)] += scan(table);
        turns[static_cast<std::size_t>(r)] += 1;
      }
    });
  }
  threads.emplace_back([&] {
    std::vector<std::uint64_t> staged(table.size(), 1);
    while (!stop.load(cb::memory_order_relaxed)) {
      // The next version is prepared off the lock, as a real update is; only applying it
      // needs the table to itself.
      for (std::int64_t round = 0; round < prepare_rounds; ++round) {
        for (std::size_t i = 0; i < staged.size(); ++i) staged[i] = staged[i] * 3 + i;
      }
      cb::unique_lock hold(lock);  // new readers stop; the ones inside drain
      for (std::size_t i = 0; i < table.size(); ++i) table[i] += staged[i] & 1;
      turns.back() += 1;
    }
  });
  cb::this_thread::sleep_for(budget);
  stop.store(true);
  for (auto& t : threads) t.join();

  cb::outcome o;
  o.invariant = "every turn is counted";  // correctness holds; the fairness detector grades
  o.holds = true;
  o.shares = turns;
  o.note = "writer updates: " + std::to_string(static_cast<std::uint64_t>(turns.back())) +
           ", reader scans:";
  for (int r = 0; r < readers; ++r) {
    o.note += " " + std::to_string(static_cast<std::uint64_t>(turns[static_cast<std::size_t>(r)]));
  }
  o.observed = o.expected = "counted";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same readers and writer on a writer-preferring lock",
    .category = "liveness",
    .expectations = {cb::expect::skip(
        "model",
        "the starvation comes from the OS scheduler and the lock's implementation, neither of "
        "which the model's scheduler is (the fairness detector grades it)")},
    .defaults = {.threads = 4,
                 .iterations = 0,
                 .extra = {{"duration_ms", 300}, {"table_size", 2000}, {"prepare_rounds", 1}}},
    .fairness_floor = 0.05,
    .run = run,
});
