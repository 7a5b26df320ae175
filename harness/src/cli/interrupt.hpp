// interrupt.hpp - what Ctrl-C and SIGTERM do to `casebook run`.
//
// The first SIGINT or SIGTERM requests cancellation (process/cancellation.hpp): the trials in
// flight are killed with their process groups, nothing new starts, and the run writes the
// results it has, marked interrupted, then exits 128 + the signal (130, 143). A second signal
// does not wait for that: it kills every live child group and exits at once with the same
// code. Either way no child process is left behind.
#pragma once

namespace casebook {

// Installs the handlers (and creates the cancellation pipe). Call once, before the run starts.
void install_interrupt_handlers();

// The signal that interrupted the run, or 0.
int interrupting_signal() noexcept;

}  // namespace casebook
