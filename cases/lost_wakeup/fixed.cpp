// lost_wakeup, fixed: the same reader and writer, but the writer checks the mailbox and goes to
// sleep in one step: cv.wait(lock, predicate) evaluates the predicate under the lock and only
// releases the lock once it is inside the wait. The flag is changed only under that same lock, so
// the reader cannot fill the mailbox and notify between the writer's check and its wait.
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
  cb::shared<bool> full{false};    // guarded by lock: a plain bool, read and written under it
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
      box.changed.wait(hold, [&] { return !box.full.read(); });
      box.slot = src.read(seq);  // still under the lock, refills included: that is now harmless
      box.full.write(true);
      box.changed.notify_all();
    }
  });

  std::uint64_t checksum = 0;
  std::int64_t written = 0;
  cb::thread writer([&] {
    for (std::int64_t seq = 0; seq < records; ++seq) {
      record r;
      {
        // FIX: check and sleep in one step. If the reader is filling the mailbox, this blocks on
        // the lock, then sees full == true and does not wait at all.
        cb::unique_lock hold(box.lock);
        box.changed.wait(hold, [&] { return box.full.read(); });
        r = box.slot;
        box.full.write(false);
      }
      box.changed.notify_all();
      checksum = digest(checksum, r, rounds);
      ++written;
    }
  });

  reader.join();
  writer.join();

  cb::outcome o = cb::outcome::equal("every record read is written", written, records);
  o.note = std::to_string(written) + " of " + std::to_string(records) +
           " records written, checksum " + std::to_string(checksum);
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the writer waits with cv.wait(lock, predicate); the flag changes only under the lock",
    .category = "liveness",
    .expectations = {cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::notify_after_unlock("drd"), cb::expect::clean("model"),
                     cb::expect::hang_skips_property()},
    .defaults = {.threads = 2, .iterations = 2000},
    .small = {.threads = 2,
              .iterations = 4,
              .extra = {{"digest_rounds", 1}, {"refill_every", 2}, {"refill_us", 0}}},
    .timeout_seconds = 2,
    .run = run,
});
