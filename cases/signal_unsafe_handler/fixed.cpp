// signal_unsafe_handler, fixed: the SIGHUP handler only sets a lock-free atomic flag. The
// workers check the flag between requests and do the reload there, in ordinary code, where
// allocating and taking the configuration lock are fine. A handler that touches nothing but a
// lock-free atomic can interrupt anything without harm.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace {

// What every request reads. `check` lets a request verify it sees one whole configuration.
struct config {
  std::int64_t generation = 0;
  std::string upstream;  // heap-allocated text, like any real setting
  std::uint64_t check = 0;
};

std::uint64_t digest(std::int64_t generation, const std::string& text) {
  std::uint64_t x = 0xCBF29CE484222325ull ^ static_cast<std::uint64_t>(generation);
  for (char c : text) x = (x ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  return x;
}

// Stands in for reading and parsing the configuration file.
config load_config(std::int64_t generation) {
  config c;
  c.generation = generation;
  c.upstream = "https://backend-" + std::to_string(generation) + ".internal.example:8443/api/v2";
  c.check = digest(c.generation, c.upstream);
  return c;
}

// A signal handler takes no arguments, so what it touches lives at namespace scope.
cb::mutex g_config_lock;
std::shared_ptr<const config> g_config;  // guarded by g_config_lock
cb::atomic<std::int64_t> g_reloads{0};   // reloads applied, so the operator can wait for each

// Set by the handler, taken by the worker that does the reload. A lock-free atomic, not a
// `volatile std::sig_atomic_t`: the handler runs on one thread and another may take the flag,
// and only an atomic makes that hand-over between threads well defined.
cb::atomic<bool> g_reload_requested{false};
static_assert(cb::atomic<bool>::is_always_lock_free, "a handler may use lock-free atomics only");

void on_sighup(int) {
  g_reload_requested.store(true);  // the whole handler: no allocation, no lock, errno untouched
}

// The reload itself, called by a worker between requests, never inside a handler.
void reload_config() {
  auto fresh = std::make_shared<const config>(load_config(g_reloads.load() + 1));
  cb::lock_guard hold(g_config_lock);
  g_config.swap(fresh);  // `fresh` now holds the old configuration, freed on return
  g_reloads.fetch_add(1);
}

// One request: a little work that needs the current configuration for all of its duration.
std::uint64_t serve(std::uint64_t request, const config& c, std::int64_t rounds) {
  std::uint64_t x = request ^ c.check;
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

cb::outcome run(const cb::params& p) {
  const std::int64_t reloads = p.iterations;  // how many times the operator sends SIGHUP
  const std::int64_t rounds = p.get("request_rounds", 200);
  g_config = std::make_shared<const config>(load_config(0));
  g_reloads.store(0);
  g_reload_requested.store(false);

  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = on_sighup;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &action, &previous);

  // The workers serve requests until told to stop. Each holds the configuration lock for the
  // whole of a request, so most of the time one of them holds it.
  cb::atomic<bool> stop{false};
  cb::atomic<std::int64_t> served{0};
  cb::atomic<std::int64_t> torn{0};
  cb::atomic<std::uint64_t> responses{0};  // every worker's answers, folded: the work is used
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      std::uint64_t request = p.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(t);
      std::uint64_t answers = 0;
      while (!stop.load()) {
        // The fix: the signal only leaves a note, and the reload happens here, between
        // requests, where this worker holds no lock. exchange() lets one worker act on it.
        if (g_reload_requested.exchange(false)) reload_config();
        cb::lock_guard hold(g_config_lock);
        const config& c = *g_config;
        if (digest(c.generation, c.upstream) != c.check) torn.fetch_add(1);
        answers ^= serve(request++, c, rounds);
        served.fetch_add(1, cb::memory_order_relaxed);
      }
      responses.fetch_xor(answers);
    });
  }

  // This thread plays the operator running `kill -HUP <pid>`. It blocks SIGHUP for itself, so
  // the kernel delivers each signal to one of the workers, and it waits for each reload to land
  // before it asks for the next one.
  sigset_t hup;
  sigemptyset(&hup);
  sigaddset(&hup, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &hup, nullptr);
  for (std::int64_t i = 0; i < reloads; ++i) {
    kill(getpid(), SIGHUP);
    while (g_reloads.load() <= i) cb::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  stop.store(true);
  for (auto& w : workers) w.join();
  pthread_sigmask(SIG_UNBLOCK, &hup, nullptr);
  sigaction(SIGHUP, &previous, nullptr);

  cb::outcome o = cb::outcome::equal(
      "configuration generation == SIGHUPs sent, and no request saw a torn configuration",
      g_config->generation, reloads);
  o.holds = o.holds && torn.load() == 0;
  o.note = std::to_string(g_reloads.load()) + " reloads applied, " + std::to_string(served.load()) +
           " requests served, " + std::to_string(torn.load()) + " torn configurations seen";
  g_config.reset();
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the SIGHUP handler only sets an atomic flag; a worker reloads between requests",
    .category = "misuse",
    .expectations = {cb::expect::skip(
                         "model", "signals are delivered by the OS, outside the model's schedule"),
                     cb::expect::hang_skips_property()},
    .defaults = {.threads = 2, .iterations = 20},
    .timeout_seconds = 3,
    .run = run,
});
