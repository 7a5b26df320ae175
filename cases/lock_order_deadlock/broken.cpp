// lock_order_deadlock, broken: two threads move money between the same two accounts in
// opposite directions. Each transfer locks its "from" account, then its "to" account, so
// thread A takes the locks in the order 1, 2 and thread B in the order 2, 1. Sooner or later
// A holds account 1 and waits for 2 while B holds account 2 and waits for 1: both wait forever.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

struct account {
  cb::mutex lock;
  cb::shared<std::int64_t> balance;  // guarded by lock
  cb::shared<std::uint64_t> audit;   // guarded by lock: a hash chain over every withdrawal
};

// Appends a withdrawal to the account's audit chain. `rounds` of mixing stand for the real
// work a payment does on the paying account (limits, fraud score, statement line).
std::uint64_t chain(std::uint64_t audit, std::int64_t amount, std::int64_t rounds) {
  std::uint64_t x = audit ^ static_cast<std::uint64_t>(amount);
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

// Moves `amount` out of `from` into `to`, holding both accounts' locks while it does.
void transfer(account& from, account& to, std::int64_t amount, std::int64_t rounds) {
  cb::lock_guard hold_from(from.lock);
  from.audit.write(chain(from.audit.read(), amount, rounds));  // the window: `to` is not held
  // BUG: the lock order follows the direction of the transfer. A thread paying the other way
  // may hold `to` right now and be waiting for `from`, which we hold: neither can go on.
  cb::lock_guard hold_to(to.lock);  // casebook-bug: the second lock, in the transfer's order
  from.balance.write(from.balance.read() - amount);
  to.balance.write(to.balance.read() + amount);
}

// The amount of the i-th transfer: small, varied, and a function of the seed only.
std::int64_t amount_of(std::uint64_t seed, std::int64_t i) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(i);
  x ^= x >> 31;
  return 1 + static_cast<std::int64_t>(x % 100);
}

cb::outcome run(const cb::params& p) {
  const std::int64_t opening = p.get("opening_balance", 1000000);
  const std::int64_t rounds = p.get("audit_rounds", 50);
  account accounts[2];
  accounts[0].balance.write(opening);
  accounts[1].balance.write(opening);

  cb::atomic<std::int64_t> done{0};
  std::vector<cb::thread> tellers;
  // No start gate: each teller starts paying as soon as it is created. The first one completes
  // some 1-then-2 transfers before the second starts, and TSan needs one completed acquisition
  // in one order to recognise the other order as an inversion (see README.md).
  for (int t = 0; t < p.threads; ++t) {
    tellers.emplace_back([&, t] {
      // Even tellers pay from account 1 to account 2, odd tellers from 2 to 1.
      account& from = accounts[t % 2];
      account& to = accounts[1 - t % 2];
      for (std::int64_t i = 0; i < p.iterations; ++i) {
        transfer(from, to, amount_of(p.seed + static_cast<std::uint64_t>(t), i), rounds);
        done.fetch_add(1, cb::memory_order_relaxed);
      }
    });
  }
  for (auto& teller : tellers) teller.join();

  // Reached only when no deadlock happened (one teller, or a lucky schedule).
  const std::int64_t expected_done = std::int64_t{p.threads} * p.iterations;
  const std::int64_t total = accounts[0].balance.read() + accounts[1].balance.read();
  cb::outcome o = cb::outcome::equal(
      "balance(1) + balance(2) == opening total, and every transfer done", total, 2 * opening);
  o.holds = o.holds && done.load() == expected_done;
  o.note = std::to_string(done.load()) + " of " + std::to_string(expected_done) + " transfers done";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "two threads transfer between two accounts, locking from-then-to (opposite orders)",
    .category = "liveness",
    .expectations =
        {cb::expect::finds("helgrind", {"lock-order-inversion"}),
         cb::expect::finds("model", {"deadlock"}),
         cb::expect::finds("tsan", {"lock-order-inversion"}),
         cb::expect::finds("watchdog", {"hang"}),
         cb::expect::skip("thread-safety",
                          "the two locks are the same member of two account objects, chosen at "
                          "run time: CB_ACQUIRED_BEFORE orders named locks, not instances, so "
                          "the analysis has no order to check"),
         cb::expect::skip("asan",
                          "ASan/UBSan have no lock-order or deadlock detector: the run only "
                          "hangs, and the watchdog grades that"),
         cb::expect::skip("invariant",
                          "a deadlocked run never returns an outcome to grade; the watchdog "
                          "grades the hang"),
         cb::expect::hang_skips_property()},
    .defaults = {.threads = 2, .iterations = 100000},
    .small = {.threads = 2, .iterations = 1, .extra = {{"audit_rounds", 1}}},
    .timeout_seconds = 3,
    .run = run,
});
