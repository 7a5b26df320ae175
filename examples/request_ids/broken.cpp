// request_ids, broken: an example of bringing your own code under casebook (see README.md).
// Request handlers on several threads take IDs from one shared generator, which increments a
// plain integer. Two handlers can read the same value before either writes it back, and two
// requests get the same ID.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace {

// A check digit (the Luhn scheme), so that a mistyped request ID is caught when quoted back.
std::uint64_t check_digit(std::uint64_t n) {
  std::uint64_t sum = 0;
  for (bool twice = true; n > 0; n /= 10, twice = !twice) {
    const std::uint64_t d = twice ? (n % 10) * 2 : n % 10;
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - sum % 10) % 10;
}

class id_generator {
 public:
  std::uint64_t next() {
    const std::uint64_t seq = last_.read() + 1;  // BUG: another handler can read the same value
    const std::uint64_t id = seq * 10 + check_digit(seq);
    last_.write(seq);  // ...before this write, and both hand out the same ID
    return id;
  }

 private:
  cb::shared<std::uint64_t> last_{0};
};

cb::outcome run(const cb::params& p) {
  id_generator ids;
  // Each handler's IDs, in room made beforehand so that handling a request is just taking an ID.
  std::vector<std::vector<std::uint64_t>> issued(
      static_cast<std::size_t>(p.threads),
      std::vector<std::uint64_t>(static_cast<std::size_t>(p.iterations)));
  std::vector<cb::thread> handlers;
  // All handlers start together, as under a burst of requests: a thread that finished its
  // share before the next one started could not collide with anyone. They spin at the gate
  // (rather than sleep in a latch) so that all are running, not waking up, when it opens.
  cb::atomic<bool> go{false};
  for (int t = 0; t < p.threads; ++t) {
    handlers.emplace_back([&, t] {
      while (!go.load()) cb::this_thread::yield();
      for (std::int64_t i = 0; i < p.iterations; ++i) {
        issued[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)] = ids.next();
      }
    });
  }
  go.store(true);
  for (auto& h : handlers) h.join();

  std::vector<std::uint64_t> all;
  for (const auto& mine : issued) all.insert(all.end(), mine.begin(), mine.end());
  std::sort(all.begin(), all.end());
  const auto distinct =
      static_cast<std::int64_t>(std::unique(all.begin(), all.end()) - all.begin());
  return cb::outcome::equal("every request gets its own ID", distinct,
                            std::int64_t{p.threads} * p.iterations);
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "handlers take request IDs from a generator that increments a plain integer",
    .category = "race",
    .expectations = {cb::expect::finds("model", {"data-race"}),
                     cb::expect::finds("tsan", {"data-race"}),
                     cb::expect::finds("invariant", {"invariant-violated"})},
    .defaults = {.threads = 4, .iterations = 100000},
    .small = {.threads = 2, .iterations = 1},
    .run = run,
});
