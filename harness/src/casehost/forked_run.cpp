#include "forked_run.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace casebook::casehost {
namespace {

// The child's report on the pipe: the holds byte, then four length-prefixed strings.
void put(std::string& out, const std::string& s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out += s;
}

bool take(const std::string& in, std::size_t& at, std::string& s) {
  std::uint32_t n = 0;
  if (at + sizeof n > in.size()) return false;
  std::memcpy(&n, in.data() + at, sizeof n);
  at += sizeof n;
  if (at + n > in.size()) return false;
  s.assign(in, at, n);
  at += n;
  return true;
}

[[noreturn]] void child(const registered_variant& v, const cb::params& p, int fd) {
  std::string report;
  try {
    const cb::outcome o = v.spec.run(p);
    report += o.holds ? '1' : '0';
    put(report, o.invariant);
    put(report, o.observed);
    put(report, o.expected);
    put(report, o.note);
  } catch (const std::exception& e) {
    report = "0";
    put(report, "run() returns");
    put(report, std::string("an exception: ") + e.what());
    put(report, "an outcome");
    put(report, "");
  }
  std::size_t written = 0;
  while (written < report.size()) {
    const ssize_t n = ::write(fd, report.data() + written, report.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(3);
    written += static_cast<std::size_t>(n);
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  // _exit: the parent's atexit handlers and static destructors are the parent's business.
  ::_exit(0);
}

std::string describe_death(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "was killed by signal " + std::to_string(sig) + " (" + (name ? name : "unknown") + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status)) +
         " before returning an outcome";
}

}  // namespace

forked_outcome run_forked(const registered_variant& v, const cb::params& p) {
  int fds[2];
  if (::pipe(fds) != 0) {
    throw std::runtime_error(std::string("property: pipe() failed: ") + std::strerror(errno));
  }
  // Empty the stdio buffers first, or the child would write the parent's pending text again.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("property: fork() failed: ") + std::strerror(err));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(v, p, fds[1]);
  }
  ::close(fds[1]);
  std::string report;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    report.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  forked_outcome out;
  std::size_t at = 1;
  cb::outcome& o = out.outcome;
  const bool complete = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !report.empty() &&
                        take(report, at, o.invariant) && take(report, at, o.observed) &&
                        take(report, at, o.expected) && take(report, at, o.note);
  if (complete) {
    o.holds = report[0] == '1';
    return out;
  }
  out.crashed = true;
  out.death = describe_death(status);
  o = cb::outcome{};
  o.holds = false;
  o.invariant = "the run returns an outcome";
  o.observed = "it " + out.death;
  o.expected = "an outcome";
  return out;
}

}  // namespace casebook::casehost
