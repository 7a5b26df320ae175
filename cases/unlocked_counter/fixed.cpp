// unlocked_counter, fixed: the read-modify-write happens under a mutex, so no increment can
// fall between another thread's read and write. (README.md shows the atomic alternative.)
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

cb::outcome run(const cb::params& p) {
  cb::mutex lock;
  cb::shared<std::int64_t> counter{0};  // guarded by lock

  // A start gate: creating a thread takes longer than a short run of increments, so without
  // it the first worker can finish before the last one starts and nothing ever overlaps.
  cb::atomic<bool> go{false};
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&] {
      while (!go.load()) cb::this_thread::yield();
      for (std::int64_t i = 0; i < p.iterations; ++i) {
        cb::lock_guard guard(lock);
        counter.write(counter.read() + 1);
      }
    });
  }
  go.store(true);
  for (auto& w : workers) w.join();

  const std::int64_t expected = std::int64_t{p.threads} * p.iterations;
  cb::outcome o = cb::outcome::equal("final == threads * iterations", counter.read(), expected);
  o.note = "lost " + std::to_string(expected - counter.read()) + " of " + std::to_string(expected) +
           " increments";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same increments, each read-modify-write under one mutex",
    .category = "race",
    .defaults = {.threads = 4, .iterations = 1000000},
    .run = run,
});
