// shared_list_queue, fixed: the producer and the consumer meet in a bounded blocking queue. A
// mutex guards the jobs, and two condition variables replace the consumer's "sleep and retry":
// the consumer waits until a job is there, the producer waits while the queue is full. The
// consumer takes its job out of the queue (a copy) before it processes it, so nothing it reads
// can be moved or freed under it.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace {

// One unit of work: a sequence number and a payload derived from it (128 bytes in all).
struct job {
  std::int64_t seq = 0;
  std::array<std::uint64_t, 15> payload{};
};

std::uint64_t mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// What the producer builds for sequence number `seq`: `rounds` of mixing per payload word.
job make_job(std::uint64_t seed, std::int64_t seq, std::int64_t rounds) {
  job j;
  j.seq = seq;
  std::uint64_t x = seed ^ static_cast<std::uint64_t>(seq);
  for (auto& word : j.payload) {
    for (std::int64_t r = 0; r < rounds; ++r) x = mix(x + 1);
    word = x;
  }
  return j;
}

// What the consumer does with a job: a digest over its payload (`rounds` passes), then a check
// that the job arrived intact (rebuilding it as the producer did). It reads the job where it
// lies throughout.
bool handle(const job& j, std::uint64_t seed, std::int64_t rounds, std::uint64_t& digest) {
  for (std::int64_t r = 0; r < rounds; ++r)
    for (const std::uint64_t word : j.payload) digest = mix(digest ^ word);
  return make_job(seed, j.seq, rounds).payload == j.payload;
}

// A FIFO of at most `capacity` jobs that both threads may use at once.
class bounded_queue {
 public:
  explicit bounded_queue(std::size_t capacity) : capacity_(capacity) {}

  // Blocks while the queue is full.
  void push(const job& j) {
    cb::unique_lock lock(mutex_);
    not_full_.wait(lock, [&]() CB_REQUIRES(mutex_) { return jobs_.size() < capacity_; });
    jobs_.push_back(j);
    not_empty_.notify_one();
  }

  // Blocks until a job is there, or returns nothing once the queue is closed and drained.
  std::optional<job> pop() {
    cb::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&]() CB_REQUIRES(mutex_) { return !jobs_.empty() || closed_; });
    if (jobs_.empty()) return std::nullopt;
    job j = jobs_.front();  // a copy: the consumer owns it from here on
    jobs_.pop_front();
    not_full_.notify_one();
    return j;
  }

  // No more pushes will come; wakes a consumer waiting on an empty queue.
  void close() {
    cb::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  cb::mutex mutex_;
  cb::condition_variable not_empty_;
  cb::condition_variable not_full_;
  std::deque<job> jobs_ CB_GUARDED_BY(mutex_);
  bool closed_ CB_GUARDED_BY(mutex_) = false;
  const std::size_t capacity_;
};

cb::outcome run(const cb::params& p) {
  const std::int64_t items = p.iterations;
  const std::int64_t rounds = p.get("rounds", 8);
  bounded_queue queue(static_cast<std::size_t>(p.get("capacity", 256)));

  std::int64_t received = 0, in_order = 0, damaged = 0;
  std::uint64_t digest = 0;
  cb::thread consumer([&] {
    std::int64_t next = 0;
    while (std::optional<job> j = queue.pop()) {  // sleeps in pop() until a job arrives
      const bool intact = handle(*j, p.seed, rounds, digest);
      ++received;
      if (intact && j->seq == next) {
        ++in_order;
        ++next;
      } else {
        ++damaged;
        next = j->seq + 1;
      }
    }
  });

  cb::thread producer([&] {
    for (std::int64_t i = 0; i < items; ++i) queue.push(make_job(p.seed, i, rounds));
    queue.close();
  });
  producer.join();
  consumer.join();

  cb::outcome o =
      cb::outcome::equal("every job consumed exactly once, intact and in order", in_order, items);
  o.note = "received " + std::to_string(received) + " of " + std::to_string(items) + " jobs, " +
           std::to_string(damaged) + " damaged or out of order; digest " + std::to_string(digest);
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same jobs through a bounded blocking queue (mutex + condition variables)",
    .category = "race",
    .expectations = {cb::expect::clean("model"), cb::expect::clean("thread-safety")},
    .defaults = {.threads = 2, .iterations = 50000, .extra = {{"retry_us", 1000}}},
    .small = {.threads = 2, .iterations = 4, .extra = {{"retry_us", 0}, {"rounds", 1}}},
    .vary = {{"iterations", 1, 50000}, {"retry_us", 1, 1000}},
    .run = run,
});
