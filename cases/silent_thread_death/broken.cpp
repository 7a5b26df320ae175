// silent_thread_death, broken: a pool of workers parses and processes records from a shared
// queue. One record is malformed and its parser throws. The worker's try/catch wraps its whole
// loop, so the exception ends the worker: it logs the message to stderr and returns. The record
// it held is neither done nor failed, the owner is never told, and the pool carries on one
// worker short. The run "succeeds" with a task missing.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

// One input record, as read from a file: the quantity is still text.
struct record {
  std::int64_t id = 0;
  std::string quantity;
};

// A blocking queue: the owner pushes records and closes it; workers pop until it is closed and
// empty.
class record_queue {
 public:
  void push(record r) {
    {
      cb::lock_guard hold(lock_);
      items_.push_back(std::move(r));
    }
    ready_.notify_one();
  }
  void close() {
    {
      cb::lock_guard hold(lock_);
      closed_ = true;
    }
    ready_.notify_all();
  }
  // The next record, or nothing once the queue is closed and drained.
  std::optional<record> pop() {
    cb::unique_lock hold(lock_);
    ready_.wait(hold, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    record r = std::move(items_.front());
    items_.pop_front();
    return r;
  }

 private:
  cb::mutex lock_;
  cb::condition_variable ready_;
  std::deque<record> items_;  // guarded by lock_
  bool closed_ = false;       // guarded by lock_
};

// What the pool reports back to its owner.
struct tally {
  cb::mutex lock;
  std::int64_t done = 0;    // guarded by lock: records processed
  std::uint64_t check = 0;  // guarded by lock: an order-independent checksum of their digests
};

// Parses a record's quantity. A malformed one throws, as any real parser would.
std::int64_t parse_quantity(const record& r) {
  std::int64_t value = 0;
  const char* first = r.quantity.data();
  const char* last = first + r.quantity.size();
  auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc{} || end != last) {
    throw std::invalid_argument("record " + std::to_string(r.id) + ": quantity \"" + r.quantity +
                                "\" is not a number");
  }
  return value;
}

// The real work per record (`rounds` of mixing), so the records spread over all workers.
std::uint64_t process(std::int64_t id, std::int64_t quantity, std::int64_t rounds) {
  std::uint64_t x =
      static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(quantity);
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

void worker(int id, record_queue& queue, tally& out, std::int64_t rounds) {
  try {  // casebook-bug: around the whole loop: one bad record ends the worker
    while (std::optional<record> r = queue.pop()) {
      const std::int64_t quantity = parse_quantity(*r);  // throws on the malformed record
      const std::uint64_t digest = process(r->id, quantity, rounds);
      cb::lock_guard hold(out.lock);
      ++out.done;
      out.check += digest;
    }
  } catch (const std::exception& e) {  // casebook-bug: swallows the error, and the worker with it
    // BUG: the exception stops here, and so does the worker: the loop is inside the try. The
    // record it held is lost, the owner never hears of it, and nothing restarts the worker.
    // (Without this catch the exception would reach std::terminate and at least be loud.)
    std::fprintf(stderr, "worker %d: stopped: %s\n", id, e.what());
  }
}

// The input: `count` records with quantities 1..100. `bad` of them, spread evenly from a place
// that depends on the seed, carry a typo in their quantity.
std::vector<record> make_input(std::int64_t count, std::int64_t bad, std::uint64_t seed) {
  std::vector<record> input;
  for (std::int64_t i = 0; i < count; ++i) {
    input.push_back(
        {i, std::to_string(1 + (i * 37 + static_cast<std::int64_t>(seed % 100)) % 100)});
  }
  if (count == 0 || bad <= 0) return input;
  bad = bad < count ? bad : count;
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull;
  const std::int64_t base =
      static_cast<std::int64_t>((x ^ (x >> 29)) % static_cast<std::uint64_t>(count));
  for (std::int64_t k = 0; k < bad; ++k) {
    input[static_cast<std::size_t>((base + k * (count / bad)) % count)].quantity += "x";
  }
  return input;
}

cb::outcome run(const cb::params& p) {
  const std::int64_t rounds = p.get("rounds", 200);
  const std::vector<record> input = make_input(p.iterations, p.get("bad_records", 1), p.seed);

  record_queue queue;
  tally out;
  std::vector<cb::thread> workers;
  for (int w = 0; w < p.threads; ++w) {
    workers.emplace_back([&, w] { worker(w, queue, out, rounds); });
  }
  for (const record& r : input) queue.push(r);
  queue.close();
  for (auto& w : workers) w.join();  // returns normally: a dead worker looks like a finished one

  // The owner's report: it only knows what reached the tally. There is no failure to report,
  // because no failure reached it.
  const std::int64_t tasks = static_cast<std::int64_t>(input.size());
  const std::int64_t failed = 0;
  cb::outcome o = cb::outcome::equal("done + failed == tasks (every task accounted for)",
                                     out.done + failed, tasks);
  o.note = std::to_string(out.done) + " done + " + std::to_string(failed) + " failed of " +
           std::to_string(tasks) + " tasks: " + std::to_string(tasks - out.done - failed) +
           " vanished with no result and no error";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title =
        "a worker's catch-all around its whole loop swallows a parse error and the worker dies",
    .category = "lifetime",
    .expectations = {cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::notify_after_unlock("drd"),
                     cb::expect::finds("model", {"invariant-violated"}),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("property", {"counterexample"})},
    .defaults = {.threads = 4, .iterations = 2000},
    .small = {.threads = 2, .iterations = 4, .extra = {{"bad_records", 1}, {"rounds", 1}}},
    .vary = {{"threads", 1, 6}, {"iterations", 1, 2000}},
    .inputs_decide_failure = true,
    .run = run,
});
