// unlocked_counter, broken: every thread bumps one shared counter with a plain
// read-modify-write, skipping the lock that guards it. Two threads can read the same value
// and both write value + 1, so one increment is lost; the final count comes out short.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

// Each increment stands for a request that is digested before it is counted: real work done
// between reading the count and writing it back, as in most real read-modify-writes.
std::uint64_t digest(std::uint64_t x) {
  for (int r = 0; r < 16; ++r) x = (x ^ (x >> 31)) * 0x9E3779B97F4A7C15ULL;
  return x;
}

// The count and the lock that guards it. CB_GUARDED_BY states that rule where Clang's
// thread-safety analysis can check it (casebook/annotations.hpp; no effect on the build).
struct counter {
  cb::mutex lock;
  cb::shared<std::int64_t> value CB_GUARDED_BY(lock){0};

  std::int64_t total() {
    cb::lock_guard hold(lock);
    return value.read();
  }
};

cb::outcome run(const cb::params& p) {
  counter tally;

  // A start gate: creating a thread takes longer than a short run of increments, so without
  // it the first worker can finish before the last one starts and nothing ever overlaps.
  cb::atomic<bool> go{false};
  std::vector<std::uint64_t> checksums(static_cast<std::size_t>(p.threads));
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      while (!go.load()) cb::this_thread::yield();
      std::uint64_t checksum = 0;
      for (std::int64_t i = 0; i < p.iterations; ++i) {
        // BUG: the loop skips tally.lock. Another thread may write between this read...
        std::int64_t seen = tally.value.read();  // casebook-bug: read without the lock
        checksum ^= digest(static_cast<std::uint64_t>(seen + i));
        tally.value.write(seen + 1);  // casebook-bug: ...and this write; an increment is lost
      }
      checksums[static_cast<std::size_t>(t)] = checksum;
    });
  }
  go.store(true);
  for (auto& w : workers) w.join();

  const std::int64_t expected = std::int64_t{p.threads} * p.iterations;
  const std::int64_t total = tally.total();
  cb::outcome o = cb::outcome::equal("final == threads * iterations", total, expected);
  std::uint64_t all = 0;
  for (auto c : checksums) all ^= c;
  o.note = "lost " + std::to_string(expected - total) + " of " + std::to_string(expected) +
           " increments (request digest " + std::to_string(all % 100000) + ")";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "threads increment a shared counter through an unlocked read-modify-write",
    .category = "race",
    .expectations = {cb::expect::finds("helgrind", {"data-race"}),
                     cb::expect::finds("drd", {"data-race"}),
                     cb::expect::finds("model", {"data-race"}),
                     cb::expect::finds("tsan", {"data-race"}),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("property", {"counterexample"}),
                     cb::expect::finds("thread-safety", {"unguarded-access"})},
    .defaults = {.threads = 4, .iterations = 500000},
    .small = {.threads = 2, .iterations = 1},
    .vary = {{"threads", 1, 8}, {"iterations", 1, 20000}},
    .run = run,
});
