// fork_with_held_lock, broken: a service whose worker threads log through one mutex-guarded logger
// runs an external job now and then with fork() + exec(). Between fork and exec the child writes
// one log line. fork() copies only the calling thread, but it copies every lock in the state it had
// at that instant: if a worker held the logger's mutex right then, the child's copy is locked by a
// thread that does not exist in the child and will never unlock it. The child blocks forever in
// log(), and the parent blocks forever waiting for the child.
//
// This case uses POSIX directly (fork, exec, waitpid); the controlled scheduler does not apply.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

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
  const pid_t pid = ::fork();  // casebook-bug: copies the logger's mutex, maybe held by a worker
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // Linux: should the parent die, take this child along
    // The child: a copy of this one thread, with a copy of every lock as it was at fork().
    // BUG: log() takes the logger's mutex. If a worker held it at the instant of fork(), this
    // copy stays locked forever (its owner was not copied), and the child hangs right here.
    log.log("job", job, "child started, exec'ing the job");  // casebook-bug: the child hangs here
    char* const argv[] = {const_cast<char*>(path), nullptr};
    ::execv(path, argv);
    ::_exit(127);  // exec failed; _exit, because exit() would run the parent's atexit handlers
  }
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
      trouble = std::string("fork failed: ") + std::strerror(errno);
      break;
    }
    int status = 0;
    pid_t reaped;
    do {
      reaped = ::waitpid(pid, &status, 0);  // casebook-bug: never returns if the child hung
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
    .title =
        "worker threads log under one mutex while the main thread forks jobs that log before exec",
    .category = "process",
    .expectations =
        {cb::expect::hang_skips_valgrind("helgrind"), cb::expect::hang_skips_valgrind("drd"),
         cb::expect::skip("model",
                          "a process case (fork, pipes, shared memory): the model schedules the "
                          "threads of one process, not processes"),
         cb::expect::finds("watchdog", {"hang"}),
         cb::expect::skip("invariant",
                          "the run hangs (the parent waits for a child stuck on the copied lock) "
                          "and never returns an outcome; the watchdog grades the hang"),
         cb::expect::skip("tsan",
                          "TSan sees a lock taken while another thread of the parent holds it, "
                          "which is ordinary contention: it cannot tell that the owner does not "
                          "exist in the child, so the run only hangs"),
         cb::expect::skip("asan",
                          "no memory error happens: the child blocks on a lock that is never "
                          "released and the run only hangs; the watchdog grades that"),
         cb::expect::hang_skips_property()},
    .defaults = {.threads = 2, .iterations = 20},
    .timeout_seconds = 3,
    .run = run,
});
