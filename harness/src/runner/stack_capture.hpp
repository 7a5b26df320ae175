// stack_capture.hpp - the stacks of every thread of a live (usually hung) process, via gdb.
//
// The watchdog uses this as ProcessSpec::on_timeout: when a case outlives its timeout, the
// stacks say where each thread waits (which mutex, which condition variable), which is the
// evidence a hang report needs. Cost: gdb attaches with ptrace and reads symbols, about one
// second per process (more for large binaries), and the target is stopped meanwhile; call it
// for hung processes only, never on a hot path. gdb must be installed (Debian: gdb) and allowed
// to attach: same user, and under Yama ptrace_scope=1 the target must allow it (children of
// run_process do) or gdb needs CAP_SYS_PTRACE. A process already being traced (run under
// Valgrind's gdbserver, strace, or another gdb) cannot be attached to.
//
// Thread-safety: may be called from many threads at once (each call runs its own gdb).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

#include <vector>
#include "runner/proc_table.hpp"  // process_group_members, used with these

namespace casebook {

// Runs `gdb -batch -nx -p <pid> -ex "set pagination off" -ex "thread apply all bt"` and returns
// what gdb printed on stdout: one "Thread N (...)" block per thread, frames as "#0 ...". gdb is
// killed after `timeout`. Never throws for gdb failures; the text then explains them instead
// (gdb not installed, attach refused, timed out), with gdb's stderr when it helps. Blocks for
// as long as gdb runs.
std::string capture_thread_stacks(pid_t pid,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The stacks of every process in process group `pgid` (a trial's child and anything it
// forked), leader first. With one member this is capture_thread_stacks(pgid); with more, each
// process's block starts with a line "Process <pid> (<command>):" so a hang in a forked
// child is shown too. Costs one gdb attach per process; `timeout` applies to each.
std::string capture_group_stacks(pid_t pgid,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace casebook
