// false_sharing, fixed: each worker's counter is padded out to a cache line of its own, so
// each core keeps its line in its own cache and updates it there, undisturbed.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <sched.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

// Pins the calling thread to the n-th CPU this process may use (see broken.cpp).
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

// FIX: a counter aligned to, and so filling, a 64-byte cache line of its own.
// std::hardware_destructive_interference_size would name the 64 portably, but libstdc++ 12
// defines it only when the compiler provides __GCC_DESTRUCTIVE_SIZE, which clang-14 does not.
struct alignas(64) padded_counter {
  cb::atomic<std::uint64_t> value{0};
};

cb::outcome run(const cb::params& p) {
  const int workers = p.threads;
  const std::int64_t batches = p.iterations;
  const auto batch_size = static_cast<std::size_t>(p.get("batch", 20'000));

  std::mt19937_64 rng(p.seed);
  std::uniform_int_distribution<std::uint32_t> length(64, 1500);
  std::vector<std::uint32_t> packets(batch_size);
  for (auto& len : packets) len = length(rng);

  std::vector<padded_counter> bytes_seen(static_cast<std::size_t>(workers));

  cb::atomic<std::int64_t> arrived{0};
  std::vector<cb::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      pin_to_cpu(w);
      const std::size_t from = batch_size * w / workers, to = batch_size * (w + 1) / workers;
      auto& counter = bytes_seen[static_cast<std::size_t>(w)].value;
      for (std::int64_t b = 0; b < batches; ++b) {
        arrived.fetch_add(1);
        while (arrived.load() < workers * (b + 1)) {
        }
        for (std::size_t i = from; i < to; ++i)
          counter.fetch_add(packets[i], cb::memory_order_relaxed);  // stays in this core's cache
      }
    });
  }
  for (auto& t : threads) t.join();

  std::uint64_t counted = 0, sent = 0;
  for (const auto& c : bytes_seen) counted += c.value.load();
  for (auto len : packets) sent += len * static_cast<std::uint64_t>(batches);
  cb::outcome o = cb::outcome::equal("bytes counted == bytes sent", counted, sent);
  o.note = std::to_string(workers) + " workers, " + std::to_string(batches) +
           " batches; one cache line per counter";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "per-worker counters padded to a cache line each",
    .category = "performance",
    .expectations = {cb::expect::skip("model",
                                      "a performance case: the model has no time and no cores to "
                                      "measure (the perf detector grades it)"),
                     cb::expect::skip(
                         "property",
                         "a performance bug: every answer is right, and perf grades the cost")},
    .defaults = {.threads = 2, .iterations = 100, .extra = {{"batch", 20'000}}},
    .run = run,
});
