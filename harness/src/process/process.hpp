// process.hpp - run one child process in isolation and collect what it did.
//
// Every (case, variant, detector, trial) runs through run_process(): the child gets its own
// process group and resource limits, its stdout/stderr are captured up to a cap, and when it
// outlives its timeout the caller's on_timeout hook runs (the watchdog grabs stacks there)
// before the whole group gets SIGTERM and, after a grace period, SIGKILL. When run_process
// returns, no process of that group is left: grandchildren are killed and reaped too.
//
// Thread-safety: run_process may be called from many threads at once; it shares no state
// between calls except the process-wide child-subreaper setting it turns on once and the
// process-wide cancellation (process/cancellation.hpp): once that is requested, every child
// running is killed with its group at once, and no new child starts.
//
// Processes that leave the group with setsid() or setpgid() are orphans once their parent is
// killed; as subreaper we adopt them, and run_process kills and reaps every adopted child
// that belongs to no live trial before it returns (sweep_escaped_processes), so they do not
// outlive the run either.
//
// What the rest of the process must not do: set SIGCHLD to SIG_IGN (children would be reaped
// by the kernel and their status lost) or call wait(-1)/waitpid(-1) (it could steal a child's
// status).
// Children allow any process of the same user to ptrace them (PR_SET_PTRACER_ANY), so the
// watchdog's gdb can attach under Yama ptrace_scope=1.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace casebook {

struct ResourceLimits {
  // 0 leaves a limit as inherited. Address-space limits break sanitizers (they reserve
  // terabytes of virtual memory), so callers set address_space_bytes for builds without one
  // (suite/trial.hpp, trial_limits).
  unsigned long long address_space_bytes = 0;
  unsigned long long cpu_seconds = 0;
  unsigned long long file_size_bytes = 0;
  bool disable_core_dumps = true;
  // More processes than this in the child's group at once and the group is killed (a fork
  // bomb): counted from /proc every 100 ms, so the count can overshoot between looks. Not
  // RLIMIT_NPROC: that counts every process of the user (and does not bind root), so it
  // would stop a trial on a busy machine and not stop one run as root. 0: no cap.
  unsigned long long max_processes = 0;
  // The kernel's cap on the child's tasks, processes and threads together: the child joins a
  // pids cgroup of its own before exec (process/pids_cgroup.hpp), so fork() and thread
  // creation fail past it however fast they come, and once one has failed the runner kills
  // every member. Where no pids cgroup can be made, only max_processes applies. 0: no cap.
  unsigned long long max_tasks = 0;
  // More resident memory than this, summed over the child's group, and the group is killed
  // ("memory limit of N MiB exceeded"). Resident, not virtual: sanitizer builds reserve
  // terabytes of address space they never touch, so RLIMIT_AS cannot cap them, while their
  // resident size is what the machine actually gives. Read from /proc on the same 100 ms
  // beat as the process count, so a fast allocator can overshoot by what it touches in that
  // time (a few hundred MiB). Pages shared between members (a fork's copy-on-write pages)
  // count once per member, so the sum errs high; processes that left the group are not
  // counted. 0: no cap.
  unsigned long long max_resident_bytes = 0;
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  // Added to (or replacing entries of) the parent's environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::string working_dir;                     // empty: the parent's
  std::chrono::milliseconds timeout{0};        // 0: no timeout
  std::chrono::milliseconds term_grace{2000};  // SIGTERM -> SIGKILL delay after a timeout
  std::size_t output_cap = 1 << 20;  // bytes kept per stream; the rest is read and dropped
  ResourceLimits limits;
  // Runs when the timeout expires, while the child is still alive and stopped by nothing;
  // its return value is kept in ProcessResult::timeout_evidence. It may block (gdb does).
  std::function<std::string(pid_t)> on_timeout;
  // Polled about every 250 ms while the child runs (from run_process's thread): true means
  // nothing the child could still do would change what the caller makes of the run, and the
  // runner ends it there (ProcessResult::settled_early). The Valgrind detectors end a trial of
  // a variant that hangs by design once the reports they expect are in, instead of waiting out
  // the timeout. Empty: the child runs to its end or its timeout.
  std::function<bool()> settled;
  // When not zero: the child's process group using no CPU at all for this long ends the run as
  // its timeout would (on_timeout, SIGTERM, the grace), with ProcessResult::timed_out and
  // ::ended_idle set. For a variant that hangs by design under a tool that reports only when
  // it is ended (Helgrind reports a relock of a held mutex when the blocked process is
  // killed): a group that is blocked for good has nothing left to do before a timeout that can
  // be 40 s away. A group that computes or makes progress, however slowly, is left to run.
  std::chrono::milliseconds idle_timeout{0};
};

struct ProcessResult {
  bool started = false;
  std::string start_error;  // why the child could not be started (exec failure, bad cwd)
  bool exited = false;      // normal exit; exit_code is valid
  int exit_code = 0;
  bool signaled = false;  // killed by a signal; term_signal is valid
  int term_signal = 0;
  bool timed_out = false;
  // Ended by the runner because spec.settled said the run's outcome could not change any more.
  bool settled_early = false;
  // With timed_out: ended by spec.idle_timeout, the group idle (blocked), not by the timeout.
  bool ended_idle = false;
  // The runner was interrupted (process/cancellation.hpp): the group was killed at once, or the
  // child was never started.
  bool cancelled = false;
  // Why the runner killed the child's group before it ended on its own, other than a
  // timeout or cancellation ("more than 512 processes in its group at once (a fork bomb?)
  // ...", "hit its cap of 64 processes and threads ...", "memory limit of 256 MiB exceeded:
  // ..."); or "".
  std::string limit_exceeded;
  std::string stdout_text;
  std::string stderr_text;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  std::chrono::nanoseconds duration{0};
  // The child's own peak resident set in KiB (ru_maxrss of its wait4), not its descendants';
  // 0 when it was not reaped normally.
  long peak_rss_kib = 0;
  std::string timeout_evidence;
  std::chrono::milliseconds timeout{0};       // the spec's timeout, so describe_status can name it
  std::chrono::milliseconds idle_timeout{0};  // the spec's idle_timeout, likewise
};

// Runs spec to completion (or timeout) and returns what happened. Never throws for child
// failures; those are described in the result. Cost: one fork+exec, plus poll() on two pipes.
ProcessResult run_process(const ProcessSpec& spec);

// Human-readable "exit 0", "signal 11 (SIGSEGV)", "timed out after 2.0 s", "failed to start: ...".
std::string describe_status(const ProcessResult& result);

// Kills and reaps every child of this process that belongs to no live trial group and not to
// this process's own group: the processes that escaped a trial's group and were adopted by us
// when their parent died. run_process calls it after each child; returns how many it killed.
int sweep_escaped_processes();

}  // namespace casebook
