// fork_with_held_lock, fixed: the same service, workers and jobs, but each job is started with
// posix_spawn(), which creates the child and execs the job in one call. No code of this program
// runs in the child, so no lock copied from the parent is ever taken there; the log line moves to
// the parent, where the logger's mutex has live owners. (README.md shows the other fixes: forking
// before any thread exists, and pthread_atfork handlers.)
//
// This case uses POSIX directly (posix_spawn, waitpid); the controlled scheduler does not apply.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;  // the environment the jobs inherit, as with fork + exec

namespace {

// The program's logger: lines are formatted and buffered under one mutex and written out in blocks.
// Thread-safe for the threads of one process; nothing more.
class logger {
 public:
  explicit logger(int fd) : fd_(fd) {}
  ~logger() { flush(); }
  logger(const logger&) = delete;
  logger& operator=(const logger&) = delete;

  void log(std::string_view who, std::int64_t number, std::string_view what) {
    cb::lock_guard hold(lock_);
    char line[160];
    const int n =
        std::snprintf(line, sizeof line, "[%06lld] %.*s %lld: %.*s\n",
                      static_cast<long long>(++lines_), static_cast<int>(who.size()), who.data(),
                      static_cast<long long>(number), static_cast<int>(what.size()), what.data());
    buffer_.append(line, static_cast<std::size_t>(n > 0 ? n : 0));
    if (buffer_.size() >= 4096) write_out();
  }

  void flush() {
    cb::lock_guard hold(lock_);
    write_out();
  }

 private:
  void write_out() {  // lock_ held
    if (!buffer_.empty()) {
      [[maybe_unused]] const ssize_t written = ::write(fd_, buffer_.data(), buffer_.size());
    }
    buffer_.clear();  // a block that cannot be written is dropped, as loggers do
  }

  cb::mutex lock_;
  std::string buffer_;      // guarded by lock_
  std::int64_t lines_ = 0;  // guarded by lock_
  int fd_;
};

// A little real work per item, so the workers do something besides logging.
std::uint64_t work_on(std::uint64_t x) {
  for (int r = 0; r < 16; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

// Starts `path` as a child process and returns its pid (or -1).
pid_t start_job(logger& log, const char* path, std::int64_t job) {
  // FIX: posix_spawn runs nothing of ours in the child: it only execs the job. The line the broken
  // child logged is logged here, in the parent, where the logger's lock works.
  pid_t pid = -1;
  char* const argv[] = {const_cast<char*>(path), nullptr};
  const int err = ::posix_spawn(&pid, path, nullptr, nullptr, argv, environ);
  if (err != 0) {
    errno = err;
    return -1;
  }
  log.log("job", job, "spawned, running the job");
  return pid;
}

cb::outcome run(const cb::params& p) {
  const std::int64_t jobs = p.iterations;
  const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);  // where the log goes
  logger log(fd);

  // The service's workers: they process items and log each one, all the time.
  cb::atomic<bool> stop{false};
  cb::atomic<int> started{0};
  std::vector<cb::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      started.fetch_add(1);
      std::uint64_t x = p.seed + static_cast<std::uint64_t>(t);
      while (!stop.load(cb::memory_order_relaxed)) {
        x = work_on(x);
        log.log("worker", t, (x & 1) != 0 ? "item done, odd checksum" : "item done, even checksum");
      }
    });
  }
  while (started.load() < p.threads) cb::this_thread::yield();

  // Meanwhile the main thread runs its jobs one after another and waits for each.
  std::int64_t succeeded = 0;
  std::string trouble;
  for (std::int64_t job = 0; job < jobs && trouble.empty(); ++job) {
    const pid_t pid = start_job(log, "/bin/true", job);
    if (pid < 0) {
      trouble = std::string("posix_spawn failed: ") + std::strerror(errno);
      break;
    }
    int status = 0;
    pid_t reaped;
    do {
      reaped = ::waitpid(pid, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    if (reaped == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      ++succeeded;
    } else {
      trouble =
          "job " + std::to_string(job) + " failed (wait status " + std::to_string(status) + ")";
    }
  }

  stop.store(true);
  for (auto& w : workers) w.join();
  log.flush();
  if (fd >= 0) ::close(fd);

  cb::outcome o = cb::outcome::equal("every job ran and exited 0", succeeded, jobs);
  o.note = std::to_string(succeeded) + " of " + std::to_string(jobs) + " jobs done while " +
           std::to_string(p.threads) + " worker threads logged";
  if (!trouble.empty()) o.note += "; " + trouble;
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same service starts its jobs with posix_spawn: no program code runs in the child",
    .category = "process",
    .expectations = {cb::expect::skip("model",
                                      "a process case (fork, pipes, shared memory): the model "
                                      "schedules the threads of one process, not processes"),
                     cb::expect::hang_skips_property()},
    .defaults = {.threads = 2, .iterations = 20},
    // Valgrind's tools: each job started under DRD cost about 0.75 s (15 s for the defaults'
    // 20); three jobs beside two logging workers are the same check.
    .small = {.threads = 2, .iterations = 3},
    .timeout_seconds = 3,
    .run = run,
});
