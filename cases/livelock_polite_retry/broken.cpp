// livelock_polite_retry, broken: two tellers move money between the same two accounts in opposite
// directions. To avoid the classic deadlock, each teller locks its own (paying) account, prepares
// the debit, and only *tries* the other account's lock; if that fails it politely rolls back,
// releases its lock, pauses for a moment and starts over. Both tellers hold their own lock for
// almost their whole retry cycle, so each one's single try_lock lands while the other's lock is
// held. Neither blocks and both stay busy, burning CPU, yet transfers stop completing.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct account {
  cb::mutex lock;
  cb::shared<std::int64_t> balance;  // guarded by lock
  cb::shared<std::int64_t> held;     // guarded by lock: funds reserved by a pending debit
};

// Stands in for real work done while holding a lock (limit and fraud checks, a journal entry):
// busy for `d` of wall time, the same in every build.
void busy_for(std::chrono::nanoseconds d) {
  const auto end = clock_type::now() + d;
  while (clock_type::now() < end) {
  }
}

// When the run stops. The measure is CPU time, not wall time: a livelock burns CPU without
// progress, and a loaded machine stretches wall time for both variants but not the CPU time a
// transfer needs. The wall limit only bounds a run on a machine too busy to give it any CPU.
struct budget {
  std::clock_t cpu_start;
  std::clock_t cpu_limit;  // clock() ticks, all threads of the process together
  clock_type::time_point wall_deadline;

  bool spent() const {
    return std::clock() - cpu_start >= cpu_limit || clock_type::now() >= wall_deadline;
  }
};

struct counters {
  cb::atomic<std::int64_t> claimed{0};       // transfers started: one ticket per transfer
  cb::atomic<std::int64_t> done{0};          // transfers completed
  cb::atomic<std::int64_t> failed_tries{0};  // try_lock calls that found the other lock held
};

// Moves `amount` from `from` to `to`. Returns false if the budget ran out first.
bool transfer(account& from, account& to, std::int64_t amount, std::chrono::microseconds work,
              std::chrono::nanoseconds pause, const budget& b, counters& c) {
  for (;;) {
    cb::unique_lock mine(from.lock);
    if (b.spent()) return false;                 // checked while holding the lock, see README.md
    from.held.write(from.held.read() + amount);  // prepare: reserve the funds...
    busy_for(work);                              // ...and run the checks
    if (to.lock.try_lock()) {  // casebook-bug: fails while the other teller holds its own lock
      from.held.write(from.held.read() - amount);
      from.balance.write(from.balance.read() - amount);
      to.balance.write(to.balance.read() + amount);
      to.lock.unlock();
      c.done.fetch_add(1, cb::memory_order_relaxed);
      return true;
    }
    // BUG: "be polite": undo, let go, wait a moment, retry. The other teller does exactly the
    // same on the other account, so whenever one tries, the other is holding its own lock (for
    // its prepare or its undo). The pause is a tiny gap next to that hold, and it is the only
    // moment in which the other teller's try could succeed.
    c.failed_tries.fetch_add(1, cb::memory_order_relaxed);
    from.held.write(from.held.read() - amount);  // undo the reservation...
    busy_for(work);                              // ...and its journal entry
    mine.unlock();
    busy_for(pause);  // casebook-bug: the same fixed pause for both tellers
  }
}

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", s);
  return text;
}

cb::outcome run(const cb::params& p) {
  const std::int64_t opening = p.get("opening_balance", 1000000);
  const std::chrono::microseconds work(p.get("work_us", 100));
  const std::chrono::nanoseconds pause(p.get("pause_ns", 1000));
  const std::int64_t goal = p.iterations;  // transfers, all tellers together
  account accounts[2];
  accounts[0].balance.write(opening);
  accounts[1].balance.write(opening);
  counters c;

  const auto wall_start = clock_type::now();
  const budget b{std::clock(),
                 static_cast<std::clock_t>(p.get("cpu_budget_ms", 500) * (CLOCKS_PER_SEC / 1000)),
                 wall_start + std::chrono::milliseconds(p.get("wall_limit_ms", 3000))};

  // A start barrier: each teller spins until all of them are running, so they begin together.
  cb::atomic<int> arrived{0};
  std::vector<cb::thread> tellers;
  for (int t = 0; t < p.threads; ++t) {
    tellers.emplace_back([&, t] {
      arrived.fetch_add(1);
      while (arrived.load() < p.threads) {
      }
      // Even tellers pay from account 1 to account 2, odd tellers from 2 to 1. All of them keep
      // going until the shared goal is met or the budget is spent.
      account& from = accounts[t % 2];
      account& to = accounts[1 - t % 2];
      for (std::uint64_t i = 0; c.claimed.fetch_add(1) < goal; ++i) {
        const std::int64_t amount = 1 + static_cast<std::int64_t>((p.seed + i) % 100);
        if (!transfer(from, to, amount, work, pause, b, c)) return;
      }
    });
  }
  for (auto& teller : tellers) teller.join();
  const double wall = std::chrono::duration<double>(clock_type::now() - wall_start).count();
  const double cpu = static_cast<double>(std::clock() - b.cpu_start) / CLOCKS_PER_SEC;

  const std::int64_t done = c.done.load();
  cb::outcome o = cb::outcome::equal("all transfers done within the CPU budget", done, goal);
  const std::int64_t total = accounts[0].balance.read() + accounts[1].balance.read();
  o.holds = o.holds && total == 2 * opening;
  o.note = std::to_string(done) + " of " + std::to_string(goal) + " transfers for " + seconds(cpu) +
           " s of CPU (" + seconds(wall) + " s wall); " + std::to_string(c.failed_tries.load()) +
           " failed try_lock attempts";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "tellers lock their own account, try the other, and politely back off: no progress",
    .category = "liveness",
    .expectations =
        {cb::expect::finds("property", {"counterexample"}),
         cb::expect::may_find(
             "helgrind", {"lock-order-inversion"},
             "the tellers take the two account locks in opposite orders, the second with "
             "try_lock; Helgrind records an acquisition order only when that try_lock succeeds, "
             "which this livelock lets happen in some runs and not in others (the inversion "
             "cannot deadlock: a failed try_lock backs off)"),
         cb::expect::skip(
             "model",
             "the case bounds its run by wall and CPU time, and time does not pass in the model"),
         cb::expect::finds("invariant", {"invariant-violated"})},
    .defaults = {.threads = 2, .iterations = 1000},
    .timeout_seconds = 6,
    .vary = {{"iterations", 1, 200}},
    .run = run,
});
