// shared_map_writers, broken: worker threads record their results in one std::unordered_map,
// without taking the map's lock. Each worker inserts only its own keys, and the map has room for
// all of them from the start, so the code looks safe: no two threads touch the same entry, and
// nothing is ever rehashed. But every insert also updates the map's own bookkeeping (the list that
// links all entries, the bucket that points into it, the element count), and that is shared.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <pthread.h>
#include <sched.h>

#include <cstdint>
#include <iterator>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

// The result a worker computes for one key: `rounds` of mixing stand for the real work.
std::int64_t result_for(std::int64_t key, std::int64_t rounds) {
  std::uint64_t x = static_cast<std::uint64_t>(key);
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 31)) * 0x9E3779B97F4A7C15ull + 1;
  return static_cast<std::int64_t>(x & 0x7FFFFFFF);
}

// Runs the calling thread on one CPU of those the process may use, picked by `index`. The map
// is damaged only when two workers really run at the same instant. On a busy machine the
// scheduler may keep every worker on one core, where that takes an unlucky preemption; spreading
// the workers over the cores, as a throughput-tuned service pins its workers, makes the
// parallel schedule the normal one. (Linux only, like the rest of casebook.)
void pin_to_cpu(int index) {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &allowed)) cpus.push_back(c);
  }
  if (cpus.size() < 2) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpus[static_cast<std::size_t>(index) % cpus.size()], &one);
  pthread_setaffinity_np(pthread_self(), sizeof one, &one);
}

// The results and the lock that guards them. CB_GUARDED_BY states that rule where Clang's
// thread-safety analysis can check it (casebook/annotations.hpp; no effect on the build).
struct result_map {
  cb::mutex lock;
  cb::shared<std::unordered_map<std::int64_t, std::int64_t>> entries CB_GUARDED_BY(lock);
};

cb::outcome run(const cb::params& p) {
  const std::int64_t total = std::int64_t{p.threads} * p.iterations;
  const std::int64_t rounds = p.get("rounds", 200);
  // BUG: every worker inserts into this one map, skipping its lock, so nothing serialises the
  // inserts.
  result_map results;
  {
    // Room for every result up front, so the map never rehashes while the workers insert.
    // This is the usual reason people believe the workers may skip the lock; it only makes
    // the damage quieter.
    cb::lock_guard hold(results.lock);
    results.entries.unsafe_ref().reserve(static_cast<std::size_t>(total));
  }

  // Each worker also keeps its results in a vector with one slot per key. That part is safe:
  // distinct elements of a vector are distinct memory locations, and writing one changes nothing
  // else. An insert into the map changes the map.
  std::vector<std::int64_t> kept(static_cast<std::size_t>(total));

  // A start gate, so the workers insert at the same time instead of one after another.
  cb::atomic<bool> go{false};
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      pin_to_cpu(t);
      while (!go.load()) cb::this_thread::yield();
      // Worker t handles items t, t + threads, t + 2 * threads, ...: its keys are its own.
      for (std::int64_t key = t; key < total; key += p.threads) {
        const std::int64_t result = result_for(key, rounds);
        kept[static_cast<std::size_t>(key)] = result;  // safe: this slot is this worker's alone
        results.entries.unsafe_ref()[key] = result;    // casebook-bug: the map is everybody's
      }
    });
  }
  go.store(true);
  for (auto& w : workers) w.join();

  // Every key must be there, with its own result; the map must count each once, and walking
  // the map from begin() to end() must visit each once.
  cb::lock_guard hold(results.lock);
  const auto& map = results.entries.unsafe_ref();
  std::int64_t missing = 0;
  for (std::int64_t key = 0; key < total; ++key) {
    auto it = map.find(key);
    if (it == map.end() || it->second != kept[static_cast<std::size_t>(key)]) ++missing;
  }
  const auto size = static_cast<std::int64_t>(map.size());
  const auto walked = static_cast<std::int64_t>(std::distance(map.begin(), map.end()));
  cb::outcome o = cb::outcome::equal("map.size() == threads * iterations", size, total);
  o.invariant += ", every key found with its result, and begin()..end() visits each once";
  o.holds = o.holds && missing == 0 && walked == total;
  o.note = std::to_string(missing) + " of " + std::to_string(total) +
           " keys cannot be found; size() says " + std::to_string(size) +
           "; begin()..end() visits " + std::to_string(walked);
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "worker threads insert their own keys into one shared std::unordered_map, unlocked",
    .category = "race",
    .expectations = {cb::expect::finds("helgrind", {"data-race"}),
                     cb::expect::finds("drd", {"data-race"}),
                     cb::expect::finds("model", {"data-race"}),
                     cb::expect::finds("tsan", {"data-race"}),
                     cb::expect::finds("invariant", {"invariant-violated", "crash"}),
                     cb::expect::finds("asan", {"memory-leak"}),
                     cb::expect::finds("property", {"counterexample", "crash"}),
                     cb::expect::finds("thread-safety", {"unguarded-access"})},
    .defaults = {.threads = 4, .iterations = 25000},
    .small = {.threads = 2, .iterations = 8, .extra = {{"rounds", 1}}},
    .vary = {{"threads", 1, 8}, {"iterations", 1, 25000}},
    .run = run,
});
