// runner_test_child.cpp - a child program with one misbehaviour per mode, for the runner tests.
//
//   exit N                 exit with code N
//   print OUT ERR          write OUT to stdout and ERR to stderr, exit 0
//   segv                   crash with SIGSEGV
//   flood MIB              write MIB MiB to stdout and to stderr, exit 0
//   hang-ignore-term       print "pid <pid>", ignore SIGTERM, sleep forever
//   hang                   print "pid <pid>", sleep forever (SIGTERM kills it)
//   orphan                 fork a grandchild that ignores SIGTERM and sleeps forever holding
//                          stdout; print "grandchild <pid> <pgid>"; exit 0 at once
//   orphan-hang            as orphan, but the child then hangs ignoring SIGTERM too
//   escape                 fork a grandchild that calls setsid() (leaving the group) and then
//                          forks a great-grandchild; both sleep forever; print
//                          "grandchild <pid> <pgid>" and "descendant <pid>"; exit 0
//   stop                   print "pid <pid>", stop itself with SIGSTOP
//   sleep MS               sleep MS milliseconds, exit 0
//   hog MIB                make MIB MiB resident (8 MiB at a time, every page touched), hold
//                          it 2 s, exit 0
//   hog-pair MIB           fork; parent and child each make MIB/2 MiB resident and hold it
//                          2 s, so only their sum is MIB; exit 0
//   env NAME               print the value of NAME, or "<unset>"; then the count of NAME= entries
//   pwd                    print the working directory
//   rlimits                print the soft limits "core fsize cpu as" (-1 for unlimited)
//   threads-sleep          start two threads that sleep forever, print "ready", sleep forever
//   argv ARGS...           print each argument on its own line
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

[[noreturn]] void sleep_forever() {
  while (true) ::pause();
}

void ignore_sigterm() {
  ::signal(SIGTERM, SIG_IGN);
}

void print_pid() {
  std::printf("pid %d\n", static_cast<int>(::getpid()));
  std::fflush(stdout);
}

long long soft_limit(int resource) {
  rlimit limit{};
  ::getrlimit(resource, &limit);
  return limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long long>(limit.rlim_cur);
}

int spawn_orphan(bool then_hang) {
  pid_t grandchild = ::fork();
  if (grandchild < 0) return 3;
  if (grandchild == 0) {
    ignore_sigterm();
    sleep_forever();
  }
  std::printf("grandchild %d %d\n", static_cast<int>(grandchild),
              static_cast<int>(::getpgid(grandchild)));
  std::fflush(stdout);
  if (then_hang) {
    ignore_sigterm();
    sleep_forever();
  }
  return 0;
}

// A grandchild that leaves the trial's process group and session, as a daemon would, and
// forks a child of its own: killing the group does not reach either.
int spawn_escapee() {
  int ready[2];
  if (::pipe(ready) != 0) return 3;
  pid_t grandchild = ::fork();
  if (grandchild < 0) return 3;
  if (grandchild == 0) {
    ::setsid();
    ignore_sigterm();
    pid_t great = ::fork();
    if (great == 0) sleep_forever();
    [[maybe_unused]] ssize_t n = ::write(ready[1], &great, sizeof great);
    sleep_forever();
  }
  pid_t great = 0;  // once it arrives, the grandchild has left the group
  [[maybe_unused]] ssize_t n = ::read(ready[0], &great, sizeof great);
  std::printf("grandchild %d %d\ndescendant %d\n", static_cast<int>(grandchild),
              static_cast<int>(::getpgid(grandchild)), static_cast<int>(great));
  std::fflush(stdout);
  return 0;
}

// Makes mib MiB resident in 8 MiB blocks, writing every page so the kernel backs it, then
// holds it for 2 s (long enough for the runner to look) and lets it go at exit.
void hog(long mib) {
  constexpr std::size_t kBlock = 8u << 20;
  std::vector<std::vector<char>> blocks;
  for (long done = 0; done < mib; done += 8) blocks.emplace_back(kBlock, 'h');
  std::this_thread::sleep_for(std::chrono::seconds(2));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODE [ARGS]\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  auto arg = [&](int i) -> const char* { return i < argc ? argv[i] : ""; };

  if (mode == "exit") return std::atoi(arg(2));
  if (mode == "print") {
    std::fputs(arg(2), stdout);
    std::fputs(arg(3), stderr);
    return 0;
  }
  if (mode == "segv") {
    ::raise(SIGSEGV);
    return 1;
  }
  if (mode == "flood") {
    std::vector<char> block(1 << 20, 'x');
    long mib = std::atol(arg(2));
    for (long i = 0; i < mib; ++i) {
      std::fwrite(block.data(), 1, block.size(), stdout);
      std::fwrite(block.data(), 1, block.size(), stderr);
    }
    return 0;
  }
  if (mode == "hang-ignore-term" || mode == "hang") {
    if (mode == "hang-ignore-term") ignore_sigterm();
    print_pid();
    sleep_forever();
  }
  if (mode == "spin") {  // busy until killed: never idle
    print_pid();
    volatile unsigned long turns = 0;
    for (;;) turns = turns + 1;
  }
  if (mode == "orphan") return spawn_orphan(false);
  if (mode == "orphan-hang") return spawn_orphan(true);
  if (mode == "escape") return spawn_escapee();
  if (mode == "stop") {
    print_pid();
    ::raise(SIGSTOP);
    sleep_forever();
  }
  if (mode == "sleep") {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(arg(2))));
    return 0;
  }
  if (mode == "spawn") {
    // Forks up to N sleeping children (bounded, unlike a real fork bomb), then prints how many
    // forks worked and how many failed; "spawn N exit" exits after, "spawn N" sleeps on.
    const long n = std::atol(arg(2));
    long made = 0, failed = 0;
    for (long i = 0; i < n; ++i) {
      const pid_t child = ::fork();
      if (child == 0) sleep_forever();
      if (child < 0) {
        ++failed;
      } else {
        ++made;
      }
    }
    std::printf("forked %ld failed %ld\n", made, failed);
    // Then the cgroup it runs in, v1's pids line or v2's single line, so a test can tell a
    // cap the kernel enforced from no cap at all.
    std::ifstream cgroups("/proc/self/cgroup");
    for (std::string line; std::getline(cgroups, line);) {
      if (line.find(":pids:") != std::string::npos || line.rfind("0::", 0) == 0) {
        std::printf("cgroup %s\n", line.c_str());
      }
    }
    std::fflush(stdout);
    if (argc > 3 && std::string(argv[3]) == "exit") return 0;
    sleep_forever();
  }
  if (mode == "hog") {
    hog(std::atol(arg(2)));
    return 0;
  }
  if (mode == "hog-pair") {
    const long half = std::atol(arg(2)) / 2;
    pid_t child = ::fork();
    if (child < 0) return 3;
    hog(half);
    if (child == 0) ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return 0;
  }
  if (mode == "env") {
    const char* value = std::getenv(arg(2));
    std::printf("%s\n", value != nullptr ? value : "<unset>");
    std::string prefix = std::string(arg(2)) + "=";
    int count = 0;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::strncmp(*e, prefix.c_str(), prefix.size()) == 0) ++count;
    }
    std::printf("%d\n", count);
    return 0;
  }
  if (mode == "pwd") {
    char buffer[4096];
    if (::getcwd(buffer, sizeof buffer) == nullptr) return 3;
    std::printf("%s\n", buffer);
    return 0;
  }
  if (mode == "rlimits") {
    std::printf("%lld %lld %lld %lld\n", soft_limit(RLIMIT_CORE), soft_limit(RLIMIT_FSIZE),
                soft_limit(RLIMIT_CPU), soft_limit(RLIMIT_AS));
    return 0;
  }
  if (mode == "threads-sleep") {
    std::thread a(sleep_forever);
    std::thread b(sleep_forever);
    std::printf("ready\n");
    std::fflush(stdout);
    sleep_forever();
  }
  if (mode == "argv") {
    for (int i = 2; i < argc; ++i) std::printf("%s\n", argv[i]);
    return 0;
  }
  std::fprintf(stderr, "unknown mode '%s'\n", mode.c_str());
  return 2;
}
