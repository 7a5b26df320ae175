// destroy_locked_mutex, broken: a download manager runs one worker per transfer. A worker adds
// each chunk to its transfer under the transfer's mutex, locking and unlocking by hand. When a
// chunk fails its checksum, append_chunk() throws between lock() and unlock(): the exception
// skips the unlock, the worker marks the download failed and ends, and the manager later
// destroys the transfer with its mutex still locked. Nothing crashes and nothing hangs, because
// after the failure nobody blocks on that mutex again; the only trace is a progress line that
// can no longer be refreshed.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <pthread.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// The project's own mutex: a thin wrapper over pthread_mutex_t, as many code bases have. Its
// destructor calls pthread_mutex_destroy. (libstdc++'s std::mutex destructor does nothing, so
// TSan cannot see a locked std::mutex being destroyed; see README.md.)
class posix_mutex {
 public:
  posix_mutex() { pthread_mutex_init(&m_, nullptr); }
  ~posix_mutex() { pthread_mutex_destroy(&m_); }  // EBUSY if still locked, ignored as usual
  posix_mutex(const posix_mutex&) = delete;
  posix_mutex& operator=(const posix_mutex&) = delete;
  void lock() { pthread_mutex_lock(&m_); }
  bool try_lock() { return pthread_mutex_trylock(&m_) == 0; }
  void unlock() { pthread_mutex_unlock(&m_); }

 private:
  pthread_mutex_t m_;
};

constexpr std::int64_t kChunkBytes = 4096;

struct chunk {
  std::int64_t index;
  std::uint64_t payload;
  std::uint64_t checksum;  // what the server says the payload hashes to
};

std::uint64_t hash(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// One download, shared by its worker (which appends) and the manager (which shows progress).
struct transfer {
  posix_mutex lock;
  cb::shared<std::int64_t> received{0};  // bytes appended, guarded by lock
  cb::shared<std::uint64_t> digest{0};   // running digest of the file, guarded by lock
  cb::shared<bool> failed{false};        // set by the worker; read after join()
};

// Chunk `i` of transfer `t` as it comes off the network. Exactly one chunk of one transfer,
// both picked by the seed, arrives with a flipped bit.
chunk fetch(std::uint64_t seed, int t, std::int64_t i, int bad_transfer, std::int64_t bad_chunk) {
  chunk c{i, hash(seed ^ (static_cast<std::uint64_t>(t) << 32) ^ static_cast<std::uint64_t>(i)), 0};
  c.checksum = hash(c.payload);
  if (t == bad_transfer && i == bad_chunk) c.payload ^= 1;
  return c;
}

// Adds one chunk to the transfer. Throws when the chunk is corrupt.
void append_chunk(transfer& t, const chunk& c) {
  t.lock.lock();
  t.digest.write(hash(t.digest.read() ^ c.payload));
  if (hash(c.payload) != c.checksum) {
    // BUG (casebook-bug): the throw leaves the function with t.lock still locked; the unlock()
    // below never runs. Every early exit between a hand-written lock() and unlock() has this hole.
    throw std::runtime_error("chunk " + std::to_string(c.index) + " failed its checksum");
  }
  t.received.write(t.received.read() + kChunkBytes);
  t.lock.unlock();
}

cb::outcome run(const cb::params& p) {
  const std::int64_t chunks = p.iterations;
  // Which chunk of which transfer arrives corrupt: a function of the seed only.
  const std::uint64_t pick = hash(p.seed);
  const auto workers_u = static_cast<std::uint64_t>(p.threads);
  const int bad_transfer = static_cast<int>(pick % workers_u);
  const auto bad_chunk =
      static_cast<std::int64_t>(pick / workers_u % static_cast<std::uint64_t>(chunks));

  std::vector<std::unique_ptr<transfer>> transfers;
  for (int t = 0; t < p.threads; ++t) transfers.push_back(std::make_unique<transfer>());

  cb::atomic<int> finished{0};
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      transfer& mine = *transfers[static_cast<std::size_t>(t)];
      try {
        for (std::int64_t i = 0; i < chunks; ++i) {
          append_chunk(mine, fetch(p.seed, t, i, bad_transfer, bad_chunk));
        }
      } catch (const std::exception&) {
        mine.failed.write(true);  // the download is marked failed; the worker is done with it
      }
      finished.fetch_add(1);
    });
  }

  // The progress display. It must never stall, so it skips a transfer whose lock is busy and
  // keeps showing that transfer's last value; it returns how many it had to skip.
  std::vector<std::int64_t> shown(static_cast<std::size_t>(p.threads), 0);
  auto refresh = [&] {
    int busy = 0;
    for (int t = 0; t < p.threads; ++t) {
      transfer& x = *transfers[static_cast<std::size_t>(t)];
      if (x.lock.try_lock()) {
        shown[static_cast<std::size_t>(t)] = x.received.read();
        x.lock.unlock();
      } else {
        ++busy;
      }
    }
    return busy;
  };
  while (finished.load() < p.threads) {
    refresh();
    cb::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  for (auto& w : workers) w.join();
  const int stale = refresh();  // the final refresh: with every worker gone, no lock is busy

  int completed = 0;
  int failed = 0;
  for (auto& x : transfers) {
    if (x->failed.read()) {
      ++failed;
    } else if (x->received.read() == chunks * kChunkBytes) {
      ++completed;
    }
  }
  transfers.clear();  // destroys every transfer; the failed one's mutex is still locked

  cb::outcome o = cb::outcome::equal(
      "the corrupt chunk fails its own transfer only, and once every worker has ended the "
      "display can refresh every transfer",
      std::to_string(completed) + " completed, " + std::to_string(failed) + " failed, " +
          std::to_string(stale) + " stale",
      std::to_string(p.threads - 1) + " completed, 1 failed, 0 stale");
  const auto bad = static_cast<std::size_t>(bad_transfer);
  o.note = "transfer " + std::to_string(bad_transfer) + " failed at chunk " +
           std::to_string(bad_chunk) + " of " + std::to_string(chunks) +
           "; its progress line shows " + std::to_string(shown[bad]) + " bytes, " +
           std::to_string(bad_chunk * kChunkBytes) + " were received";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "a checksum error throws between lock() and unlock(); the transfer dies locked",
    .category = "misuse",
    .expectations =
        {cb::expect::finds("helgrind", {"mutex-misuse"}),
         cb::expect::finds("drd", {"mutex-misuse"}),
         cb::expect::skip(
             "model",
             "the case's mutex wraps a pthread_mutex_t directly: the model cannot schedule it, and "
             "a real lock would block the one OS thread the model runs on"),
         cb::expect::finds("tsan", {"destroy-of-locked-mutex"}),
         cb::expect::finds("invariant", {"invariant-violated"}),
         cb::expect::finds("property", {"counterexample"}),
         cb::expect::skip("thread-safety",
                          "the analysis does not follow exception paths: the throw between "
                          "lock() and unlock() leaves append_chunk() holding the lock, and clang "
                          "14 reports nothing for it even with the mutex and data annotated")},
    .defaults = {.threads = 4, .iterations = 200},
    .vary = {{"threads", 1, 6}, {"iterations", 1, 200}},
    .inputs_decide_failure = true,
    .run = run,
});
