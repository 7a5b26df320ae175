// writer_starvation, broken: a config table is read constantly by several reader threads and
// updated now and then by one writer, through a std::shared_mutex. glibc's rwlock (behind
// std::shared_mutex) lets a new reader in whenever the lock is held for reading, even while a
// writer waits, so with readers overlapping there is always a reader inside and the writer's
// turn never comes.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using wait_clock = std::chrono::steady_clock;

// Keeps the longest wait for the lock seen so far: from asking for it to getting it.
void note_wait(double& longest, wait_clock::time_point asked) {
  longest = std::max(longest, std::chrono::duration<double>(wait_clock::now() - asked).count());
}

// Reading the table: a scan of 20 000 entries, some tens of microseconds, as a report over a
// real table takes.
std::uint64_t scan(const std::vector<std::uint64_t>& table) {
  std::uint64_t sum = 0;
  for (auto v : table) sum += v * 0x9E3779B97F4A7C15ULL;
  return sum;
}

cb::outcome run(const cb::params& p) {
  const auto budget = std::chrono::milliseconds(p.get("duration_ms", 300));
  const std::int64_t prepare_rounds = p.get("prepare_rounds", 1);
  cb::shared_mutex lock;  // casebook-bug: glibc's default rwlock prefers readers
  std::vector<std::uint64_t> table(static_cast<std::size_t>(p.get("table_size", 20000)), 1);
  cb::atomic<bool> stop{false};
  const int readers = p.threads - 1;  // the last thread is the writer
  std::vector<double> turns(static_cast<std::size_t>(p.threads), 0);
  std::vector<double> longest_wait(static_cast<std::size_t>(p.threads), 0);  // seconds
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(readers), 0);

  std::vector<cb::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      while (!stop.load(cb::memory_order_relaxed)) {
        const auto asked = wait_clock::now();
        cb::shared_lock hold(lock);  // casebook-bug: admitted even while the writer is waiting
        note_wait(longest_wait[static_cast<std::size_t>(r)], asked);
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
      const auto asked = wait_clock::now();
      cb::unique_lock hold(lock);  // casebook-bug: waits for a moment with no reader: rarely comes
      note_wait(longest_wait.back(), asked);
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
  o.waits = longest_wait;
  o.note = "writer updates: " + std::to_string(static_cast<std::uint64_t>(turns.back())) +
           ", longest wait " + std::to_string(static_cast<int>(longest_wait.back() * 1000)) +
           " ms; reader scans:";
  for (int r = 0; r < readers; ++r) {
    o.note += " " + std::to_string(static_cast<std::uint64_t>(turns[static_cast<std::size_t>(r)]));
  }
  o.observed = o.expected = "counted";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "readers on a reader-preferring std::shared_mutex keep a writer out",
    .category = "liveness",
    .expectations =
        {cb::expect::skip(
             "model",
             "the starvation comes from the OS scheduler and the lock's implementation, neither of "
             "which the model's scheduler is (the fairness detector grades it)"),
         cb::expect::finds("fairness", {"starvation"}),
         cb::expect::skip(
             "property",
             "a fairness bug: every answer is right, and fairness grades who gets turns")},
    .defaults = {.threads = 4,
                 .iterations = 0,
                 .extra = {{"duration_ms", 300}, {"table_size", 20000}, {"prepare_rounds", 1}}},
    .max_wait_seconds = 0.1,
    .run = run,
});
