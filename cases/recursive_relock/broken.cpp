// recursive_relock, broken: an inventory guarded by one cb::mutex. sell() locks it and, when an
// item drops below its reorder point, calls reorder() - a public method that locks the same
// mutex again. std::mutex is not recursive: the thread now waits for a lock it holds itself,
// forever (glibc's default mutex simply blocks; the C++ standard calls it undefined behaviour).
// Every other thread then waits behind it. This is Python's threading.Lock vs RLock story.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

class inventory {
 public:
  inventory(int items, std::int64_t stock, std::int64_t reorder_point)
      : on_hand_(static_cast<std::size_t>(items), stock),
        target_(stock),
        reorder_point_(reorder_point) {}

  // Takes `qty` of `item` if that many are on hand; tops the item up when it runs low.
  bool sell(int item, std::int64_t qty) {
    cb::lock_guard hold(lock_);
    std::int64_t& have = on_hand_[static_cast<std::size_t>(item)];
    if (have < qty) return false;
    have -= qty;
    sold_ += qty;
    // BUG: reorder() locks lock_, which this thread already holds. The path is only taken
    // when stock runs low, so a quick test that sells a little never reaches it.
    if (have < reorder_point_) reorder(item);  // casebook-bug: locks lock_ a second time
    return true;
  }

  // Tops `item` up to its target level. Public: the nightly restock job calls it too. It takes
  // lock_ itself, so callers must not hold it (CB_EXCLUDES says so to the analysis).
  void reorder(int item) CB_EXCLUDES(lock_) {
    cb::lock_guard hold(lock_);
    std::int64_t& have = on_hand_[static_cast<std::size_t>(item)];
    restocked_ += target_ - have;
    have = target_;
    ++reorders_;
  }

  // Units on hand, sold and restocked, read together under the lock.
  struct totals {
    std::int64_t on_hand = 0, sold = 0, restocked = 0, reorders = 0;
  };
  totals count() {
    cb::lock_guard hold(lock_);
    totals t{0, sold_, restocked_, reorders_};
    for (std::int64_t have : on_hand_) t.on_hand += have;
    return t;
  }

 private:
  cb::mutex lock_;
  std::vector<std::int64_t> on_hand_ CB_GUARDED_BY(lock_);
  const std::int64_t target_;
  const std::int64_t reorder_point_;
  std::int64_t sold_ CB_GUARDED_BY(lock_) = 0;
  std::int64_t restocked_ CB_GUARDED_BY(lock_) = 0;
  std::int64_t reorders_ CB_GUARDED_BY(lock_) = 0;
};

cb::outcome run(const cb::params& p) {
  const int items = static_cast<int>(p.get("items", 8));
  const std::int64_t stock = p.get("stock", 100);
  inventory shop(items, stock, p.get("reorder_point", 10));

  std::vector<cb::thread> clerks;
  for (int t = 0; t < p.threads; ++t) {
    clerks.emplace_back([&, t] {
      std::uint64_t x = p.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(t);
      for (std::int64_t i = 0; i < p.iterations; ++i) {
        x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
        shop.sell(static_cast<int>(x % static_cast<std::uint64_t>(items)),
                  1 + static_cast<std::int64_t>((x >> 32) % 5));
      }
    });
  }
  for (auto& c : clerks) c.join();

  // Conservation: nothing appears or vanishes. Reached only when no clerk deadlocked.
  const inventory::totals t = shop.count();
  const std::int64_t opening = std::int64_t{items} * stock;
  cb::outcome o = cb::outcome::equal("on hand == opening stock - sold + restocked", t.on_hand,
                                     opening - t.sold + t.restocked);
  o.note = std::to_string(t.sold) + " units sold, " + std::to_string(t.reorders) + " reorders";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "sell() holds the inventory's mutex and calls reorder(), which locks it again",
    .category = "liveness",
    .expectations =
        {cb::expect::finds("helgrind", {"mutex-misuse"}),
         cb::expect::finds("drd", {"mutex-misuse"}), cb::expect::finds("model", {"mutex-misuse"}),
         cb::expect::finds("watchdog", {"hang"}),
         cb::expect::finds("thread-safety", {"call-while-held"}),
         cb::expect::skip("tsan",
                          "TSan (clang-14) has no report for a thread re-locking a non-recursive "
                          "mutex it holds: its deadlock detector skips a lock the thread already "
                          "holds, and 'double lock' is only reported for a mutex held by another "
                          "thread. The run just hangs; the watchdog grades that"),
         cb::expect::skip("asan",
                          "ASan/UBSan have no lock checks: the run only hangs, and the watchdog "
                          "grades that"),
         cb::expect::skip("invariant",
                          "a deadlocked run never returns an outcome to grade; the watchdog "
                          "grades the hang"),
         cb::expect::hang_skips_property()},
    .defaults = {.threads = 2, .iterations = 20000},
    .small = {.threads = 2,
              .iterations = 8,
              .extra = {{"items", 1}, {"reorder_point", 10}, {"stock", 12}}},
    .timeout_seconds = 2,
    .run = run,
});
