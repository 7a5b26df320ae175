#include "process/cancellation.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace casebook {

namespace {

// std::atomic of these types is lock-free on every platform we build for; the handler's
// safety depends on it, so it is checked rather than assumed.
static_assert(std::atomic<bool>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);
static_assert(std::atomic<pid_t>::is_always_lock_free);

std::atomic<bool> requested{false};
std::atomic<int> read_end{-1};
std::atomic<int> write_end{-1};

// More than any run keeps alive at once (one group per running trial, plus gdb).
constexpr int kMaxLiveGroups = 1024;
std::atomic<pid_t> live_groups[kMaxLiveGroups];

}  // namespace

void init_cancellation() {
  static std::once_flag once;
  std::call_once(once, [] {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return;  // polls then simply never wake
    read_end.store(fds[0]);
    write_end.store(fds[1]);
  });
}

void request_cancellation() noexcept {
  requested.store(true);
  const int fd = write_end.load();
  if (fd >= 0) {
    const char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);  // a full pipe is readable already
  }
}

bool cancellation_requested() noexcept {
  return requested.load();
}

int cancellation_fd() noexcept {
  return read_end.load();
}

bool register_live_group(pid_t pgid) noexcept {
  for (auto& slot : live_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pgid)) return true;
  }
  return false;
}

void unregister_live_group(pid_t pgid) noexcept {
  for (auto& slot : live_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

bool is_live_group(pid_t pgid) noexcept {
  for (const auto& slot : live_groups) {
    if (slot.load() == pgid) return true;
  }
  return false;
}

void kill_live_groups(int sig) noexcept {
  for (auto& slot : live_groups) {
    const pid_t pgid = slot.load();
    if (pgid > 0) ::kill(-pgid, sig);
  }
}

}  // namespace casebook
