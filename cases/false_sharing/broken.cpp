// false_sharing, broken: packet-processing workers each add up the bytes they handle in a
// counter of their own, but the counters sit side by side in one array, inside one 64-byte
// cache line. No counter is shared, yet every update by one core takes the whole line away
// from the other core, so nearly every update waits for a cache-line transfer between cores.
// The totals are right; the workers are several times slower than they should be.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <sched.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

// Pins the calling thread to the n-th CPU this process may use. Packet-processing workers are
// pinned one per core; and false sharing is a cost between cores: two threads that take turns
// on one core share its cache and do not suffer it.
void pin_to_cpu(int n) {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  int skip = n % CPU_COUNT(&allowed);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed) || skip-- > 0) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    sched_setaffinity(0, sizeof one, &one);
    return;
  }
}

cb::outcome run(const cb::params& p) {
  const int workers = p.threads;
  const std::int64_t batches = p.iterations;
  const auto batch_size = static_cast<std::size_t>(p.get("batch", 20'000));

  // The lengths of the packets in a batch; every batch replays the same traffic.
  std::mt19937_64 rng(p.seed);
  std::uniform_int_distribution<std::uint32_t> length(64, 1500);
  std::vector<std::uint32_t> packets(batch_size);
  for (auto& len : packets) len = length(rng);
  // casebook-bug: the workers' counters, packed into one cache line
  // BUG: one 8-byte counter per worker, packed: every worker's counter is in the same cache
  // line. (They are atomics so that a statistics reader may read them while the workers run.)
  std::vector<cb::atomic<std::uint64_t>> bytes_seen(static_cast<std::size_t>(workers));

  // The workers poll for the next batch rather than sleep, as packet-processing cores do, so
  // they work on each batch at the same time. Batch b starts once all have arrived b+1 times.
  cb::atomic<std::int64_t> arrived{0};
  std::vector<cb::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      pin_to_cpu(w);
      const std::size_t from = batch_size * w / workers, to = batch_size * (w + 1) / workers;
      auto& counter = bytes_seen[static_cast<std::size_t>(w)];
      for (std::int64_t b = 0; b < batches; ++b) {
        arrived.fetch_add(1);
        while (arrived.load() < workers * (b + 1)) {
        }
        for (std::size_t i = from; i < to; ++i)
          counter.fetch_add(packets[i], cb::memory_order_relaxed);  // casebook-bug: line moves here
      }
    });
  }
  for (auto& t : threads) t.join();

  std::uint64_t counted = 0, sent = 0;
  for (const auto& c : bytes_seen) counted += c.load();
  for (auto len : packets) sent += len * static_cast<std::uint64_t>(batches);
  cb::outcome o = cb::outcome::equal("bytes counted == bytes sent", counted, sent);
  o.note = std::to_string(workers) + " workers, " + std::to_string(batches) +
           " batches; the counters share one cache line";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "per-worker counters packed side by side share one cache line",
    .category = "performance",
    .expectations = {cb::expect::skip("model",
                                      "a performance case: the model has no time and no cores to "
                                      "measure (the perf detector grades it)"),
                     cb::expect::finds("perf", {"slowdown"}),
                     cb::expect::skip(
                         "property",
                         "a performance bug: every answer is right, and perf grades the cost")},
    .defaults = {.threads = 2, .iterations = 100, .extra = {{"batch", 20'000}}},
    .perf_ratio = 2,
    .run = run,
});
