// proc_table.hpp - what /proc says about the processes around us: who is in a process group,
// and which processes are our own children. The runner uses it to count a trial's processes
// (a fork bomb is stopped at a cap), to find the processes that escaped a trial's group with
// setsid() (they are reparented to us, the subreaper, and killed), and to take every group
// member's stacks.
//
// Reads /proc on every call (a few milliseconds with a few hundred processes); processes come
// and go while it reads, and those that vanish are skipped. Thread-safe.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace casebook {

struct ProcEntry {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgrp = 0;
  pid_t session = 0;
  std::string comm;
  // CPU time used so far by all of its threads, in clock ticks (utime + stime).
  unsigned long long cpu_ticks = 0;
};

// The fields of /proc/<pid>/stat the runner uses, or nothing when the process is gone.
std::optional<ProcEntry> read_proc_entry(pid_t pid);

// Every process /proc lists now.
std::vector<ProcEntry> list_processes();

// The pids in process group pgid, leader first; empty when none is left.
std::vector<pid_t> process_group_members(pid_t pgid);

// The CPU time process group pgid's members have used so far, in clock ticks; members that have
// left the group are not counted.
unsigned long long group_cpu_ticks(pid_t pgid);

}  // namespace casebook
