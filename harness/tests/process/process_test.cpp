// process_test.cpp - run_process against a child that misbehaves on request.
#include "process/process.hpp"
#include "process/pids_cgroup.hpp"
#include "process/proc_table.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace casebook {
namespace {

using std::chrono::milliseconds;

constexpr const char* kChild = CASEBOOK_RUNNER_TEST_CHILD;
// Generous: these bound hangs of the runner itself, not the speed of the machine.
constexpr auto kSlow = std::chrono::seconds(10);

ProcessSpec child_spec(std::vector<std::string> args) {
  ProcessSpec spec;
  spec.argv = {kChild};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  return spec;
}

bool process_gone(pid_t pid) {
  return ::kill(pid, 0) == -1 && errno == ESRCH;
}

// The "grandchild <pid> <pgid>" line the orphan modes print.
struct Grandchild {
  pid_t pid = 0;
  pid_t pgid = 0;
};
Grandchild parse_grandchild(const std::string& out) {
  Grandchild g;
  std::istringstream in(out);
  std::string word;
  int pid = 0, pgid = 0;
  in >> word >> pid >> pgid;
  if (word == "grandchild") g = {pid, pgid};
  return g;
}

pid_t parse_pid(const std::string& out) {
  std::istringstream in(out);
  std::string word;
  int pid = 0;
  in >> word >> pid;
  return word == "pid" ? pid : 0;
}

int count_open_fds() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  while (::readdir(dir) != nullptr) ++count;
  ::closedir(dir);
  return count;
}

TEST(RunProcess, CapturesStdoutAndStderrOfNormalExit) {
  ProcessResult r = run_process(child_spec({"print", "hello out\n", "hello err\n"}));
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.signaled);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.stdout_text, "hello out\n");
  EXPECT_EQ(r.stderr_text, "hello err\n");
  EXPECT_FALSE(r.stdout_truncated);
  EXPECT_FALSE(r.stderr_truncated);
  EXPECT_GT(r.duration.count(), 0);
  EXPECT_LT(r.duration, kSlow);
  EXPECT_EQ(describe_status(r), "exit 0");
}

TEST(RunProcess, ReportsExitCode) {
  ProcessResult r = run_process(child_spec({"exit", "66"}));
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 66);
  EXPECT_EQ(describe_status(r), "exit 66");
}

TEST(RunProcess, ReportsCrashBySignal) {
  ProcessResult r = run_process(child_spec({"segv"}));
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_FALSE(r.exited);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGSEGV);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(describe_status(r), "signal 11 (SIGSEGV)");
}

TEST(RunProcess, FloodIsCappedAndTheChildIsNotBlocked) {
  ProcessSpec spec = child_spec({"flood", "8"});
  spec.output_cap = 100000;
  spec.timeout = milliseconds(20000);  // only a safety net: the child must finish by itself
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_text.size(), 100000u);
  EXPECT_EQ(r.stderr_text.size(), 100000u);
  EXPECT_EQ(r.stdout_text.find_first_not_of('x'), std::string::npos);
  EXPECT_TRUE(r.stdout_truncated);
  EXPECT_TRUE(r.stderr_truncated);
}

TEST(RunProcess, OutputUnderTheCapIsKeptWhole) {
  ProcessSpec spec = child_spec({"flood", "2"});
  spec.output_cap = 3u << 20;
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.stdout_text.size(), 2u << 20);
  EXPECT_EQ(r.stderr_text.size(), 2u << 20);
  EXPECT_FALSE(r.stdout_truncated);
  EXPECT_FALSE(r.stderr_truncated);
}

TEST(RunProcess, HangIgnoringSigtermIsKilledAfterTimeoutAndGrace) {
  ProcessSpec spec = child_spec({"hang-ignore-term"});
  spec.timeout = milliseconds(300);
  spec.term_grace = milliseconds(200);
  pid_t hook_pid = 0;
  bool alive_in_hook = false;
  int hook_calls = 0;
  spec.on_timeout = [&](pid_t pid) {
    ++hook_calls;
    hook_pid = pid;
    alive_in_hook = ::kill(pid, 0) == 0;
    return std::string("evidence for ") + std::to_string(pid);
  };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGKILL);  // SIGTERM was ignored
  EXPECT_EQ(hook_calls, 1);
  EXPECT_TRUE(alive_in_hook);
  EXPECT_EQ(hook_pid, parse_pid(r.stdout_text)) << r.stdout_text;
  EXPECT_EQ(r.timeout_evidence, "evidence for " + std::to_string(hook_pid));
  EXPECT_TRUE(process_gone(hook_pid));
  EXPECT_LT(r.duration, kSlow);
  EXPECT_EQ(describe_status(r), "timed out after 0.3 s");
}

TEST(RunProcess, HangThatHonoursSigtermDiesOfSigterm) {
  ProcessSpec spec = child_spec({"hang"});
  spec.timeout = milliseconds(200);
  spec.term_grace = milliseconds(5000);  // must not be waited out: the child dies at SIGTERM
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_TRUE(r.timeout_evidence.empty());
  EXPECT_LT(r.duration, milliseconds(4000));
}

TEST(RunProcess, StoppedChildIsKilledAtTimeout) {
  ProcessSpec spec = child_spec({"stop"});
  spec.timeout = milliseconds(200);
  spec.term_grace = milliseconds(200);
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.signaled);
  EXPECT_LT(r.duration, kSlow);
  pid_t pid = parse_pid(r.stdout_text);
  ASSERT_GT(pid, 0) << r.stdout_text;
  EXPECT_TRUE(process_gone(pid));
}

TEST(RunProcess, GrandchildLeftBehindByANormalExitIsKilled) {
  ProcessSpec spec = child_spec({"orphan"});
  spec.timeout = milliseconds(5000);  // a safety net; the child exits at once
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  Grandchild g = parse_grandchild(r.stdout_text);
  ASSERT_GT(g.pid, 0) << r.stdout_text;
  EXPECT_GT(g.pgid, 0);
  EXPECT_TRUE(process_gone(g.pid));
  EXPECT_EQ(::kill(-g.pgid, 0), -1);  // the whole group is gone
  EXPECT_EQ(errno, ESRCH);
  EXPECT_LT(r.duration, kSlow);
}

TEST(RunProcess, HangingGrandchildIsKilledWithItsParentAtTimeout) {
  ProcessSpec spec = child_spec({"orphan-hang"});
  spec.timeout = milliseconds(300);
  spec.term_grace = milliseconds(100);
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGKILL);
  Grandchild g = parse_grandchild(r.stdout_text);
  ASSERT_GT(g.pid, 0) << r.stdout_text;
  EXPECT_TRUE(process_gone(g.pid));
  EXPECT_EQ(::kill(-g.pgid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_LT(r.duration, kSlow);
}

TEST(RunProcess, ProcessesThatEscapeTheGroupWithSetsidAreFoundAndKilled) {
  ProcessSpec spec = child_spec({"escape"});
  spec.timeout = milliseconds(5000);  // a safety net; the child exits at once
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.exited);
  Grandchild g = parse_grandchild(r.stdout_text);
  ASSERT_GT(g.pid, 0) << r.stdout_text;
  EXPECT_NE(g.pgid, 0);
  const auto great_at = r.stdout_text.find("descendant ");
  ASSERT_NE(great_at, std::string::npos) << r.stdout_text;
  const pid_t great = static_cast<pid_t>(std::stol(r.stdout_text.substr(great_at + 11)));
  EXPECT_TRUE(process_gone(g.pid)) << "the setsid() escapee outlived run_process";
  EXPECT_TRUE(process_gone(great)) << "the escapee's own child outlived run_process";
}

// The memory guard sums the group's resident memory: a child over the cap is killed, and the
// reason names the cap; one under it is left alone.
TEST(RunProcess, GroupOverItsMemoryCapIsKilledAndTheCapIsNamed) {
  ProcessSpec spec = child_spec({"hog", "512"});
  spec.limits.max_resident_bytes = 96ULL << 20;
  spec.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(spec);
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.signaled) << describe_status(r);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_EQ(r.limit_exceeded.rfind("memory limit of 96 MiB exceeded", 0), 0u) << r.limit_exceeded;
  EXPECT_EQ(describe_status(r), r.limit_exceeded);
}

TEST(RunProcess, MemoryCapCountsEveryProcessOfTheGroup) {
  // 160 MiB in two processes of 80: each alone is under the 128 MiB cap, their sum is not.
  ProcessSpec spec = child_spec({"hog-pair", "160"});
  spec.limits.max_resident_bytes = 128ULL << 20;
  spec.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(spec);
  EXPECT_NE(r.limit_exceeded.find("memory limit of 128 MiB exceeded"), std::string::npos)
      << describe_status(r);
}

// The kernel's cap on tasks (a pids cgroup): fork() fails past it, and the runner kills the
// trial at once and names the cap. Needs a pids cgroup hierarchy we may write to (root, or a
// delegated cgroup); elsewhere the runner falls back to counting /proc and this is skipped.
TEST(RunProcess, ForksPastTheTaskCapFailAndTheTrialIsKilled) {
  if (pids_cgroup_support().rfind("none", 0) == 0) {
    GTEST_SKIP() << "no pids cgroup here: " << pids_cgroup_support();
  }
  ProcessSpec spec = child_spec({"spawn", "20"});
  spec.limits.max_tasks = 8;
  spec.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(spec);
  EXPECT_FALSE(r.timed_out) << "the cap, not the timeout, ended it";
  EXPECT_EQ(r.limit_exceeded.rfind("hit its cap of 8 processes and threads (a fork bomb?)", 0), 0u)
      << describe_status(r);
  // The child saw its forks fail: at most 7 children fit beside it (fewer when a sanitizer
  // runtime's own thread counts too), the rest did not.
  std::istringstream said(r.stdout_text);
  std::string forked_word, failed_word;
  long made = -1, failed = -1;
  said >> forked_word >> made >> failed_word >> failed;
  EXPECT_EQ(forked_word, "forked") << r.stdout_text;
  EXPECT_EQ(made + failed, 20) << r.stdout_text;
  EXPECT_LE(made, 7) << r.stdout_text;
  EXPECT_GT(failed, 0) << r.stdout_text;
  // Nothing is left in the trial's cgroup, and the cgroup itself is gone.
  const std::string support = pids_cgroup_support();
  const std::string parent = support.substr(support.find(" at ") + 4);
  const std::string mine = "casebook-" + std::to_string(::getpid()) + "-";
  for (const auto& entry : std::filesystem::directory_iterator(parent)) {
    EXPECT_NE(entry.path().filename().string().rfind(mine, 0), 0u) << entry.path();
  }
}

// A runner killed with SIGKILL cannot remove its trial's cgroup: the next runner removes such
// leftovers, empty folders of runners no longer alive, and keeps those of live ones.
// Where trials' pids cgroups would go, from /proc's text of machines of each kind: both cgroup
// versions and the container mount-root handling run here whatever this machine has.
TEST(PidsCgroupCandidates, AV1HostWithTheUnifiedHierarchyBesideIt) {
  const std::string mountinfo =
      "25 1 0:23 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755\n"
      "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw\n"
      "31 25 0:29 / /sys/fs/cgroup/cpu,cpuacct rw shared:14 - cgroup cgroup rw,cpu,cpuacct\n"
      "35 25 0:33 / /sys/fs/cgroup/pids rw,nosuid shared:18 - cgroup cgroup rw,pids\n";
  const std::string self =
      "12:pids:/user.slice/user-0.slice/session-3.scope\n"
      "4:cpu,cpuacct:/user.slice\n"
      "0::/user.slice/user-0.slice/session-3.scope\n";
  const auto c = pids_cgroup_candidates(mountinfo, self);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].version, 1);
  EXPECT_EQ(c[0].folder, "/sys/fs/cgroup/pids/user.slice/user-0.slice/session-3.scope");
  EXPECT_EQ(c[1].version, 2);
  EXPECT_EQ(c[1].folder, "/sys/fs/cgroup/unified/user.slice/user-0.slice/session-3.scope");
}

TEST(PidsCgroupCandidates, AV2ContainerWhoseMountRootIsItsOwnCgroup) {
  const std::string mountinfo =
      "1210 1100 0:80 /docker/0123abcd /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw,nsdelegate\n";
  auto c = pids_cgroup_candidates(mountinfo, "0::/docker/0123abcd\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].version, 2);
  EXPECT_EQ(c[0].folder, "/sys/fs/cgroup");  // the hidden prefix is not repeated
  c = pids_cgroup_candidates(mountinfo, "0::/docker/0123abcd/runner\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].folder, "/sys/fs/cgroup/runner");
  // A v2 host, our cgroup the root.
  c = pids_cgroup_candidates("30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].folder, "/sys/fs/cgroup");
}

TEST(PidsCgroupCandidates, AV1ContainerAndMachinesWithoutThePidsController) {
  const std::string v1_container =
      "700 690 0:40 /docker/feed /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n";
  const auto c = pids_cgroup_candidates(v1_container, "9:pids:/docker/feed\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].version, 1);
  EXPECT_EQ(c[0].folder, "/sys/fs/cgroup/pids");
  // v1 hierarchies without pids, or no cgroup file system at all: nowhere to go.
  EXPECT_TRUE(pids_cgroup_candidates("31 25 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n",
                                     "4:cpu:/\n")
                  .empty());
  EXPECT_TRUE(pids_cgroup_candidates("22 1 0:21 / / rw - ext4 /dev/vda rw\n", "").empty());
}

TEST(PidsCgroupSweep, RemovesEmptyCgroupsOfDeadRunnersOnly) {
  if (pids_cgroup_support().rfind("none", 0) == 0) {
    GTEST_SKIP() << "no pids cgroup here: " << pids_cgroup_support();
  }
  const std::string support = pids_cgroup_support();
  const std::string parent = support.substr(support.find(" at ") + 4);
  // A pid that is surely dead: a child that exited and was reaped.
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);
  // A live runner's pid: a child that waits until we are done.
  const pid_t alive = ::fork();
  ASSERT_GE(alive, 0);
  if (alive == 0) {
    ::pause();
    ::_exit(0);
  }
  const std::string stale = parent + "/casebook-" + std::to_string(dead) + "-3";
  const std::string stale_probe = parent + "/casebook-probe-" + std::to_string(dead);
  const std::string live = parent + "/casebook-" + std::to_string(alive) + "-0";
  const std::string unrelated = parent + "/casebook-notours-" + std::to_string(dead);
  for (const auto& dir : {stale, stale_probe, live, unrelated}) {
    ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0) << dir << ": " << std::strerror(errno);
  }
  EXPECT_GE(sweep_stale_pids_cgroups(), 2);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_FALSE(std::filesystem::exists(stale_probe));
  EXPECT_TRUE(std::filesystem::exists(live)) << "its runner is alive";
  EXPECT_TRUE(std::filesystem::exists(unrelated)) << "not a name the runner gives";
  ::kill(alive, SIGKILL);
  ::waitpid(alive, nullptr, 0);
  ::rmdir(live.c_str());
  ::rmdir(unrelated.c_str());
}

// Where no pids cgroup exists, the runner's own count of the group every 100 ms is the guard.
TEST(RunProcess, GroupOverItsProcessCountIsKilledAndTheCountNamed) {
  ProcessSpec spec = child_spec({"spawn", "10"});
  spec.limits.max_processes = 4;  // no max_tasks: the /proc count alone
  spec.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(spec);
  EXPECT_FALSE(r.timed_out) << "the count, not the timeout, ended it";
  EXPECT_EQ(r.limit_exceeded.rfind("more than 4 processes in its group at once (a fork bomb?)", 0),
            0u)
      << describe_status(r);
  EXPECT_NE(r.stdout_text.find("forked 10 failed 0"), std::string::npos) << r.stdout_text;
}

// A cap the child stays under changes nothing, though the kernel enforced it: the child ran in
// its trial's own pids cgroup (without one there is no cap to stay under: skipped).
TEST(RunProcess, ChildUnderItsTaskCapRunsToTheEnd) {
  if (pids_cgroup_support().rfind("none", 0) == 0) {
    GTEST_SKIP() << "no pids cgroup here: " << pids_cgroup_support();
  }
  ProcessSpec spec = child_spec({"spawn", "4", "exit"});
  spec.limits.max_tasks = 16;
  spec.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(spec);
  EXPECT_TRUE(r.exited) << describe_status(r);
  EXPECT_TRUE(r.limit_exceeded.empty()) << r.limit_exceeded;
  EXPECT_NE(r.stdout_text.find("forked 4 failed 0"), std::string::npos) << r.stdout_text;
  const std::string cgroup = "/casebook-" + std::to_string(::getpid()) + "-";
  EXPECT_NE(r.stdout_text.find(cgroup), std::string::npos)
      << "the child did not run in its trial's pids cgroup (" << cgroup << "...):\n"
      << r.stdout_text;
}

TEST(RunProcess, ChildUnderItsMemoryCapRunsToTheEnd) {
  ProcessSpec spec = child_spec({"hog", "32"});
  spec.limits.max_resident_bytes = 256ULL << 20;
  spec.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(spec);
  EXPECT_TRUE(r.exited) << describe_status(r);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.limit_exceeded.empty()) << r.limit_exceeded;
  // Its peak resident memory is measured: at least the 32 MiB it touched, and well below what
  // a mistake in units (bytes or pages for KiB) would give.
  EXPECT_GE(r.peak_rss_kib, 32L * 1024);
  EXPECT_LT(r.peak_rss_kib, 256L * 1024);
}

TEST(RunProcess, ExecFailureIsAStartError) {
  ProcessSpec spec;
  spec.argv = {"/nonexistent/casebook/program", "arg"};
  ProcessResult r = run_process(spec);
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.start_error,
            "cannot execute '/nonexistent/casebook/program': No such file or directory");
  EXPECT_EQ(describe_status(r),
            "failed to start: cannot execute '/nonexistent/casebook/program': No such file or "
            "directory");
  EXPECT_FALSE(r.exited);
  EXPECT_FALSE(r.signaled);
}

TEST(RunProcess, ProgramMissingFromPathIsAStartError) {
  ProcessSpec spec;
  spec.argv = {"casebook-no-such-program-4711"};
  ProcessResult r = run_process(spec);
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.start_error,
            "cannot execute 'casebook-no-such-program-4711': No such file or directory");
}

TEST(RunProcess, NonExecutableFileIsAStartError) {
  char path[] = "/tmp/casebook-runner-test-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  ProcessSpec spec;
  spec.argv = {path};
  ProcessResult r = run_process(spec);
  ::unlink(path);
  EXPECT_FALSE(r.started);
  EXPECT_NE(r.start_error.find("Permission denied"), std::string::npos) << r.start_error;
}

TEST(RunProcess, EmptyArgvIsAStartError) {
  ProcessResult r = run_process(ProcessSpec{});
  EXPECT_FALSE(r.started);
  EXPECT_FALSE(r.start_error.empty());
}

TEST(RunProcess, BadWorkingDirIsAStartError) {
  ProcessSpec spec = child_spec({"pwd"});
  spec.working_dir = "/nonexistent/casebook/dir";
  ProcessResult r = run_process(spec);
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.start_error,
            "cannot change directory to '/nonexistent/casebook/dir': No such file or directory");
}

TEST(RunProcess, WorkingDirIsApplied) {
  ProcessSpec spec = child_spec({"pwd"});
  spec.working_dir = "/";
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.stdout_text, "/\n");
}

TEST(RunProcess, EnvOverrideReachesTheChild) {
  ASSERT_EQ(::setenv("CASEBOOK_RUNNER_TEST_VAR", "parent", 1), 0);
  ProcessSpec spec = child_spec({"env", "CASEBOOK_RUNNER_TEST_VAR"});
  spec.env = {{"CASEBOOK_RUNNER_TEST_VAR", "child"}};
  ProcessResult replaced = run_process(spec);
  ProcessResult inherited = run_process(child_spec({"env", "CASEBOOK_RUNNER_TEST_VAR"}));
  ::unsetenv("CASEBOOK_RUNNER_TEST_VAR");
  EXPECT_EQ(replaced.stdout_text, "child\n1\n");  // replaced, not duplicated
  EXPECT_EQ(inherited.stdout_text, "parent\n1\n");

  spec = child_spec({"env", "CASEBOOK_RUNNER_NEW_VAR"});
  spec.env = {{"CASEBOOK_RUNNER_NEW_VAR", "added"}};
  EXPECT_EQ(run_process(spec).stdout_text, "added\n1\n");
}

TEST(RunProcess, ProgramIsLookedUpInPath) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "echo from-sh; exit 3"};
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.stdout_text, "from-sh\n");
  EXPECT_EQ(r.exit_code, 3);
}

TEST(RunProcess, PathOverrideInEnvIsUsedForTheLookup) {
  std::string child = kChild;
  std::string dir = child.substr(0, child.rfind('/'));
  std::string name = child.substr(child.rfind('/') + 1);
  ProcessSpec spec;
  spec.argv = {name, "exit", "5"};
  spec.env = {{"PATH", "/nonexistent/casebook:" + dir}};
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.exit_code, 5);
}

TEST(RunProcess, ArgumentsArePassedVerbatim) {
  ProcessResult r = run_process(child_spec({"argv", "a b", "", "$HOME", "'q'"}));
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.stdout_text, "a b\n\n$HOME\n'q'\n");
}

TEST(RunProcess, ResourceLimitsAreApplied) {
  auto expected = [](int resource, unsigned long long wanted) {
    rlimit hard{};
    ::getrlimit(resource, &hard);
    if (hard.rlim_max != RLIM_INFINITY && wanted > hard.rlim_max)
      return std::to_string(hard.rlim_max);
    return std::to_string(wanted);
  };
  ProcessSpec spec = child_spec({"rlimits"});
  spec.limits.disable_core_dumps = true;
  spec.limits.file_size_bytes = 1 << 20;
  spec.limits.cpu_seconds = 100;
  spec.limits.address_space_bytes = 8ULL << 30;
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.stdout_text, "0 " + expected(RLIMIT_FSIZE, 1 << 20) + " " +
                               expected(RLIMIT_CPU, 100) + " " + expected(RLIMIT_AS, 8ULL << 30) +
                               "\n");
}

TEST(RunProcess, ASettledRunIsEndedBeforeItsTimeout) {
  // A hang that ignores SIGTERM, as a deadlocked case under Valgrind is to casebook: the
  // caller's check says the outcome is settled on its third call, and the runner ends it there
  // instead of at the timeout, killing its whole group.
  ProcessSpec spec = child_spec({"hang-ignore-term"});
  spec.timeout = milliseconds(60000);
  int calls = 0;
  spec.settled = [&] { return ++calls >= 3; };
  bool hook_called = false;
  spec.on_timeout = [&](pid_t) {
    hook_called = true;
    return std::string();
  };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.settled_early);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(hook_called);  // no timeout, so no stacks
  EXPECT_EQ(calls, 3);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_TRUE(process_gone(parse_pid(r.stdout_text))) << r.stdout_text;
  EXPECT_LT(r.duration, kSlow);
  EXPECT_EQ(describe_status(r).rfind("ended by the runner after ", 0), 0u) << describe_status(r);
  EXPECT_NE(describe_status(r).find("its outcome settled"), std::string::npos);
}

TEST(RunProcess, AnIdleGroupIsEndedAsAtItsTimeout) {
  // Blocked for good (it sleeps and uses no CPU): with an idle end of 0.5 s the runner ends it
  // long before its 60 s timeout, the same way a timeout does: the hook, then SIGTERM.
  ProcessSpec spec = child_spec({"hang"});
  spec.timeout = milliseconds(60000);
  spec.idle_timeout = milliseconds(500);
  bool hook_called = false;
  spec.on_timeout = [&](pid_t) {
    hook_called = true;
    return std::string("stacks");
  };
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.ended_idle);
  EXPECT_TRUE(hook_called);
  EXPECT_EQ(r.timeout_evidence, "stacks");
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_TRUE(process_gone(parse_pid(r.stdout_text))) << r.stdout_text;
  EXPECT_LT(r.duration, kSlow);
  EXPECT_NE(describe_status(r).find("blocked: no CPU used for 0.5 s"), std::string::npos)
      << describe_status(r);
}

TEST(RunProcess, ABusyGroupIsNeverIdle) {
  // It computes all the time, so only its timeout ends it, however short the idle end.
  ProcessSpec spec = child_spec({"spin"});
  spec.timeout = milliseconds(1500);
  spec.idle_timeout = milliseconds(300);
  ProcessResult r = run_process(spec);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ended_idle);
  EXPECT_EQ(describe_status(r), "timed out after 1.5 s");
}

TEST(RunProcess, ARunNeverSettledEndsByItself) {
  ProcessSpec spec = child_spec({"sleep", "600"});
  spec.timeout = milliseconds(20000);
  int calls = 0;
  spec.settled = [&] {
    ++calls;
    return false;
  };
  ProcessResult r = run_process(spec);
  EXPECT_TRUE(r.exited);
  EXPECT_FALSE(r.settled_early);
  EXPECT_FALSE(r.timed_out);
  EXPECT_GE(calls, 1);  // asked while the child slept
}

TEST(RunProcess, OnTimeoutIsNotCalledWhenTheChildFinishes) {
  ProcessSpec spec = child_spec({"sleep", "10"});
  spec.timeout = milliseconds(5000);
  bool called = false;
  spec.on_timeout = [&](pid_t) {
    called = true;
    return std::string();
  };
  ProcessResult r = run_process(spec);
  EXPECT_TRUE(r.exited);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(called);
}

TEST(RunProcess, ThrowingOnTimeoutHookIsContained) {
  ProcessSpec spec = child_spec({"hang"});
  spec.timeout = milliseconds(200);
  spec.on_timeout = [](pid_t) -> std::string { throw std::runtime_error("boom"); };
  ProcessResult r = run_process(spec);
  EXPECT_TRUE(r.timed_out);
  EXPECT_NE(r.timeout_evidence.find("boom"), std::string::npos) << r.timeout_evidence;
}

TEST(RunProcess, NoDescriptorLeaksOnAnyPath) {
  // Warm up once so lazily opened descriptors (none expected) are not counted as leaks.
  run_process(child_spec({"exit", "0"}));
  const int before = count_open_fds();
  ASSERT_GT(before, 0);
  for (int i = 0; i < 3; ++i) {
    run_process(child_spec({"print", "x", "y"}));
    run_process(child_spec({"segv"}));
    ProcessSpec bad;
    bad.argv = {"/nonexistent/casebook/program"};
    run_process(bad);
    ProcessSpec hang = child_spec({"orphan-hang"});
    hang.timeout = milliseconds(100);
    hang.term_grace = milliseconds(50);
    run_process(hang);
  }
  EXPECT_EQ(count_open_fds(), before);
}

TEST(RunProcess, ConcurrentCallsFromManyThreads) {
  constexpr int kThreads = 6;
  constexpr int kRuns = 12;
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures, &errors] {
      for (int i = 0; i < kRuns; ++i) {
        auto fail = [&](const std::string& what) {
          ++failures;
          errors[t] += what + "\n";
        };
        std::string token = "t" + std::to_string(t) + "-i" + std::to_string(i);
        switch (i % 4) {
          case 0:
          case 1: {
            ProcessResult r = run_process(child_spec({"print", token, "err-" + token}));
            if (!r.exited || r.exit_code != 0 || r.stdout_text != token ||
                r.stderr_text != "err-" + token) {
              fail(token + ": " + describe_status(r) + " out='" + r.stdout_text + "'");
            }
            break;
          }
          case 2: {
            int code = 10 + t * kRuns + i;
            ProcessResult r = run_process(child_spec({"exit", std::to_string(code)}));
            if (!r.exited || r.exit_code != code) fail(token + ": " + describe_status(r));
            break;
          }
          case 3: {
            ProcessSpec spec = child_spec({"orphan-hang"});
            spec.timeout = milliseconds(100);
            spec.term_grace = milliseconds(50);
            ProcessResult r = run_process(spec);
            Grandchild g = parse_grandchild(r.stdout_text);
            if (!r.timed_out || !r.signaled || g.pid <= 0 || !process_gone(g.pid)) {
              fail(token + ": " + describe_status(r) + " out='" + r.stdout_text + "'");
            }
            break;
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string all;
  for (const auto& e : errors) all += e;
  EXPECT_EQ(failures.load(), 0) << all;
}

TEST(DescribeStatus, FormatsEveryOutcome) {
  ProcessResult r;
  r.start_error = "cannot execute 'x': No such file or directory";
  EXPECT_EQ(describe_status(r), "failed to start: cannot execute 'x': No such file or directory");

  r = ProcessResult{};
  r.started = true;
  r.exited = true;
  EXPECT_EQ(describe_status(r), "exit 0");
  r.exit_code = 66;
  EXPECT_EQ(describe_status(r), "exit 66");

  r = ProcessResult{};
  r.started = true;
  r.signaled = true;
  r.term_signal = SIGSEGV;
  EXPECT_EQ(describe_status(r), "signal 11 (SIGSEGV)");
  r.term_signal = SIGABRT;
  EXPECT_EQ(describe_status(r), "signal 6 (SIGABRT)");

  r.timed_out = true;
  r.timeout = milliseconds(2000);
  EXPECT_EQ(describe_status(r), "timed out after 2.0 s");
  r.timeout = milliseconds(250);
  EXPECT_EQ(describe_status(r), "timed out after 0.25 s");
}

}  // namespace
}  // namespace casebook
