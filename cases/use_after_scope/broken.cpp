// use_after_scope, broken: a request handler records each order in a ledger, but hands the
// bookkeeping to a background executor so that it can return quickly. The task it posts is a
// lambda that captures by reference ([&]), and one of the things it captures is `amount`, a
// local of the handler. The handler returns long before the executor runs the task, so the task
// reads the amount from a stack frame that no longer exists - by then it holds some later
// call's data - and books the wrong money.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace {

// One background thread that runs posted tasks in order. Its lifetime is handled correctly:
// the destructor finishes the queue and joins. The bug is in what the tasks refer to.
class executor {
 public:
  executor() : thread_([this] { loop(); }) {}
  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;
  ~executor() {
    {
      cb::lock_guard hold(lock_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  void post(std::function<void()> task) {
    {
      cb::lock_guard hold(lock_);
      tasks_.push_back(std::move(task));
    }
    changed_.notify_all();
  }

  // Waits until every task posted so far has run.
  void drain() {
    cb::unique_lock hold(lock_);
    changed_.wait(hold, [&] { return tasks_.empty() && !busy_; });
  }

 private:
  void loop() {
    cb::unique_lock hold(lock_);
    for (;;) {
      changed_.wait(hold, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      busy_ = true;
      hold.unlock();
      task();
      hold.lock();
      busy_ = false;
      changed_.notify_all();
    }
  }

  cb::mutex lock_;
  cb::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;  // guarded by lock_
  bool busy_ = false;                        // guarded by lock_
  bool stopping_ = false;                    // guarded by lock_
  cb::thread thread_;                        // last: starts after the members above exist
};

struct order {
  std::uint64_t customer = 0;
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;  // in cents
};

// What an order costs: quantity times unit price, less the customer's loyalty discount (0-4%).
// `rounds` of mixing stand for the real pricing work (tax rules, promotions).
std::int64_t price(const order& o, std::int64_t rounds) {
  std::uint64_t x = o.customer;
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 31)) * 0x94D049BB133111EBull + 1;
  const std::int64_t gross = o.quantity * o.unit_price;
  return gross - gross * static_cast<std::int64_t>(x % 5) / 100;
}

// Touched only by the executor's thread until drain() returns.
struct ledger {
  std::int64_t rounds = 0;  // the cost of booking one entry (see add)
  std::int64_t total = 0;   // in cents
  std::int64_t entries = 0;
  std::uint64_t audit = 0;  // a hash chain over every entry

  // Books one amount. `rounds` of mixing stand for the real work (fraud score, statement line),
  // which is why it runs in the background.
  void add(std::int64_t amount) {
    std::uint64_t x = audit ^ static_cast<std::uint64_t>(amount);
    for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
    audit = x;
    total += amount;
    ++entries;
  }
};

// The request handler: prices the order, queues the booking so that it can return before the
// slow part is done, and returns what the customer is charged.
std::int64_t record_order(executor& ex, ledger& book, const order& o, std::int64_t pricing_rounds) {
  const std::int64_t amount = price(o, pricing_rounds);
  // BUG: [&] captures `amount` by reference, and `amount` lives in this stack frame, which
  // ends at the closing brace below. The executor runs the task later, reading a dead frame.
  // (`book` is captured by reference too, which is fine: the ledger outlives the executor.)
  ex.post([&] { book.add(amount); });  // casebook-bug: the task reads `amount` after it is gone
  return amount;
}  // casebook-bug: `amount` dies here, its task still queued

cb::outcome run(const cb::params& p) {
  const std::int64_t pricing_rounds = p.get("pricing_rounds", 4000);
  std::vector<order> orders;
  for (std::int64_t i = 0; i < p.iterations; ++i) {
    const std::uint64_t x = (p.seed + static_cast<std::uint64_t>(i)) * 0x9E3779B97F4A7C15ull;
    orders.push_back({x >> 40, 1 + static_cast<std::int64_t>(x % 9),
                      100 + static_cast<std::int64_t>((x >> 8) % 1000)});
  }

  // Booking costs more than pricing, so the executor falls behind the handler, as background
  // work does under load.
  ledger book{.rounds = p.get("booking_rounds", 8000)};  // declared first: outlives the executor
  executor ex;
  std::int64_t charged = 0;
  for (const order& o : orders) charged += record_order(ex, book, o, pricing_rounds);
  ex.drain();

  cb::outcome o =
      cb::outcome::equal("ledger total == total charged to customers", book.total, charged);
  o.note = std::to_string(book.entries) + " of " + std::to_string(orders.size()) +
           " orders booked; booked total off by " + std::to_string(book.total - charged) + " cents";
  return o;
}

constexpr const char* kValgrindChance =
    "Valgrind runs one thread at a time; the late task touches the dead frame only when the tool "
    "switches to the executor after run() has returned and before the stack is reused, which "
    "depends on how the tool's scheduler meets the machine's load (2026-12-06: Helgrind 20 of "
    "20 trials beside other Valgrind runs and 0 of 50 alone, DRD 0 of 50 either way)";

}  // namespace

CASEBOOK_VARIANT({
    .title = "a task posted to an executor captures a local by reference and runs after its frame "
             "is gone",
    .category = "lifetime",
    // Under Valgrind the late task runs only when its serialised scheduler hands over at the
    // right moment: a chance (README), beside the notify after unlock both tools always flag.
    .expectations = {cb::expect::may_find("helgrind", {"data-race"}, kValgrindChance),
                     cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::may_find("drd", {"data-race"}, kValgrindChance),
                     cb::expect::notify_after_unlock("drd"),
                     cb::expect::finds("model", {"invariant-violated"}),
                     cb::expect::finds("asan", {"stack-use-after-return", "stack-use-after-scope"}),
                     cb::expect::finds("tsan", {"data-race"}),
                     // gcc 12's TSan build reports nothing here although the bug happens (the
                     // invariant fails): a difference between the compilers (README).
                     cb::expect::clean("tsan-gcc"),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("property", {"counterexample", "crash"})},
    .defaults = {.threads = 1, .iterations = 1000},
    .small = {.threads = 1,
              .iterations = 4,
              .extra = {{"booking_rounds", 1}, {"pricing_rounds", 1}}},
    // Not .inputs_decide_failure: whether the late task finds its slot reused depends on when
    // the executor runs it (a fresh-clone CI run: iterations=2 failed in 1 of 3 runs, then in
    // none of 15 replays).
    .vary = {{"iterations", 1, 1000}},
    .run = run,
});
