// stack_capture.hpp - the stacks of every thread of a live (usually hung) process, via
// eu-stack or gdb.
//
// The watchdog uses this as ProcessSpec::on_timeout: when a case outlives its timeout, the
// stacks say where each thread waits (which mutex, which condition variable), which is the
// evidence a hang report needs. eu-stack (elfutils) comes first: it gives inlined frames and
// source lines in about a tenth of a second per process. gdb reads symbols for about a second
// per process (more for large binaries), so it is the fallback: when eu-stack is not installed,
// fails, or prints the program's own frames without source lines (a clang build without
// -gdwarf-aranges). CASEBOOK_STACK_TOOL=gdb or =eu-stack picks one tool only. The target is
// stopped while a tool reads it; call this for hung processes only, never on a hot path. Both
// attach with ptrace: same user, and under Yama ptrace_scope=1 the target must allow it
// (children of run_process do) or the tool needs CAP_SYS_PTRACE. A process already being
// traced (run under Valgrind's gdbserver, strace, or another debugger) cannot be attached to.
//
// Thread-safety: may be called from many threads at once (each call runs its own tool).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

#include <vector>
#include "process/proc_table.hpp"  // process_group_members, used with these

namespace casebook {

// Runs `eu-stack -p <pid> -i -s -m` and returns what it printed ("TID N:" blocks, frames as
// "#0 0x.. function - module" with the source location indented below), or, when that gave
// no source line of the program, `gdb -batch -nx -p <pid> -ex "set pagination off" -ex "thread
// apply all bt"`'s stdout ("Thread N (...)" blocks, frames as "#0 ..."); parse either with
// parse/hang_stacks.hpp. Each tool is killed after `timeout`. Never throws for tool failures;
// the text then explains them instead (gdb not installed, attach refused, timed out), with
// gdb's stderr when it helps. Blocks for as long as the tools run.
std::string capture_thread_stacks(pid_t pid,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The stacks of every process in process group `pgid` (a trial's child and anything it
// forked), leader first. With one member this is capture_thread_stacks(pgid); with more, each
// process's block starts with a line "Process <pid> (<command>):" so a hang in a forked
// child is shown too. Costs one gdb attach per process; `timeout` applies to each.
std::string capture_group_stacks(pid_t pgid,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace casebook
