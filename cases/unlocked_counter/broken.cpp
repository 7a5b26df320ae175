// unlocked_counter, broken: every thread bumps one shared counter with a plain
// read-modify-write. Two threads can read the same value and both write value + 1, so one
// increment is lost; the final count comes out short.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

cb::outcome run(const cb::params& p) {
  cb::shared<std::int64_t> counter{0};

  // A start gate: creating a thread takes longer than a short run of increments, so without
  // it the first worker can finish before the last one starts and nothing ever overlaps.
  cb::atomic<bool> go{false};
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&] {
      while (!go.load()) cb::this_thread::yield();
      for (std::int64_t i = 0; i < p.iterations; ++i) {
        std::int64_t seen = counter.read();  // another thread may write between this read...
        counter.write(seen + 1);             // ...and this write: its increment is lost
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
    .title = "threads increment a shared counter through an unlocked read-modify-write",
    .category = "race",
    .expectations = {cb::expect::finds("tsan", {"data-race"}),
                     cb::expect::finds("invariant", {"invariant-violated"})},
    .defaults = {.threads = 4, .iterations = 1000000},
    .run = run,
});
