// ledger_total, fixed: a teller posts under the ledger's mutex, so the read and the write of
// the total are one step for every other teller.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <vector>

namespace {

class ledger {
 public:
  void post(std::int64_t amount) {
    cb::lock_guard hold(lock_);
    total_.write(total_.read() + amount);
  }
  std::int64_t total() {
    cb::lock_guard hold(lock_);
    return total_.read();
  }

 private:
  cb::mutex lock_;
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
    .title = "the same tellers, posting under the ledger's mutex",
    .category = "race",
    .expectations = {},
    .defaults = {.threads = 4, .iterations = 20000},
    .small = {.threads = 2, .iterations = 1},
    .run = run,
});
