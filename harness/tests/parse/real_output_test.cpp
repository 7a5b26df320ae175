// real_output_test.cpp - the parsers on output the sanitizers and gdb really print: each test
// runs one of the buggy programs in programs/ (built by this folder's CMakeLists.txt with the
// project's compiler) under the options the runner uses, and checks that the parsed findings
// name the bug, the repo-relative file and the line marked in the program's source.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include "parse/asan_parser.hpp"
#include "parse/eu_stack_parser.hpp"
#include "parse/gdb_parser.hpp"
#include "parse/tsan_parser.hpp"
#include "program_findings.hpp"
#include "run_program.hpp"

extern char** environ;

namespace casebook {
namespace {

using testing::find_kind;
using testing::has_frame_at;
using testing::ProgramOutput;
using testing::relative_source;
using testing::run_program;
using testing::stack_has_frame_at;

constexpr const char* kRoot = CASEBOOK_SOURCE_ROOT;

const std::vector<std::pair<std::string, std::string>> kTsanEnv = {
    {"TSAN_OPTIONS", "halt_on_error=0 history_size=7 second_deadlock_stack=1 log_path=@LOG@"}};
// Both runtimes get the same log_path: clang's combined runtime keeps the last one it parses.
const std::vector<std::pair<std::string, std::string>> kAsanEnv = {
    {"ASAN_OPTIONS", "log_path=@LOG@:detect_leaks=1"},
    {"UBSAN_OPTIONS", "print_stacktrace=1:report_error_type=1:log_path=@LOG@"}};

// The line of `program`'s source holding `marker`.
int expected_line(const std::string& program, const std::string& marker = "RACE-LINE") {
  return testing::expected_line(kRoot, program, marker);
}

std::string describe(const std::vector<Finding>& findings, const ProgramOutput& out) {
  std::string text = "exit " + std::to_string(out.exit_code) + "; kinds:";
  for (const auto& f : findings) text += " " + f.tool + "/" + f.kind;
  return text + "\n--- log:\n" + out.log_text + "\n--- stderr:\n" + out.stderr_text;
}

TEST(RealTsanOutput, DataRaceOnAGlobal) {
  const std::string program = "tsan_data_race";
  ProgramOutput out = run_program(PARSE_PROGRAM_TSAN_DATA_RACE, kTsanEnv);
  auto findings = parse_tsan(out.log_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  EXPECT_EQ(out.exit_code, 66);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "tsan");
  EXPECT_EQ(f.kind, "data-race");
  EXPECT_EQ(f.location, "global 'counter' of size 8");
  ASSERT_GE(f.stacks.size(), 2u);
  // Both accesses are on the marked line, each in its own thread.
  for (int i = 0; i < 2; ++i) {
    ASSERT_FALSE(f.stacks[i].frames.empty());
    EXPECT_EQ(f.stacks[i].frames[0].file, relative_source(program));
    EXPECT_EQ(f.stacks[i].frames[0].line, expected_line(program));
    EXPECT_EQ(f.stacks[i].thread.substr(0, 1), "T");
  }
  EXPECT_NE(f.stacks[0].thread, f.stacks[1].thread);
  EXPECT_EQ(f.summary.rfind("data race harness/tests/parse/programs/tsan_data_race.cpp:", 0), 0u);
  EXPECT_EQ(f.raw.rfind("WARNING: ThreadSanitizer: data race", 0), 0u);
}

TEST(RealTsanOutput, ReportOnStderrMixedWithProgramOutput) {
  // No log_path: the report goes to stderr, which here shares a file with stdout.
  ProgramOutput out =
      run_program(PARSE_PROGRAM_TSAN_DATA_RACE,
                  {{"TSAN_OPTIONS", "halt_on_error=0 history_size=7 second_deadlock_stack=1"}},
                  /*merge_output=*/true);
  EXPECT_NE(out.stdout_text.find("counter="), std::string::npos);
  auto findings = parse_tsan(out.stdout_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "data-race");
  EXPECT_TRUE(has_frame_at(findings[0], relative_source("tsan_data_race"),
                           expected_line("tsan_data_race")));
}

TEST(RealTsanOutput, LockOrderInversion) {
  const std::string program = "tsan_lock_order";
  ProgramOutput out = run_program(PARSE_PROGRAM_TSAN_LOCK_ORDER, kTsanEnv);
  auto findings = parse_tsan(out.log_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  const Finding* f = find_kind(findings, "lock-order-inversion");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->mutexes.size(), 2u);
  ASSERT_EQ(f->lock_cycle.size(), 3u);
  EXPECT_EQ(f->lock_cycle[0], f->lock_cycle[2]);
  EXPECT_NE(f->lock_cycle[0], f->lock_cycle[1]);
  for (const auto& id : f->lock_cycle) {
    EXPECT_NE(std::find(f->mutexes.begin(), f->mutexes.end(), id), f->mutexes.end()) << id;
  }
  // second_deadlock_stack=1: both acquisitions of each edge, then the threads' creation.
  ASSERT_GE(f->stacks.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(f->stacks[i].title.rfind("Mutex M", 0), 0u) << f->stacks[i].title;
    EXPECT_EQ(f->stacks[i].thread.substr(0, 1), "T") << f->stacks[i].title;
  }
  EXPECT_EQ(f->stacks[0].thread, f->stacks[1].thread);
  EXPECT_NE(f->stacks[0].thread, f->stacks[2].thread);
  EXPECT_TRUE(has_frame_at(*f, relative_source(program), expected_line(program)));
  EXPECT_TRUE(has_frame_at(*f, relative_source(program), expected_line(program, "FIRST-ORDER")));
}

TEST(RealTsanOutput, ThreadLeak) {
  const std::string program = "tsan_thread_leak";
  ProgramOutput out = run_program(PARSE_PROGRAM_TSAN_THREAD_LEAK, kTsanEnv);
  auto findings = parse_tsan(out.log_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  const Finding* f = find_kind(findings, "thread-leak");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->stacks.size(), 1u);
  EXPECT_EQ(f->stacks[0].thread, "main thread");
  EXPECT_EQ(f->stacks[0].title.rfind("Thread T1 (tid=", 0), 0u);
  EXPECT_TRUE(stack_has_frame_at(f->stacks[0], relative_source(program), expected_line(program)));
}

TEST(RealTsanOutput, DoubleLockAndUnlockOfUnlockedMutex) {
  const std::string program = "tsan_mutex_misuse";
  ProgramOutput out = run_program(PARSE_PROGRAM_TSAN_MUTEX_MISUSE, kTsanEnv);
  auto findings = parse_tsan(out.log_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  ASSERT_EQ(findings.size(), 2u);
  const Finding* twice = find_kind(findings, "double-lock");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(twice->location, "global 'abandoned' of size 40");
  EXPECT_EQ(twice->mutexes.size(), 1u);
  ASSERT_FALSE(twice->stacks.empty());
  EXPECT_TRUE(stack_has_frame_at(twice->stacks[0], relative_source(program),
                                 expected_line(program, "DOUBLE-LOCK-LINE")));
  const Finding* unlock = find_kind(findings, "unlock-of-unlocked-mutex");
  ASSERT_NE(unlock, nullptr);
  EXPECT_EQ(unlock->location, "global 'never_locked' of size 40");
  ASSERT_FALSE(unlock->stacks.empty());
  EXPECT_TRUE(stack_has_frame_at(unlock->stacks[0], relative_source(program),
                                 expected_line(program, "UNLOCK-LINE")));
}

TEST(RealTsanOutput, DestroyOfLockedMutex) {
  const std::string program = "tsan_destroy_locked";
  ProgramOutput out = run_program(PARSE_PROGRAM_TSAN_DESTROY_LOCKED, kTsanEnv);
  auto findings = parse_tsan(out.log_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  const Finding* f = find_kind(findings, "destroy-of-locked-mutex");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->mutexes.size(), 1u);
  EXPECT_EQ(f->location, "stack of main thread");
  ASSERT_FALSE(f->stacks.empty());
  EXPECT_TRUE(stack_has_frame_at(f->stacks[0], relative_source(program), expected_line(program)));
}

TEST(RealAsanOutput, HeapUseAfterFree) {
  const std::string program = "asan_use_after_free";
  ProgramOutput out = run_program(PARSE_PROGRAM_ASAN_USE_AFTER_FREE, kAsanEnv);
  auto findings = parse_asan(out.log_text + out.stderr_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "asan");
  EXPECT_EQ(f.kind, "heap-use-after-free");
  EXPECT_EQ(f.location, "8 bytes inside of 80-byte region");
  ASSERT_EQ(f.stacks.size(), 4u);
  ASSERT_FALSE(f.stacks[0].frames.empty());
  EXPECT_EQ(f.stacks[0].title.rfind("WRITE of size 8 at 0x", 0), 0u);
  EXPECT_EQ(f.stacks[0].thread, "T1");
  EXPECT_EQ(f.stacks[0].frames[0].file, relative_source(program));
  EXPECT_EQ(f.stacks[0].frames[0].line, expected_line(program));
  EXPECT_EQ(f.stacks[1].title, "freed by thread T0 here");
  EXPECT_EQ(f.stacks[2].title, "previously allocated by thread T0 here");
  EXPECT_EQ(f.stacks[3].title, "Thread T1 created by T0 here");
  EXPECT_EQ(f.summary.rfind("heap-use-after-free " + relative_source(program) + ":", 0), 0u);
}

TEST(RealAsanOutput, MemoryLeak) {
  const std::string program = "lsan_leak";
  ProgramOutput out = run_program(PARSE_PROGRAM_LSAN_LEAK, kAsanEnv);
  auto findings = parse_asan(out.log_text + out.stderr_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "lsan");
  EXPECT_EQ(f.kind, "memory-leak");
  EXPECT_EQ(f.summary, "40 byte(s) leaked in 1 allocation(s).");
  ASSERT_EQ(f.stacks.size(), 1u);
  EXPECT_EQ(f.stacks[0].title, "Direct leak of 40 byte(s) in 1 object(s) allocated from");
  EXPECT_TRUE(stack_has_frame_at(f.stacks[0], relative_source(program), expected_line(program)));
}

TEST(RealAsanOutput, SignedOverflow) {
  const std::string program = "ubsan_overflow";
  ProgramOutput out = run_program(PARSE_PROGRAM_UBSAN_OVERFLOW, kAsanEnv);
  // gcc's libubsan ignores log_path and writes to stderr; clang's follows log_path.
  auto findings = parse_asan(out.log_text + out.stderr_text, kRoot);
  SCOPED_TRACE(describe(findings, out));
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.tool, "ubsan");
  EXPECT_EQ(f.kind, "signed-integer-overflow");
  ASSERT_EQ(f.stacks.size(), 1u);
  ASSERT_FALSE(f.stacks[0].frames.empty());
  EXPECT_EQ(f.stacks[0].frames[0].file, relative_source(program));
  EXPECT_EQ(f.stacks[0].frames[0].line, expected_line(program));
  EXPECT_NE(f.summary.find(relative_source(program) + ":"), std::string::npos) << f.summary;
}

// --- gdb ---------------------------------------------------------------------------------------

bool tool_available(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t pos = 0;
  while (pos <= dirs.size()) {
    std::size_t colon = dirs.find(':', pos);
    if (colon == std::string::npos) colon = dirs.size();
    std::string candidate = dirs.substr(pos, colon - pos) + "/" + tool;
    if (access(candidate.c_str(), X_OK) == 0) return true;
    pos = colon + 1;
  }
  return false;
}

bool gdb_available() {
  return tool_available("gdb");
}

std::string run_capture(const std::string& command) {
  std::string text;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  pclose(pipe);
  return text;
}

// The blocked program, killed when the test ends.
class BlockedProgram {
 public:
  BlockedProgram() {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char* argv[] = {const_cast<char*>(PARSE_PROGRAM_GDB_BLOCKED), nullptr};
    if (posix_spawn(&pid_, PARSE_PROGRAM_GDB_BLOCKED, &actions, nullptr, argv, environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    // Wait (at most 30 s) for its "ready".
    std::string seen;
    pollfd pfd{fds[0], POLLIN, 0};
    while (pid_ > 0 && seen.find("ready") == std::string::npos && poll(&pfd, 1, 30000) > 0) {
      char buffer[64];
      ssize_t n = read(fds[0], buffer, sizeof buffer);
      if (n <= 0) break;
      seen.append(buffer, static_cast<std::size_t>(n));
    }
    ready_ = seen.find("ready") != std::string::npos;
    close(fds[0]);
  }
  ~BlockedProgram() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  BlockedProgram(const BlockedProgram&) = delete;
  BlockedProgram& operator=(const BlockedProgram&) = delete;

  pid_t pid() const { return pid_; }
  bool ready() const { return ready_; }

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
};

// What a stack tool printed for the blocked program, parsed, and which stack is the waiter's
// (the one with a frame on gdb_blocked's marked line; -1 when none is).
struct BlockedCapture {
  std::string text;
  std::vector<Stack> stacks;
  int waiter = -1;
  bool refused = false;  // the tool may not attach here (ptrace refused)
};

// Runs `command` until the waiter shows on its marked line (it may still be on its way into
// pthread_mutex_lock), at most 20 times 200 ms apart; stops early when the output holds one of
// `refusals`.
BlockedCapture capture_blocked(const std::string& command,
                               std::vector<Stack> (*parse)(std::string_view, std::string_view),
                               const std::vector<std::string>& refusals) {
  const std::string program = "gdb_blocked";
  BlockedCapture c;
  for (int attempt = 0; attempt < 20 && c.waiter < 0; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    c.text = run_capture(command);
    testing::keep_as_fuzz_seed(
        "blocked-" + std::to_string(std::hash<std::string>{}(command) % 1000000) + ".txt", c.text);
    for (const auto& refusal : refusals) {
      if (c.text.find(refusal) != std::string::npos) c.refused = true;
    }
    if (c.refused) return c;
    c.stacks = parse(c.text, kRoot);
    for (std::size_t i = 0; i < c.stacks.size(); ++i) {
      if (stack_has_frame_at(c.stacks[i], relative_source(program), expected_line(program))) {
        c.waiter = static_cast<int>(i);
      }
    }
  }
  return c;
}

// True when a frame between the top of `frames` and `below` is in a lock: the lock the program
// is stuck in, under its own frame.
bool lock_frame_before(const std::vector<Frame>& frames, std::vector<Frame>::const_iterator below) {
  return std::any_of(frames.begin(), below,
                     [](const Frame& f) { return f.function.find("lock") != std::string::npos; });
}

TEST(RealGdbOutput, BacktraceOfABlockedThread) {
  if (!gdb_available()) GTEST_SKIP() << "gdb is not installed";
  BlockedProgram blocked;
  ASSERT_TRUE(blocked.ready()) << "the blocked program did not start";
  const BlockedCapture c = capture_blocked(
      "timeout 60 gdb -batch -nx -p " + std::to_string(blocked.pid()) +
          " -ex 'thread apply all bt' 2>&1",
      parse_gdb_backtrace, {"ptrace: Operation not permitted", "Could not attach to process"});
  if (c.refused) GTEST_SKIP() << "gdb may not attach here:\n" << c.text;
  ASSERT_GE(c.waiter, 0) << c.text;
  EXPECT_EQ(c.stacks.size(), 2u) << c.text;
  const Stack& waiter = c.stacks[static_cast<std::size_t>(c.waiter)];
  EXPECT_EQ(waiter.thread.rfind("Thread ", 0), 0u);
  EXPECT_NE(waiter.thread.find("(LWP "), std::string::npos);
  EXPECT_EQ(waiter.title.rfind(waiter.thread.substr(0, waiter.thread.find(' ', 7)), 0), 0u);
  auto at_waiter = std::find_if(waiter.frames.begin(), waiter.frames.end(), [](const Frame& f) {
    return f.function == "casebook_blocked_waiter";
  });
  ASSERT_NE(at_waiter, waiter.frames.end()) << c.text;
  EXPECT_TRUE(lock_frame_before(waiter.frames, at_waiter)) << c.text;
}

// The same blocked program through eu-stack (elfutils), as the watchdog takes stacks first.
TEST(RealEuStackOutput, BacktraceOfABlockedThread) {
  if (!tool_available("eu-stack")) GTEST_SKIP() << "eu-stack (elfutils) is not installed";
  BlockedProgram blocked;
  ASSERT_TRUE(blocked.ready()) << "the blocked program did not start";
  const BlockedCapture c =
      capture_blocked("timeout 60 eu-stack -p " + std::to_string(blocked.pid()) + " -i -s -m 2>&1",
                      parse_eu_stack, {"Operation not permitted"});
  if (c.refused) GTEST_SKIP() << "eu-stack may not attach here:\n" << c.text;
  ASSERT_GE(c.waiter, 0) << c.text;
  EXPECT_EQ(c.stacks.size(), 2u) << c.text;
  EXPECT_EQ(c.stacks[0].thread.rfind("Thread 1 (LWP " + std::to_string(blocked.pid()) + ")", 0), 0u)
      << c.text;
  const Stack& waiter = c.stacks[static_cast<std::size_t>(c.waiter)];
  auto at_waiter = std::find_if(waiter.frames.begin(), waiter.frames.end(), [](const Frame& f) {
    return f.function.rfind("casebook_blocked_waiter", 0) == 0;
  });
  ASSERT_NE(at_waiter, waiter.frames.end()) << c.text;
  EXPECT_EQ(at_waiter->module, "casebook-parse-prog-gdb_blocked");
  EXPECT_TRUE(lock_frame_before(waiter.frames, at_waiter)) << c.text;
}

}  // namespace
}  // namespace casebook
