// forgotten_join, fixed: the workers are cb::jthread (std::jthread) objects declared after the
// batch, in a block that closes before the result is read. A jthread joins in its destructor,
// so leaving the block waits for every worker, and the batch, declared first, outlives them all.
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
  std::vector<std::uint64_t> digests;     // digests[t]: worker t's checksum over its items
};

// A little real work per item (`rounds` of mixing), so each worker spends some milliseconds on
// its share.
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
// the time it returns. The batch is freed on return, after every worker has finished.
cb::outcome process_batch(const cb::params& p) {
  const std::int64_t per_worker = p.iterations;
  const std::int64_t total = std::int64_t{p.threads} * per_worker;
  const std::int64_t rounds = p.get("rounds", 200);
  auto work = std::make_unique<batch>(p.threads);

  {
    // Declared after `work`, so destroyed before it; each jthread joins in its destructor.
    std::vector<cb::jthread> workers;
    for (int t = 0; t < p.threads; ++t) {
      batch* shared = work.get();
      const std::int64_t first = t * per_worker;
      const std::uint64_t seed = p.seed;
      workers.emplace_back([shared, t, first, per_worker, seed, rounds] {
        for (std::int64_t i = first; i < first + per_worker; ++i) {
          shared->digests[static_cast<std::size_t>(t)] ^= process(seed, i, rounds);
          shared->completed.fetch_add(1, cb::memory_order_relaxed);
        }
      });
    }
  }  // every worker has been joined here

  const std::int64_t completed = work->completed.load();
  cb::outcome o =
      cb::outcome::equal("completed == items (all work done before returning)", completed, total);
  o.note = std::to_string(completed) + " of " + std::to_string(total) +
           " items done when the batch was released";
  return o;
}  // `work` is freed here; no thread refers to it any more

cb::outcome run(const cb::params& p) {
  cb::outcome o = process_batch(p);
  // The same pause as in broken.cpp, standing in for the rest of the program; here no worker
  // is left to run during it.
  cb::this_thread::sleep_for(std::chrono::milliseconds(p.get("linger_ms", 50)));
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "jthread workers declared after the batch join before it is freed",
    .category = "lifetime",
    .expectations = {cb::expect::clean("model")},
    .defaults = {.threads = 2, .iterations = 50000, .extra = {{"linger_ms", 50}}},
    .small = {.threads = 2, .iterations = 4, .extra = {{"rounds", 1}, {"linger_ms", 0}}},
    .vary = {{"threads", 1, 4}, {"iterations", 1, 50000}, {"linger_ms", 0, 50}},
    .run = run,
});
