// ledger_total, broken: tellers post deposits to one ledger, each adding to the running total
// with a read and a separate write, so two tellers can both read the same total and one
// deposit is lost. A fixture of tests/package/: an outside project's own case.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <vector>

namespace {

class ledger {
 public:
  void post(std::int64_t amount) {
    const std::int64_t before = total_.read();  // casebook-bug: another teller reads it too
    total_.write(before + amount);
  }
  std::int64_t total() const { return total_.read(); }

 private:
  cb::shared<std::int64_t> total_{0};
};

cb::outcome run(const cb::params& p) {
  ledger book;
  std::vector<cb::thread> tellers;
  cb::atomic<bool> open{false};
  for (int t = 0; t < p.threads; ++t) {
    tellers.emplace_back([&] {
      while (!open.load()) cb::this_thread::yield();
      for (std::int64_t i = 0; i < p.iterations; ++i) book.post(1);
    });
  }
  open.store(true);
  for (auto& t : tellers) t.join();
  return cb::outcome::equal("every deposit is in the total", book.total(),
                            std::int64_t{p.threads} * p.iterations);
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "tellers add deposits to the total with a read and a separate write",
    .category = "race",
    .expectations = {cb::expect::finds("tsan", {"data-race"}),
                     cb::expect::finds("model", {"data-race"}),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("helgrind", {"data-race"}),
                     cb::expect::finds("drd", {"data-race"})},
    .defaults = {.threads = 4, .iterations = 20000},
    .small = {.threads = 2, .iterations = 1},
    .run = run,
});
