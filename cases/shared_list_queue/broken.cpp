// shared_list_queue, broken: a producer hands jobs to a consumer through a std::vector used as
// a queue. The producer appends under the queue's lock; the consumer, which only reads, skips
// it. It reads the job at its cursor, processes it in place, and moves on; when it has caught up
// it waits a millisecond and looks again.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

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

// The jobs and the lock that guards them. CB_GUARDED_BY states that rule where Clang's
// thread-safety analysis can check it (casebook/annotations.hpp; no effect on the build).
struct job_queue {
  cb::mutex lock;
  cb::shared<std::vector<job>> jobs CB_GUARDED_BY(lock);
};

cb::outcome run(const cb::params& p) {
  const std::int64_t items = p.iterations;
  const std::int64_t rounds = p.get("rounds", 8);
  const auto nap = std::chrono::microseconds(p.get("retry_us", 1000));

  // BUG: the producer appends under queue.lock, but the consumer reads without it, so nothing
  // orders its reads after the producer's appends.
  job_queue queue;
  cb::atomic<bool> producer_done{false};

  std::int64_t received = 0, in_order = 0, damaged = 0;
  std::uint64_t digest = 0;
  cb::thread consumer([&] {
    std::size_t head = 0;  // the next job to take; only the consumer moves it
    std::int64_t next = 0;
    while (true) {
      if (head == queue.jobs.unsafe_ref().size()) {  // casebook-bug: read without the lock
        if (producer_done.load()) break;
        cb::this_thread::sleep_for(nap);  // "nothing yet: wait a bit and retry"
        continue;
      }
      // A reference into the vector's buffer. push_back in the producer may move every job to
      // a new buffer and free this one while the consumer is still reading it.
      const job& j = queue.jobs.unsafe_ref()[head];  // casebook-bug: read without the lock
      const bool intact = handle(j, p.seed, rounds, digest);
      ++received;
      if (intact && j.seq == next) {
        ++in_order;
        ++next;
      } else {
        ++damaged;
        next = j.seq + 1;
      }
      ++head;
    }
  });

  cb::thread producer([&] {
    for (std::int64_t i = 0; i < items; ++i) {
      job next = make_job(p.seed, i, rounds);
      cb::lock_guard hold(queue.lock);
      queue.jobs.unsafe_ref().push_back(next);
    }
    producer_done.store(true);
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
    .title = "a producer and a polling consumer share an unlocked std::vector as a queue",
    .category = "race",
    .expectations = {cb::expect::finds("helgrind", {"data-race"}),
                     cb::expect::finds("drd", {"data-race"}),
                     cb::expect::finds("model", {"data-race"}),
                     cb::expect::finds("tsan", {"data-race"}),
                     cb::expect::finds("asan", {"heap-use-after-free"}),
                     cb::expect::finds("invariant", {"crash", "invariant-violated"}),
                     cb::expect::finds("property", {"counterexample", "crash"}),
                     cb::expect::finds("thread-safety", {"unguarded-access"})},
    .defaults = {.threads = 2, .iterations = 50000, .extra = {{"retry_us", 1000}}},
    .small = {.threads = 2, .iterations = 4, .extra = {{"retry_us", 0}, {"rounds", 1}}},
    // The nap varies too: a long one lets a fast producer fill the whole queue before the
    // consumer reads anything, and then nothing overlaps.
    .vary = {{"iterations", 1, 50000}, {"retry_us", 1, 1000}},
    .run = run,
});
