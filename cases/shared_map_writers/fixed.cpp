// shared_map_writers, fixed: the results go into a sharded map. Each key belongs to one of
// `shards` small maps, and each small map has its own mutex, so an insert locks only the shard
// it changes. Workers whose keys fall in different shards still insert in parallel; two
// inserts into the same shard take turns. (One map behind one mutex is the simpler fix; see
// README.md.)
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

// An unordered_map split into independently locked shards.
class sharded_map {
 public:
  sharded_map(std::size_t shards, std::size_t expected_size) : shards_(shards) {
    for (auto& s : shards_) s.map.reserve(expected_size / shards + 1);
  }

  void insert_or_assign(std::int64_t key, std::int64_t value) {
    shard& s = shard_for(key);
    cb::lock_guard guard(s.lock);  // only this shard's map changes
    s.map[key] = value;
  }

  bool has(std::int64_t key, std::int64_t value) {
    shard& s = shard_for(key);
    cb::lock_guard guard(s.lock);
    auto it = s.map.find(key);
    return it != s.map.end() && it->second == value;
  }

  std::size_t size() {
    std::size_t n = 0;
    for (auto& s : shards_) {
      cb::lock_guard guard(s.lock);
      n += s.map.size();
    }
    return n;
  }

  // The number of entries found by walking every shard from begin() to end().
  std::size_t walk() {
    std::size_t n = 0;
    for (auto& s : shards_) {
      cb::lock_guard guard(s.lock);
      n += static_cast<std::size_t>(std::distance(s.map.begin(), s.map.end()));
    }
    return n;
  }

 private:
  struct shard {
    cb::mutex lock;
    std::unordered_map<std::int64_t, std::int64_t> map CB_GUARDED_BY(lock);
  };

  shard& shard_for(std::int64_t key) {
    // Mix the key first: consecutive keys then spread over all shards.
    const std::uint64_t h = static_cast<std::uint64_t>(key) * 0x9E3779B97F4A7C15ull;
    return shards_[(h >> 32) % shards_.size()];
  }

  std::vector<shard> shards_;
};

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

cb::outcome run(const cb::params& p) {
  const std::int64_t total = std::int64_t{p.threads} * p.iterations;
  const std::int64_t rounds = p.get("rounds", 200);
  sharded_map results(static_cast<std::size_t>(p.get("shards", 16)),
                      static_cast<std::size_t>(total));

  // Each worker also keeps its results in a vector with one slot per key (safe: distinct
  // elements are distinct memory locations).
  std::vector<std::int64_t> kept(static_cast<std::size_t>(total));

  // The same start gate as broken.cpp, so the workers insert at the same time.
  cb::atomic<bool> go{false};
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      pin_to_cpu(t);
      while (!go.load()) cb::this_thread::yield();
      // Worker t handles items t, t + threads, t + 2 * threads, ...
      for (std::int64_t key = t; key < total; key += p.threads) {
        const std::int64_t result = result_for(key, rounds);
        kept[static_cast<std::size_t>(key)] = result;
        results.insert_or_assign(key, result);
      }
    });
  }
  go.store(true);
  for (auto& w : workers) w.join();

  // Every key must be there, with its own result; the map must count each once, and walking
  // the map's entries must visit each once.
  std::int64_t missing = 0;
  for (std::int64_t key = 0; key < total; ++key) {
    if (!results.has(key, kept[static_cast<std::size_t>(key)])) ++missing;
  }
  const auto size = static_cast<std::int64_t>(results.size());
  const auto walked = static_cast<std::int64_t>(results.walk());
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
    .title = "the same inserts into a sharded map: one mutex per shard",
    .category = "race",
    .expectations = {cb::expect::clean("thread-safety"), cb::expect::clean("model")},
    .defaults = {.threads = 4, .iterations = 25000},
    .small = {.threads = 2, .iterations = 8, .extra = {{"rounds", 1}}},
    .vary = {{"threads", 1, 8}, {"iterations", 1, 25000}},
    .run = run,
});
