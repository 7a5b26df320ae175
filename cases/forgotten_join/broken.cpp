// forgotten_join, broken: process_batch() hands a batch of items to worker threads, detaches
// them, and returns as soon as they have started. Nobody waits for the workers to finish: the
// caller gets a half-done batch, and the batch is freed while the workers still write into it.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace {

// The state one batch shares between its caller and its workers.
struct batch {
  explicit batch(int workers) : digests(static_cast<std::size_t>(workers)) {}
  cb::atomic<std::int64_t> completed{0};  // items whose result is in `results`
  cb::atomic<int> started{0};             // workers that have begun
  std::vector<std::uint64_t> digests;     // digests[t]: worker t's checksum over its items
};

// A little real work per item (`rounds` of mixing), so each worker spends some milliseconds on
// its share and is still busy when the caller moves on.
std::uint64_t process(std::uint64_t seed, std::int64_t item, std::int64_t rounds) {
  std::uint64_t x = seed ^ static_cast<std::uint64_t>(item);
  for (std::int64_t r = 0; r < rounds; ++r) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x ^= x >> 31;
  }
  return x;
}

// Runs p.threads workers over p.iterations items each and reports how many items were done by
// the time it returns. The batch is freed on return.
cb::outcome process_batch(const cb::params& p) {
  const std::int64_t per_worker = p.iterations;
  const std::int64_t total = std::int64_t{p.threads} * per_worker;
  const std::int64_t rounds = p.get("rounds", 200);
  auto work = std::make_unique<batch>(p.threads);

  for (int t = 0; t < p.threads; ++t) {
    // The worker gets a raw pointer to the batch and copies of everything else, because it
    // outlives this stack frame.
    batch* shared = work.get();
    const std::int64_t first = t * per_worker;
    const std::uint64_t seed = p.seed;
    // BUG: detach() throws away the only handle that could wait for this worker. Nothing now
    // ties the worker's lifetime to the batch it writes into.
    cb::thread([shared, t, first, per_worker, seed, rounds] {
      shared->started.fetch_add(1);
      for (std::int64_t i = first; i < first + per_worker; ++i) {
        shared->digests[static_cast<std::size_t>(t)] ^= process(seed, i, rounds);  // casebook-bug
        shared->completed.fetch_add(1, cb::memory_order_relaxed);  // casebook-bug: use after free
      }
    }).detach();
  }

  // Waiting for the workers to *start* is not waiting for them to *finish*.
  while (work->started.load() < p.threads) cb::this_thread::yield();

  const std::int64_t completed = work->completed.load();
  cb::outcome o =
      cb::outcome::equal("completed == items (all work done before returning)", completed, total);
  o.note = "workers still running: " + std::to_string(total - completed) + " of " +
           std::to_string(total) + " items unfinished when the batch was released";
  return o;
}  // casebook-bug: `work` is freed here, while the detached workers keep writing into it

cb::outcome run(const cb::params& p) {
  cb::outcome o = process_batch(p);
  // A real program carries on after process_batch() returns; this pause stands in for the rest
  // of it. Without it the case host would exit at once and take the workers down before they
  // touch the freed batch, hiding the bug the way a short-lived program often does.
  cb::this_thread::sleep_for(std::chrono::milliseconds(p.get("linger_ms", 50)));
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "detached workers keep writing into a batch that is freed when the caller returns",
    .category = "lifetime",
    .expectations =
        {cb::expect::skip(
             "model",
             "the detached workers write into the freed batch: a use-after-free the model cannot "
             "see (it is ASan's finding), and which corrupts the model's own run"),
         cb::expect::finds("invariant", {"invariant-violated", "crash"}),
         cb::expect::finds("tsan", {"data-race", "heap-use-after-free", "thread-leak"}),
         cb::expect::finds("asan", {"heap-use-after-free"}),
         cb::expect::finds("property", {"counterexample", "crash"})},
    .defaults = {.threads = 2, .iterations = 50000, .extra = {{"linger_ms", 50}}},
    .small = {.threads = 2, .iterations = 4, .extra = {{"rounds", 1}, {"linger_ms", 0}}},
    .vary = {{"threads", 1, 4}, {"iterations", 1, 50000}, {"linger_ms", 0, 50}},
    .run = run,
});
