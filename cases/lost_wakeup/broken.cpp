// lost_wakeup, broken: a reader thread hands records to a writer thread through a one-record
// mailbox guarded by a mutex and a condition variable. The writer checks the mailbox's atomic
// "full" flag WITHOUT the lock and, when it is empty, takes the lock and waits with no predicate.
// If the reader fills the mailbox and notifies between that check and the wait, the notification is
// lost: the writer sleeps on a full mailbox, the reader waits for it to be emptied, and both wait
// forever.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace {

struct record {
  std::int64_t seq = 0;
  std::uint64_t payload = 0;
};

// One record in flight between the reader and the writer.
struct mailbox {
  cb::mutex lock;
  cb::condition_variable changed;  // notified whenever `full` changes
  cb::atomic<bool> full{false};    // atomic, so the writer "may" look at it without the lock
  record slot;                     // guarded by lock
};

// The source the reader pulls records from. Most records come out of a buffer at once; every
// `refill_every`-th record the buffer is empty and the source has to fetch the next block (a disk
// read, a network round trip), which takes `refill` of wall time.
struct source {
  std::uint64_t seed;
  std::int64_t refill_every;
  std::chrono::microseconds refill;

  record read(std::int64_t seq) const {
    if (seq % refill_every == refill_every - 1) cb::this_thread::sleep_for(refill);
    std::uint64_t x = seed ^ (static_cast<std::uint64_t>(seq) * 0x9E3779B97F4A7C15ull);
    x ^= x >> 31;
    return {seq, x};
  }
};

// The writer's work on one record: `rounds` of mixing into a running checksum (some tens of
// microseconds by default, much less than one refill).
std::uint64_t digest(std::uint64_t sum, const record& r, std::int64_t rounds) {
  std::uint64_t x = sum ^ r.payload;
  for (std::int64_t i = 0; i < rounds; ++i) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

cb::outcome run(const cb::params& p) {
  const source src{p.seed, p.get("refill_every", 64),
                   std::chrono::microseconds(p.get("refill_us", 200))};
  const std::int64_t rounds = p.get("digest_rounds", 10000);
  const std::int64_t records = p.iterations;
  mailbox box;

  cb::thread reader([&] {
    for (std::int64_t seq = 0; seq < records; ++seq) {
      cb::unique_lock hold(box.lock);
      box.changed.wait(hold, [&] { return !box.full.load(); });
      // Reads straight into the mailbox, under its lock. On a refill the lock stays held for the
      // whole fetch: this is the window in which the writer's unlocked check goes stale.
      box.slot = src.read(seq);
      box.full.store(true);
      box.changed.notify_all();
    }
  });

  std::uint64_t checksum = 0;
  std::int64_t written = 0;
  cb::thread writer([&] {
    for (std::int64_t seq = 0; seq < records; ++seq) {
      // BUG: the check and the wait are two separate steps. The flag is read without the lock; if
      // it says "empty" the writer takes the lock (blocking while the reader fills the mailbox
      // under it) and then waits without looking again. The reader's store and notify happened in
      // between, so this wait has nothing left to wake it.
      if (!box.full.load()) {  // casebook-bug: read without the lock: may be stale by the wait
        cb::unique_lock hold(box.lock);
        box.changed.wait(hold);  // casebook-bug: no predicate: waits for a notify already sent
      }
      record r;
      {
        cb::lock_guard hold(box.lock);
        r = box.slot;
        box.full.store(false);
      }
      box.changed.notify_all();
      checksum = digest(checksum, r, rounds);
      ++written;
    }
  });

  reader.join();
  writer.join();

  // Reached only when no wakeup was lost (a source that never makes the writer wait).
  cb::outcome o = cb::outcome::equal("every record read is written", written, records);
  o.note = std::to_string(written) + " of " + std::to_string(records) +
           " records written, checksum " + std::to_string(checksum);
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "a writer checks the mailbox flag without the lock, then waits with no predicate",
    .category = "liveness",
    .expectations =
        {cb::expect::notify_after_unlock("helgrind"), cb::expect::notify_after_unlock("drd"),
         cb::expect::finds("model", {"lost-wakeup"}), cb::expect::finds("watchdog", {"hang"}),
         cb::expect::skip(
             "tsan",
             "the flag is atomic and the mailbox is only touched under the lock, so there is no "
             "data race; TSan has no lost-wakeup check and the run just hangs until it is killed"),
         cb::expect::skip("asan",
                          "no memory error: every access is to live memory; the run just hangs "
                          "until it is killed"),
         cb::expect::skip(
             "invariant",
             "a hung run never returns an outcome to grade; the watchdog grades the hang"),
         cb::expect::hang_skips_property()},
    .defaults = {.threads = 2, .iterations = 2000},
    .small = {.threads = 2,
              .iterations = 4,
              .extra = {{"digest_rounds", 1}, {"refill_every", 2}, {"refill_us", 0}}},
    .timeout_seconds = 2,
    .run = run,
});
