// signal_unsafe_handler, broken: a service reloads its configuration on SIGHUP and does the
// reload inside the signal handler: it allocates the new configuration and takes the
// configuration lock right there. Neither is async-signal-safe. The handler runs on whichever
// worker the kernel picked, in the middle of whatever that worker was doing. When that worker
// was holding the configuration lock, the handler waits for a lock its own thread holds, and
// the worker never gets back to release it: the service deadlocks on its first unlucky reload.
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

void on_sighup(int) {
  // BUG: the whole reload runs inside the handler. make_shared calls operator new (malloc),
  // which is not async-signal-safe: the interrupted code may be inside malloc itself.
  auto fresh = std::make_shared<const config>(load_config(g_reloads.load() + 1));  // casebook-bug
  // BUG: the interrupted worker may hold g_config_lock right now. Then this waits for a lock
  // that only the interrupted code can release, and that code cannot resume until the handler
  // returns: the worker deadlocks with itself.
  cb::lock_guard hold(g_config_lock);  // casebook-bug: the interrupted worker may hold it
  g_config.swap(fresh);  // `fresh` now holds the old configuration, freed (free()) on return
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

  // Reached only when no reload deadlocked (a lucky schedule).
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
    .title = "the SIGHUP handler allocates the new configuration and takes the config lock",
    .category = "misuse",
    .expectations =
        {cb::expect::skip("model", "signals are delivered by the OS, outside the model's schedule"),
         cb::expect::finds("tsan", {"signal-unsafe-call"}), cb::expect::finds("watchdog", {"hang"}),
         cb::expect::skip("asan",
                          "ASan/UBSan do not check what a signal handler calls; the run "
                          "deadlocks as in the plain build, and the watchdog grades that"),
         cb::expect::skip("invariant",
                          "a deadlocked run never returns an outcome to grade; the watchdog "
                          "grades the hang"),
         cb::expect::hang_skips_property(),
         cb::expect::skip("helgrind",
                          "under Valgrind the signal lands inside the locked call only by "
                          "chance: then the run deadlocks to the 180 s timeout, with a real "
                          "mutex-misuse report, else it ends clean; neither can be expected"),
         cb::expect::skip("drd",
                          "under Valgrind the signal lands inside the locked call only by "
                          "chance: then the run deadlocks to the 180 s timeout, with a real "
                          "mutex-misuse report, else it ends clean; neither can be expected")},
    .defaults = {.threads = 2, .iterations = 20},
    .timeout_seconds = 3,
    .run = run,
});
