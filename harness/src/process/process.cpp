// process.cpp - fork+exec one child in its own process group, capture its output, enforce the
// timeout, and leave no process of the group behind.
//
// The order of the end game matters and is the reason this file exists:
//   1. notice the leader exited (pidfd) but do NOT reap it: while it is a zombie its pid, and
//      so the process-group id, cannot be reused by an unrelated process;
//   2. killpg(SIGKILL) the group, which now reaches only our leftovers (grandchildren);
//   3. drain both pipes to EOF (the killed grandchildren held them open);
//   4. reap the leader, then every other group member (orphans come to us because we are a
//      child subreaper).
// Everything the child runs between fork and exec is async-signal-safe: run_process is called
// from several threads at once, and after fork only the forking thread exists in the child, so
// a lock held by another thread (malloc's, for one) would never be released.
#include "process/process.hpp"

#include "process/cancellation.hpp"
#include "process/pids_cgroup.hpp"
#include "process/proc_table.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char** environ;

namespace casebook {
namespace {

using Clock = std::chrono::steady_clock;

// How long the pipes may stay open after the group was killed. Only a process that left the
// group (setsid/setpgid) and kept our pipe can hold them that long; we stop waiting for it.
constexpr std::chrono::milliseconds kDrainLimit{2000};
constexpr std::size_t kReadChunk = 64 * 1024;

std::string errno_text(int err) {
  const char* desc = strerrordesc_np(err);  // thread-safe, unlike strerror
  if (desc != nullptr) return desc;
  return "error " + std::to_string(err);
}

// An owned file descriptor; closes on destruction so no path leaks one.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset(other.fd_);
      other.fd_ = -1;
    }
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Moves fd above 2 when it is 0..2 (the parent's standard streams were closed), so the child's
// dup2 onto 0, 1 and 2 cannot overwrite one of its own sources.
bool keep_off_stdio(UniqueFd& fd) {
  if (!fd.valid() || fd.get() > STDERR_FILENO) return fd.valid();
  int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0) return false;
  fd.reset(moved);
  return true;
}

bool make_pipe(UniqueFd& read_end, UniqueFd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return keep_off_stdio(read_end) && keep_off_stdio(write_end);
}

void enable_subreaper_once() {
  static std::once_flag once;
  // Orphaned grandchildren are reparented to us instead of init, so we can reap them and
  // killpg never targets a group whose members we cannot wait for.
  std::call_once(once, [] { ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); });
}

// What the child reports through the error pipe when it cannot reach exec (or exec fails).
enum class ChildStage : int { kStdio = 1, kChdir, kRlimit, kCgroup, kExec };
struct ChildFailure {
  ChildStage stage;
  int err;
  int detail;  // the RLIMIT_* resource for kRlimit
};

struct LimitToSet {
  int resource;
  rlimit value;
};

// Everything the child needs, prepared before fork so the child only makes system calls.
struct ExecPlan {
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  std::vector<char*> argv;
  std::vector<std::string> candidates;  // full paths execve tries in order, like execvp
  std::vector<LimitToSet> limits;
};

std::string_view env_key(std::string_view entry) {
  return entry.substr(0, entry.find('='));
}

void build_env(const ProcessSpec& spec, ExecPlan& plan) {
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) plan.env_storage.emplace_back(*e);
  for (const auto& override_entry : spec.env) {
    const std::string& key = override_entry.first;
    std::string entry = key + "=" + override_entry.second;
    auto it = std::find_if(plan.env_storage.begin(), plan.env_storage.end(),
                           [&](const std::string& s) { return env_key(s) == key; });
    if (it != plan.env_storage.end()) {
      *it = std::move(entry);
    } else {
      plan.env_storage.push_back(std::move(entry));
    }
  }
  for (auto& s : plan.env_storage) plan.envp.push_back(s.data());
  plan.envp.push_back(nullptr);
}

// execvp's PATH search, done in the parent because the child may not allocate. PATH comes from
// the child's environment (an override in spec.env wins), as a shell would do it.
void build_candidates(const std::string& file, ExecPlan& plan) {
  if (file.find('/') != std::string::npos) {
    plan.candidates.push_back(file);
    return;
  }
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& entry : plan.env_storage) {
    if (env_key(entry) == "PATH") {
      path = entry.substr(5);
      break;
    }
  }
  std::size_t start = 0;
  while (true) {
    std::size_t end = path.find(':', start);
    std::string dir = path.substr(start, end == std::string::npos ? end : end - start);
    if (dir.empty()) dir = ".";  // an empty PATH element means the working directory
    plan.candidates.push_back(dir + "/" + file);
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

// Limits are computed here (getrlimit) and only applied in the child. The soft limit is lowered
// and clamped to the hard limit, which stays as is: lowering never needs privileges.
void build_limits(const ResourceLimits& limits, ExecPlan& plan) {
  auto add = [&](int resource, unsigned long long value) {
    rlimit current{};
    if (::getrlimit(resource, &current) != 0) return;
    rlim_t wanted = static_cast<rlim_t>(value);
    if (current.rlim_max != RLIM_INFINITY && wanted > current.rlim_max) wanted = current.rlim_max;
    plan.limits.push_back({resource, rlimit{wanted, current.rlim_max}});
  };
  if (limits.disable_core_dumps) add(RLIMIT_CORE, 0);
  if (limits.address_space_bytes != 0) add(RLIMIT_AS, limits.address_space_bytes);
  if (limits.cpu_seconds != 0) add(RLIMIT_CPU, limits.cpu_seconds);
  if (limits.file_size_bytes != 0) add(RLIMIT_FSIZE, limits.file_size_bytes);
}

const char* rlimit_name(int resource) {
  switch (resource) {
    case RLIMIT_CORE:
      return "RLIMIT_CORE";
    case RLIMIT_AS:
      return "RLIMIT_AS";
    case RLIMIT_CPU:
      return "RLIMIT_CPU";
    case RLIMIT_FSIZE:
      return "RLIMIT_FSIZE";
    default:
      return "a resource limit";
  }
}

[[noreturn]] void child_fail(int error_fd, ChildStage stage, int err, int detail = 0) {
  ChildFailure failure{stage, err, detail};
  ssize_t ignored = ::write(error_fd, &failure, sizeof failure);
  (void)ignored;
  ::_exit(127);
}

// dup2 clears FD_CLOEXEC on the new descriptor, except when from == to, where it does nothing.
bool move_fd(int from, int to) {
  if (from == to) return ::fcntl(to, F_SETFD, 0) == 0;
  return ::dup2(from, to) == to;
}

// Runs in the child between fork and exec: async-signal-safe calls only, no allocation.
[[noreturn]] void child_after_fork(const ExecPlan& plan, const ProcessSpec& spec, pid_t parent,
                                   int stdin_fd, int stdout_fd, int stderr_fd, int error_fd,
                                   int cgroup_procs_fd) {
  ::setpgid(0, 0);
  // Into the trial's pids cgroup before anything of the case runs, so its first fork is
  // already counted. The pid is formatted by hand: no allocation after fork.
  if (cgroup_procs_fd >= 0) {
    char digits[24];
    char* end = digits + sizeof digits;
    char* p = end;
    for (unsigned long v = static_cast<unsigned long>(::getpid()); p == end || v != 0; v /= 10) {
      *--p = static_cast<char>('0' + v % 10);
    }
    if (::write(cgroup_procs_fd, p, static_cast<std::size_t>(end - p)) != end - p) {
      child_fail(error_fd, ChildStage::kCgroup, errno);
    }
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::getppid() != parent) ::_exit(127);  // the parent died before PDEATHSIG was armed
  // The watchdog's gdb is our child, not an ancestor of this process; under Yama
  // ptrace_scope=1 it may attach only if the tracee allows it. Fails harmlessly without Yama.
  ::prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);

  // Dispositions first, then the mask, so no signal reaches a handler inherited from us.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  // The parent made sure no source is one of 0..2, so no dup2 clobbers another's source.
  if (!move_fd(stdin_fd, STDIN_FILENO) || !move_fd(stdout_fd, STDOUT_FILENO) ||
      !move_fd(stderr_fd, STDERR_FILENO)) {
    child_fail(error_fd, ChildStage::kStdio, errno);
  }
  // Descriptors some other part of the process opened without O_CLOEXEC must not leak into the
  // case (a pipe kept open there would hang its reader). Best effort: needs Linux 5.11.
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);

  for (const auto& limit : plan.limits) {
    if (::setrlimit(limit.resource, &limit.value) != 0) {
      child_fail(error_fd, ChildStage::kRlimit, errno, limit.resource);
    }
  }
  if (!spec.working_dir.empty() && ::chdir(spec.working_dir.c_str()) != 0) {
    child_fail(error_fd, ChildStage::kChdir, errno);
  }

  // execvp's rules: a missing candidate moves on, a permission error is remembered, anything
  // else is final.
  int err = ENOENT;
  bool saw_eacces = false;
  for (const auto& candidate : plan.candidates) {
    ::execve(candidate.c_str(), plan.argv.data(), plan.envp.data());
    err = errno;
    if (err == EACCES) {
      saw_eacces = true;
    } else if (err != ENOENT && err != ENOTDIR && err != ESTALE && err != ENODEV &&
               err != ETIMEDOUT) {
      break;
    }
  }
  if (saw_eacces && (err == ENOENT || err == ENOTDIR)) err = EACCES;
  child_fail(error_fd, ChildStage::kExec, err);
}

std::string describe_failure(const ChildFailure& failure, const ProcessSpec& spec) {
  switch (failure.stage) {
    case ChildStage::kStdio:
      return "cannot redirect standard streams: " + errno_text(failure.err);
    case ChildStage::kChdir:
      return "cannot change directory to '" + spec.working_dir + "': " + errno_text(failure.err);
    case ChildStage::kRlimit:
      return std::string("cannot set ") + rlimit_name(failure.detail) + ": " +
             errno_text(failure.err);
    case ChildStage::kCgroup:
      return "cannot join the trial's pids cgroup: " + errno_text(failure.err);
    case ChildStage::kExec:
      return "cannot execute '" + spec.argv.front() + "': " + errno_text(failure.err);
  }
  return "child failed before exec: " + errno_text(failure.err);
}

// One captured stream: keeps the first `cap` bytes, reads and drops the rest.
struct Stream {
  UniqueFd fd;
  std::string* text;
  bool* truncated;
  std::size_t cap;

  // Reads what is available; closes the fd at EOF or on error.
  void read_available(std::vector<char>& buffer) {
    while (fd.valid()) {
      ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
      if (n > 0) {
        std::size_t got = static_cast<std::size_t>(n);
        std::size_t room = text->size() < cap ? cap - text->size() : 0;
        text->append(buffer.data(), std::min(got, room));
        if (got > room) *truncated = true;
        if (got < buffer.size()) return;  // the pipe is empty for now
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      fd.reset();  // EOF, or an error we cannot recover from
    }
  }
};

// The child of one run_process call, from fork to reaping. The destructor kills and reaps
// whatever is left when an exception unwinds past the normal path.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {
    pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (!reaped_) {
      kill_group(SIGKILL);
      reap();
    }
  }

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }

  // True once the leader has exited. Observes without reaping (WNOWAIT): the zombie keeps
  // the pid and process-group id from being reused until reap().
  bool leader_exited() {
    if (exited_) return true;
    siginfo_t info{};
    int r;
    do {
      r = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    } while (r != 0 && errno == EINTR);
    if (r != 0 && errno == ECHILD) exited_ = true;  // someone else reaped it; nothing to wait for
    if (r == 0 && info.si_pid == pid_) exited_ = true;
    return exited_;
  }

  void kill_group(int sig) const { ::killpg(pid_, sig); }

  // Reaps the leader (returning its wait status) and then every group member that is our
  // child. Must run after kill_group(SIGKILL) or it may block on a live grandchild. The
  // leader's peak resident size (getrusage's ru_maxrss, in KiB) goes to *peak_rss_kib.
  std::optional<int> reap(long* peak_rss_kib = nullptr) {
    reaped_ = true;
    std::optional<int> leader_status;
    int status = 0;
    pid_t r;
    struct rusage usage {};
    do {
      r = ::wait4(pid_, &status, 0, &usage);
    } while (r < 0 && errno == EINTR);
    if (r == pid_) {
      leader_status = status;
      if (peak_rss_kib != nullptr) *peak_rss_kib = usage.ru_maxrss;
    }
    // The group cannot be reused while any member, even a zombie, exists.
    for (int round = 0; round < 1000; ++round) {
      do {
        r = ::waitpid(-pid_, nullptr, 0);
      } while (r > 0 || (r < 0 && errno == EINTR));
      // ECHILD: no child of ours is left in the group. A member that is not our child (its
      // parent left the group and is still dying) may still be there; wait for it briefly.
      if (::kill(-pid_, 0) != 0) break;
      kill_group(SIGKILL);
      ::usleep(1000);
    }
    return leader_status;
  }

 private:
  pid_t pid_;
  UniqueFd pidfd_;
  bool exited_ = false;
  bool reaped_ = false;
};

enum class PumpEnd {
  kLeaderExited,
  kDeadline,
  kStreamsClosed,
  kCancelled,
  kTooManyProcesses,
  kTaskCapHit,
  kTooMuchMemory,
  kSettled,
  kIdle
};

// How often a pump asks ProcessSpec::settled.
constexpr auto kSettledPeriod = std::chrono::milliseconds(250);

// The group guards: how often, and against what caps, a pump looks at the group's members
// (the fork-bomb guard counts them, the memory guard sums their resident memory).
struct GroupCap {
  pid_t pgid = 0;
  std::size_t max_processes = 0;        // 0: not counted
  unsigned long long max_resident = 0;  // bytes; 0: not measured
  const PidsCgroup* cgroup = nullptr;   // its pids.events say whether the kernel's cap was hit
  bool active() const { return max_processes > 0 || max_resident > 0 || cgroup != nullptr; }
};
constexpr auto kGroupCountPeriod = std::chrono::milliseconds(100);

// Resident bytes of one process (/proc/<pid>/statm's second field), 0 when it is gone.
unsigned long long resident_bytes(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
  std::FILE* f = std::fopen(path, "re");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int got = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  static const unsigned long long page = static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE));
  return got == 2 ? resident * page : 0;
}

// What a look at the group found over its caps.
struct GroupLook {
  bool too_many_processes = false;
  bool task_cap_hit = false;
  unsigned long long resident = 0;  // summed over the members, when measured
  bool too_much_memory = false;
};

GroupLook look_at_group(const GroupCap& cap) {
  GroupLook look;
  const std::vector<pid_t> members = process_group_members(cap.pgid);
  if (cap.max_processes > 0 && members.size() > cap.max_processes) look.too_many_processes = true;
  if (cap.cgroup != nullptr && cap.cgroup->times_cap_hit() > 0) look.task_cap_hit = true;
  if (cap.max_resident > 0) {
    for (pid_t pid : members) look.resident += resident_bytes(pid);
    look.too_much_memory = look.resident > cap.max_resident;
  }
  return look;
}

// Reads both streams until the leader exits (when watch_leader) or the deadline passes. Without
// a pidfd (kernel < 5.3) the leader is polled every 10 ms instead.
PumpEnd pump(Stream* streams, std::size_t count, Child* leader,
             std::optional<Clock::time_point> deadline, std::vector<char>& buffer,
             GroupCap cap = {}, unsigned long long* resident_seen = nullptr,
             const std::function<bool()>* settled = nullptr,
             std::chrono::milliseconds idle_limit = std::chrono::milliseconds::zero()) {
  auto next_count = Clock::now() + kGroupCountPeriod;
  auto next_settled_check = Clock::now() + kSettledPeriod;
  const bool asks_settled = settled != nullptr && *settled;
  // The idle watch: the group's CPU time, and when it last moved.
  const bool watches_idle = idle_limit > std::chrono::milliseconds::zero() && leader != nullptr;
  unsigned long long cpu_seen = watches_idle ? group_cpu_ticks(cap.pgid) : 0;
  auto cpu_moved_at = Clock::now();
  auto next_idle_check = Clock::now() + kSettledPeriod;
  while (true) {
    if (leader != nullptr && leader->leader_exited()) return PumpEnd::kLeaderExited;
    if (cancellation_requested()) return PumpEnd::kCancelled;
    if (asks_settled && Clock::now() >= next_settled_check) {
      if ((*settled)()) return PumpEnd::kSettled;
      next_settled_check = Clock::now() + kSettledPeriod;
    }
    if (watches_idle && Clock::now() >= next_idle_check) {
      const unsigned long long cpu = group_cpu_ticks(cap.pgid);
      if (cpu != cpu_seen) {
        cpu_seen = cpu;
        cpu_moved_at = Clock::now();
      } else if (Clock::now() - cpu_moved_at >= idle_limit) {
        return PumpEnd::kIdle;
      }
      next_idle_check = Clock::now() + kSettledPeriod;
    }
    if (cap.active() && Clock::now() >= next_count) {
      const GroupLook look = look_at_group(cap);
      if (look.task_cap_hit) return PumpEnd::kTaskCapHit;
      if (look.too_many_processes) return PumpEnd::kTooManyProcesses;
      if (look.too_much_memory) {
        if (resident_seen != nullptr) *resident_seen = look.resident;
        return PumpEnd::kTooMuchMemory;
      }
      next_count = Clock::now() + kGroupCountPeriod;
    }
    pollfd fds[4];
    Stream* owners[4] = {};
    nfds_t n = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (!streams[i].fd.valid()) continue;
      fds[n] = {streams[i].fd.get(), POLLIN, 0};
      owners[n++] = &streams[i];
    }
    bool use_pidfd = leader != nullptr && leader->pidfd() >= 0;
    if (use_pidfd) fds[n++] = {leader->pidfd(), POLLIN, 0};
    if (leader == nullptr && n == 0) return PumpEnd::kStreamsClosed;
    if (cancellation_fd() >= 0) fds[n++] = {cancellation_fd(), POLLIN, 0};

    int wait_ms = -1;
    if (deadline) {
      auto left = *deadline - Clock::now();
      if (left <= Clock::duration::zero()) return PumpEnd::kDeadline;
      wait_ms = static_cast<int>(std::min<long long>(
          std::chrono::ceil<std::chrono::milliseconds>(left).count(), 24LL * 3600 * 1000));
    }
    if (leader != nullptr && !use_pidfd && (wait_ms < 0 || wait_ms > 10)) wait_ms = 10;
    if (cap.active() && (wait_ms < 0 || wait_ms > kGroupCountPeriod.count())) {
      wait_ms = static_cast<int>(kGroupCountPeriod.count());
    }
    if ((asks_settled || watches_idle) && (wait_ms < 0 || wait_ms > kSettledPeriod.count())) {
      wait_ms = static_cast<int>(kSettledPeriod.count());
    }

    int ready = ::poll(fds, n, wait_ms);
    if (ready < 0) {
      if (errno != EINTR) ::usleep(1000);  // ENOMEM and the like: try again, do not spin
      continue;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (owners[i] != nullptr && fds[i].revents != 0) owners[i]->read_available(buffer);
    }
    // The pidfd's readiness is confirmed by leader_exited() at the top of the loop.
  }
}

std::string mebibytes(unsigned long long bytes) {
  return std::to_string((bytes + (1ULL << 20) - 1) >> 20);
}

std::string format_seconds(std::chrono::milliseconds ms) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(ms.count()) / 1000.0);
  std::string s = text;
  while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  return s;
}

}  // namespace

ProcessResult run_process(const ProcessSpec& spec) {
  ProcessResult result;
  result.timeout = spec.timeout;
  result.idle_timeout = spec.idle_timeout;
  const auto start = Clock::now();
  // Every return goes through this, so duration is always set (and the result is moved).
  auto finish = [&]() -> ProcessResult {
    result.duration = Clock::now() - start;
    return std::move(result);
  };

  if (spec.argv.empty() || spec.argv.front().empty()) {
    result.start_error = "no program given (argv is empty)";
    return finish();
  }
  enable_subreaper_once();
  if (cancellation_requested()) {
    result.cancelled = true;
    result.start_error = "not started: the runner was interrupted";
    return finish();
  }

  ExecPlan plan;
  build_env(spec, plan);
  build_candidates(spec.argv.front(), plan);
  build_limits(spec.limits, plan);
  for (const auto& arg : spec.argv) plan.argv.push_back(const_cast<char*>(arg.c_str()));
  plan.argv.push_back(nullptr);

  UniqueFd dev_null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!keep_off_stdio(dev_null)) {
    result.start_error = "cannot open /dev/null: " + errno_text(errno);
    return finish();
  }
  UniqueFd out_read, out_write, err_read, err_write, fail_read, fail_write;
  if (!make_pipe(out_read, out_write) || !make_pipe(err_read, err_write) ||
      !make_pipe(fail_read, fail_write)) {
    result.start_error = "cannot create pipes: " + errno_text(errno);
    return finish();
  }
  ::fcntl(out_read.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(err_read.get(), F_SETFL, O_NONBLOCK);

  // Made before the fork, so the child only has to write its pid; declared before the Child
  // so it outlives the reaping (its destructor kills what is left and removes the folder).
  std::unique_ptr<PidsCgroup> cgroup;
  if (spec.limits.max_tasks > 0) {
    std::string why_not;  // no pids cgroup here: max_processes' /proc count remains
    cgroup = PidsCgroup::create(spec.limits.max_tasks, &why_not);
  }

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    result.start_error = "cannot fork: " + errno_text(errno);
    return finish();
  }
  if (pid == 0) {
    child_after_fork(plan, spec, parent, dev_null.get(), out_write.get(), err_write.get(),
                     fail_write.get(), cgroup ? cgroup->procs_fd() : -1);
  }

  // Both sides call setpgid so that neither killpg nor the child's first fork can happen before
  // the group exists. EACCES here means the child already exec'd, after doing it itself.
  ::setpgid(pid, pid);
  dev_null.reset();
  out_write.reset();
  err_write.reset();
  fail_write.reset();
  Child child(pid);
  // Covered by kill_live_groups() from here until reaped, so a second Ctrl-C (which exits
  // without waiting for this thread) still leaves nothing behind.
  const bool registered = register_live_group(pid);
  struct Unregister {
    pid_t pgid;
    bool active;
    ~Unregister() {
      if (active) unregister_live_group(pgid);
    }
  } unregister{pid, registered};

  // EOF on the error pipe means exec succeeded (the pipe is O_CLOEXEC).
  ChildFailure failure{};
  std::size_t got = 0;
  while (got < sizeof failure) {
    ssize_t n =
        ::read(fail_read.get(), reinterpret_cast<char*>(&failure) + got, sizeof failure - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  fail_read.reset();
  if (got == sizeof failure) {
    child.reap();
    result.start_error = describe_failure(failure, spec);
    return finish();
  }
  result.started = true;

  Stream streams[2] = {
      {std::move(out_read), &result.stdout_text, &result.stdout_truncated, spec.output_cap},
      {std::move(err_read), &result.stderr_text, &result.stderr_truncated, spec.output_cap},
  };
  std::vector<char> buffer(kReadChunk);

  std::optional<Clock::time_point> deadline;
  if (spec.timeout > std::chrono::milliseconds::zero()) deadline = start + spec.timeout;
  unsigned long long resident_seen = 0;
  const PumpEnd end = pump(streams, 2, &child, deadline, buffer,
                           GroupCap{pid, static_cast<std::size_t>(spec.limits.max_processes),
                                    spec.limits.max_resident_bytes, cgroup.get()},
                           &resident_seen, &spec.settled, spec.idle_timeout);
  // A cap hit just before the leader exited is still a cap hit: the case lost a fork or a
  // thread it asked for.
  const unsigned long long cap_hits = cgroup ? cgroup->times_cap_hit() : 0;
  if (end == PumpEnd::kCancelled) {
    result.cancelled = true;  // the user wants out: no stacks, no grace period
  } else if (end == PumpEnd::kTaskCapHit || cap_hits > 0) {
    result.limit_exceeded =
        "hit its cap of " + std::to_string(spec.limits.max_tasks) +
        " processes and threads (a fork bomb?): creating one more failed " +
        std::to_string(cap_hits) +
        " time(s), and the runner killed them all; a case that needs more declares .max_tasks";
  } else if (end == PumpEnd::kTooManyProcesses) {
    result.limit_exceeded = "more than " + std::to_string(spec.limits.max_processes) +
                            " processes in its group at once (a fork bomb?); the runner killed "
                            "them";
  } else if (end == PumpEnd::kTooMuchMemory) {
    result.limit_exceeded = "memory limit of " + mebibytes(spec.limits.max_resident_bytes) +
                            " MiB exceeded: its processes held " + mebibytes(resident_seen) +
                            " MiB resident when the runner killed them";
  } else if (end == PumpEnd::kSettled) {
    result.settled_early = true;  // killed with the group below, like any leftover
  } else if (end == PumpEnd::kDeadline || end == PumpEnd::kIdle) {
    result.timed_out = true;
    result.ended_idle = end == PumpEnd::kIdle;
    if (spec.on_timeout) {
      try {
        result.timeout_evidence = spec.on_timeout(pid);
      } catch (const std::exception& e) {
        result.timeout_evidence = std::string("on_timeout hook failed: ") + e.what();
      } catch (...) {
        result.timeout_evidence = "on_timeout hook failed with a non-standard exception";
      }
    }
    // Interrupted while the hook ran (gdb was killed mid-capture): the evidence is partial.
    result.cancelled = cancellation_requested();
    child.kill_group(SIGTERM);
    child.kill_group(SIGCONT);  // a stopped process would not act on SIGTERM
    pump(streams, 2, &child, Clock::now() + spec.term_grace, buffer);
  }
  // Also on a normal exit: grandchildren the leader left behind die with the group, and those
  // that left the group (and hold our pipes open, the drain would wait for them) die too.
  child.kill_group(SIGKILL);
  if (cgroup) cgroup->kill_all();  // members that left the group, too
  sweep_escaped_processes();
  pump(streams, 2, nullptr, Clock::now() + kDrainLimit, buffer);
  streams[0].fd.reset();
  streams[1].fd.reset();

  if (std::optional<int> status = child.reap(&result.peak_rss_kib)) {
    if (WIFEXITED(*status)) {
      result.exited = true;
      result.exit_code = WEXITSTATUS(*status);
    } else if (WIFSIGNALED(*status)) {
      result.signaled = true;
      result.term_signal = WTERMSIG(*status);
    }
  }
  unregister.active = false;
  unregister_live_group(pid);
  sweep_escaped_processes();
  return finish();
}

int sweep_escaped_processes() {
  const pid_t self = ::getpid();
  const pid_t own_session = ::getsid(0);
  const pid_t own_group = ::getpgrp();
  int killed = 0;
  // Killing an escapee orphans its own children, which come to us in turn: repeat until none.
  for (int round = 0; round < 100; ++round) {
    std::vector<pid_t> escaped;
    for (const auto& e : list_processes()) {
      // Children in our own group were started some other way than run_process (which always
      // gives a child a group of its own): they are not ours to judge.
      if (e.ppid != self || is_live_group(e.pgrp) || e.pgrp == own_group) continue;
      if (e.session != own_session || e.pgrp != e.pid) {
        escaped.push_back(e.pid);  // setsid(), or moved into some other group
      } else {
        // A group of its own in our session: a trial leader another thread has just forked
        // and not yet registered looks the same. It registers within microseconds; an
        // escapee never does.
        ::usleep(20000);
        if (!is_live_group(e.pid) && ::getpgid(e.pid) == e.pid) escaped.push_back(e.pid);
      }
    }
    if (escaped.empty()) break;
    for (pid_t pid : escaped) {
      ::kill(pid, SIGKILL);
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      ++killed;
    }
  }
  return killed;
}

std::string describe_status(const ProcessResult& result) {
  if (result.cancelled) return "cancelled: the runner was interrupted";
  if (!result.limit_exceeded.empty()) return result.limit_exceeded;
  if (!result.started) return "failed to start: " + result.start_error;
  if (result.settled_early) {
    return "ended by the runner after " +
           format_seconds(std::chrono::duration_cast<std::chrono::milliseconds>(result.duration)) +
           " s, its outcome settled";
  }
  if (result.timed_out && result.ended_idle) {
    return "ended by the runner after " +
           format_seconds(std::chrono::duration_cast<std::chrono::milliseconds>(result.duration)) +
           " s, blocked: no CPU used for " + format_seconds(result.idle_timeout) +
           " s (ended as at its timeout)";
  }
  if (result.timed_out) {
    if (result.timeout > std::chrono::milliseconds::zero()) {
      return "timed out after " + format_seconds(result.timeout) + " s";
    }
    return "timed out";
  }
  if (result.exited) return "exit " + std::to_string(result.exit_code);
  if (result.signaled) {
    std::string text = "signal " + std::to_string(result.term_signal);
    if (const char* abbrev = sigabbrev_np(result.term_signal)) {
      text += std::string(" (SIG") + abbrev + ")";
    }
    return text;
  }
  return "unknown status (the child was reaped elsewhere)";
}

}  // namespace casebook
