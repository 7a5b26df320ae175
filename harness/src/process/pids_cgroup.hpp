// pids_cgroup.hpp - a trial's own pids cgroup: the kernel's cap on how many tasks (processes
// and threads) one trial may have at once.
//
// Why a cgroup: a fork bomb doubles faster than any look at /proc can catch it (process.cpp
// counts a trial's group only every 100 ms), and RLIMIT_NPROC counts every process of the
// user and does not bind root at all, which is how CI runs. The pids controller makes fork()
// and thread creation fail with EAGAIN past pids.max, for root too, and counts each failure in
// pids.events, so the runner learns the cap was hit. It also finds every member, including
// those that left the trial's process group with setsid().
//
// Where: the pids controller's cgroup v1 hierarchy, or the unified (v2) one when pids is
// enabled for our cgroup's children; a child cgroup is created under the cgroup this process
// is in. Where neither is writable (no root, no delegation), pids_cgroup_support() says why
// and the runner falls back to its /proc count.
//
// Thread-safe: each trial owns its own PidsCgroup; the hierarchy is located once.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casebook {

// A folder where trials' pids cgroups could go: the cgroup this process is in, in a hierarchy
// with the pids controller (version 1, or the unified version 2 one).
struct PidsCgroupCandidate {
  int version = 0;
  std::string folder;
};

// The candidates /proc describes, v1 first: `mountinfo` is /proc/self/mountinfo's text,
// `self_cgroup` /proc/self/cgroup's. A path the mount hides (in a container the mount's root is
// often our own cgroup) is left out of the folder. Pure: pids_cgroup_support() tries each
// candidate on the real file system; tests give it the text of any machine.
std::vector<PidsCgroupCandidate> pids_cgroup_candidates(std::string_view mountinfo,
                                                        std::string_view self_cgroup);

// Where the runner puts trials' pids cgroups ("cgroup v1 pids hierarchy at /sys/fs/cgroup/pids")
// or, when it cannot, why not ("none: ..."). Probed once, by creating and removing a cgroup.
std::string pids_cgroup_support();

// Removes the empty cgroups that runners no longer alive left in the hierarchy (a casebook
// killed with SIGKILL cannot remove its trial's cgroup): folders named casebook-<pid>-<n> or
// casebook-probe-<pid> whose pid no longer exists. A folder with members is busy and stays, so
// is one whose pid is alive (another runner's, or a reused pid: a leftover kept a while
// longer). Returns how many it removed. Runs once when the hierarchy is first located; callable
// again (tests do).
int sweep_stale_pids_cgroups();

class PidsCgroup {
 public:
  // A new cgroup whose pids.max is max_tasks, or null (and *why_not) when the machine gives
  // us none.
  static std::unique_ptr<PidsCgroup> create(unsigned long long max_tasks, std::string* why_not);

  PidsCgroup(const PidsCgroup&) = delete;
  PidsCgroup& operator=(const PidsCgroup&) = delete;
  // Kills whatever is still in it and removes it (best effort: a member that is not yet reaped
  // keeps the folder busy for a moment).
  ~PidsCgroup();

  // cgroup.procs, open for writing (O_CLOEXEC): the child writes its own pid there between
  // fork and exec, so it is capped before the case's first instruction.
  int procs_fd() const { return procs_fd_; }
  unsigned long long max_tasks() const { return max_tasks_; }

  // How many times a fork or thread creation failed at the cap (pids.events "max").
  unsigned long long times_cap_hit() const;

  // SIGKILLs every member, repeatedly until none is left or a second has passed; returns how
  // many kills it sent. Members are our children or (as subreaper) our adoptees: the caller
  // reaps them.
  int kill_all() const;

 private:
  PidsCgroup(std::string dir, int procs_fd, unsigned long long max_tasks)
      : dir_(std::move(dir)), procs_fd_(procs_fd), max_tasks_(max_tasks) {}

  std::string dir_;
  int procs_fd_ = -1;
  unsigned long long max_tasks_ = 0;
};

}  // namespace casebook
