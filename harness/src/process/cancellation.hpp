// cancellation.hpp - the runner's one process-wide "stop now" (Ctrl-C, SIGTERM), and the
// registry of live child process groups that makes stopping leave nothing behind.
//
// request_cancellation() is async-signal-safe: a signal handler calls it. From then on every
// run_process() in flight kills its child's group at once and returns with `cancelled` set,
// and callers stop starting new work. The pipe behind cancellation_fd() becomes readable and
// stays so (nobody drains it), so any number of poll() loops see it.
//
// The live-group registry is lock-free (a fixed table of atomic pids) so that a signal
// handler can kill every group still running when the user insists (a second Ctrl-C) and
// the process must exit without waiting for the orderly path.
//
// Thread-safety: every function may be called from any thread, and the ones marked so from a
// signal handler.
#pragma once

#include <sys/types.h>

namespace casebook {

// Creates the pipe. Idempotent; call once before any thread may request cancellation.
void init_cancellation();

// Async-signal-safe. Marks the process cancelled and wakes every poll() on cancellation_fd().
void request_cancellation() noexcept;

// Async-signal-safe.
bool cancellation_requested() noexcept;

// The read end of the wake-up pipe, or -1 before init_cancellation().
int cancellation_fd() noexcept;

// Records a child process group as live / no longer live. register_live_group returns false
// when the table is full (the group is then not covered by kill_live_groups).
bool register_live_group(pid_t pgid) noexcept;
void unregister_live_group(pid_t pgid) noexcept;

// Async-signal-safe. Sends sig to every registered live group.
void kill_live_groups(int sig) noexcept;

// Async-signal-safe. Whether pgid is a registered live group.
bool is_live_group(pid_t pgid) noexcept;

}  // namespace casebook
