#include "cli/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "process/cancellation.hpp"

namespace casebook {

namespace {

std::atomic<int> first_signal{0};

void write_stderr(const char* text) noexcept {
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, text, std::strlen(text));
}

// Only async-signal-safe calls here: atomics, write(), kill(), _exit().
extern "C" void on_interrupt(int sig) {
  int expected = 0;
  if (first_signal.compare_exchange_strong(expected, sig)) {
    write_stderr(
        "\ncasebook: interrupted; stopping the trials and writing the results so far "
        "(interrupt again to quit at once)\n");
    request_cancellation();
    return;
  }
  kill_live_groups(SIGKILL);
  write_stderr("\ncasebook: interrupted twice; killed every child and quit without results\n");
  ::_exit(128 + first_signal.load());
}

}  // namespace

void install_interrupt_handlers() {
  init_cancellation();
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

int interrupting_signal() noexcept {
  return first_signal.load();
}

}  // namespace casebook
