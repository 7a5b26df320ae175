// silent_thread_death, fixed: the same pool and the same malformed record. Each record gets its
// own try/catch inside the loop, so a bad record fails alone: its exception is kept as a
// std::exception_ptr next to the record's id, and the worker goes on to the next record.
// Anything else that would end a worker early is caught at the top of the thread and handed to
// the owner, which rethrows it after join(): a worker can no longer die in silence. The owner's
// report accounts for every task, failures with their reason.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <charconv>
#include <cstdint>
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

// A record that could not be processed, with the reason.
struct failure {
  std::int64_t id = 0;
  std::exception_ptr error;  // the exception itself, rethrowable in the owner's thread
};
// What the pool reports back to its owner.
struct tally {
  cb::mutex lock;
  std::int64_t done = 0;          // guarded by lock: records processed
  std::uint64_t check = 0;        // guarded by lock: an order-independent checksum of their digests
  std::vector<failure> failures;  // guarded by lock: records that could not be processed
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

// `died` is this worker's slot for an exception that ends it early; the owner reads it after
// join(), which orders the write before the read.
void worker(record_queue& queue, tally& out, std::int64_t rounds, std::exception_ptr& died) {
  try {
    while (std::optional<record> r = queue.pop()) {
      try {
        const std::int64_t quantity = parse_quantity(*r);  // throws on the malformed record
        const std::uint64_t digest = process(r->id, quantity, rounds);
        cb::lock_guard hold(out.lock);
        ++out.done;
        out.check += digest;
      } catch (...) {
        // FIX: one bad record is one failed task, reported with its exception; the worker lives.
        cb::lock_guard hold(out.lock);
        out.failures.push_back({r->id, std::current_exception()});
      }
    }
  } catch (...) {
    // FIX: whatever else ends this worker (the queue itself throwing, say) is carried to the
    // owner instead of vanishing with the thread.
    died = std::current_exception();
  }
}

// The message of a captured exception.
std::string reason(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
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
  std::vector<std::exception_ptr> died(static_cast<std::size_t>(p.threads));
  std::vector<cb::thread> workers;
  for (int w = 0; w < p.threads; ++w) {
    workers.emplace_back([&, w] { worker(queue, out, rounds, died[static_cast<std::size_t>(w)]); });
  }
  for (const record& r : input) queue.push(r);
  queue.close();
  for (auto& w : workers) w.join();
  // The supervisor's check: a worker that died early is an error of the whole run, raised here
  // in the owner's thread with the worker's own exception.
  for (const std::exception_ptr& e : died) {
    if (e) std::rethrow_exception(e);
  }

  // Every task is now done or failed, and each failure carries its reason.
  const std::int64_t tasks = static_cast<std::int64_t>(input.size());
  const std::int64_t failed = static_cast<std::int64_t>(out.failures.size());
  cb::outcome o = cb::outcome::equal("done + failed == tasks (every task accounted for)",
                                     out.done + failed, tasks);
  o.note = std::to_string(out.done) + " done + " + std::to_string(failed) + " failed";
  for (const failure& f : out.failures) o.note += " (" + reason(f.error) + ")";
  o.note += " == " + std::to_string(tasks) + " tasks";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title =
        "each record fails alone with its exception kept; a dead worker is rethrown to the owner",
    .category = "lifetime",
    .expectations = {cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::notify_after_unlock("drd"), cb::expect::clean("model")},
    .defaults = {.threads = 4, .iterations = 2000},
    .small = {.threads = 2, .iterations = 4, .extra = {{"bad_records", 1}, {"rounds", 1}}},
    .vary = {{"threads", 1, 6}, {"iterations", 1, 2000}},
    .run = run,
});
