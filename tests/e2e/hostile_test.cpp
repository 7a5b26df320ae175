// End-to-end tests of hostile variants (tests/e2e/fixtures/hostile, built into a catalog of
// their own): programs that crash, hang ignoring SIGTERM, eat memory, flood their output,
// close it, leave setsid() daemons behind or hold locks on the output folder. For each, the
// real `casebook run` must complete, grade the variant `detected` or `error` with a reason a
// person understands, leave no process behind, and keep its own memory bounded.
//
// casebook is started with posix_spawn, not run_process: run_process would make this test a
// child subreaper that sweeps escaped processes, and so hide any that casebook left behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_support.hpp"

extern char** environ;

namespace casebook {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

using e2e::find_verdict;
using e2e::last_line;
using e2e::read_json;
using e2e::read_text;
using e2e::survivors;

// What one spawned casebook did, and what it left.
struct SpawnedRun {
  int exit_code = -1;  // 128 + signal when it died of one
  bool finished = false;
  double seconds = 0;
  std::string stdout_text;
  std::string stderr_text;
  long peak_rss_kib = 0;                 // casebook's own VmHWM, last read while it ran
  long wait4_rss_kib = 0;                // wait4's ru_maxrss: casebook or its largest reaped child
  std::vector<std::string> left_behind;  // processes of the run alive once casebook exited
};

long vm_hwm_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// Runs casebook with args, stdout and stderr into files in dir, watching its peak resident
// memory every 20 ms. `marker` names the run's output folder, to find what it left running.
SpawnedRun spawn_casebook(const fs::path& dir, const std::string& marker,
                          const std::vector<std::string>& args, int timeout_s = 240) {
  SpawnedRun run;
  const pid_t pid = e2e::spawn_casebook(dir, args);
  if (pid < 0) {
    ADD_FAILURE() << "cannot start " << CASEBOOK_BIN;
    return run;
  }
  const auto start = Clock::now();
  const auto give_up = start + std::chrono::seconds(timeout_s);
  int status = 0;
  rusage usage{};
  while (true) {
    run.peak_rss_kib = std::max(run.peak_rss_kib, vm_hwm_kib(pid));
    const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (Clock::now() > give_up) {
      ADD_FAILURE() << "casebook did not finish within " << timeout_s << " s; killed";
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.finished = WIFEXITED(status);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.wait4_rss_kib = usage.ru_maxrss;
  run.left_behind = survivors(marker);
  run.stdout_text = read_text(dir / "stdout");
  run.stderr_text = read_text(dir / "stderr");
  return run;
}

const json& verdict_of(const json& results, const std::string& c, const std::string& v,
                       const std::string& d) {
  static const json missing = json::object();
  const json* found = find_verdict(results, c, v, d);
  EXPECT_NE(found, nullptr) << "no verdict for " << c << "/" << v << " " << d;
  return found != nullptr ? *found : missing;
}

const json& first_trial(const json& verdict) {
  static const json missing = json::object();
  if (!verdict.contains("trials") || verdict.at("trials").empty()) return missing;
  return verdict.at("trials").at(0);
}

bool contains(const json& value, const std::string& text) {
  return value.is_string() && value.get<std::string>().find(text) != std::string::npos;
}

const std::vector<std::string> kBroken = {
    "segfault",     "abort_call",    "uncaught_terminate", "ignores_sigterm", "memory_hog",
    "output_flood", "closes_stdout", "setsid_escape",      "holds_flock",     "fork_bomb",
    "report_flood", "binary_report", "huge_outcome"};

// ---------------------------------------------------------------------------------------
// Every hostile fixture, both variants, under the plain detectors (invariant, watchdog), in
// one run; then the memory hog alone under the sanitizers, whose builds reserve terabytes of
// address space and so need a cap on resident memory instead.

class HostileRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::path(E2E_OUT_DIR) / "hostile";
    fs::remove_all(root_);
    plain_ = new SpawnedRun(spawn_casebook(
        root_ / "plain-log", (root_ / "plain").string(),
        {"run", "--bin-dir", HOSTILE_BIN_DIR, "--detectors", "invariant,watchdog", "--deflake", "1",
         "--deflake-seconds", "0", "-j", "2", "--seed", "7", "--out", (root_ / "plain").string()}));
    sanitized_ = new SpawnedRun(spawn_casebook(
        root_ / "sanitized-log", (root_ / "sanitized").string(),
        {"run", "--bin-dir", HOSTILE_BIN_DIR, "--filter", "memory_hog/broken", "--detectors",
         "tsan,asan", "-j", "2", "--seed", "7", "--out", (root_ / "sanitized").string()}));
    // What a case prints, bigger: a million race reports, odd bytes, a 200 MiB outcome file.
    reports_ = new SpawnedRun(spawn_casebook(
        root_ / "reports-log", (root_ / "reports").string(),
        {"run", "--bin-dir", HOSTILE_BIN_DIR, "--filter", "report_flood,binary_report,huge_outcome",
         "--detectors", "tsan,invariant", "--deflake", "1", "--deflake-seconds", "0", "-j", "2",
         "--seed", "7", "--out", (root_ / "reports").string()}));
    if (fs::exists(root_ / "reports" / "results.json")) {
      reports_results_ = new json(read_json(root_ / "reports" / "results.json"));
    }
    if (fs::exists(root_ / "plain" / "results.json")) {
      plain_results_ = new json(read_json(root_ / "plain" / "results.json"));
    }
    if (fs::exists(root_ / "sanitized" / "results.json")) {
      sanitized_results_ = new json(read_json(root_ / "sanitized" / "results.json"));
    }
    // Figures for the report; timings and RSS on a shared machine are noisy.
    std::printf("hostile plain run: %.1f s, casebook peak RSS %ld KiB (VmHWM), wait4 %ld KiB\n",
                plain_->seconds, plain_->peak_rss_kib, plain_->wait4_rss_kib);
    std::printf("hostile sanitized run: %.1f s, casebook peak RSS %ld KiB\n", sanitized_->seconds,
                sanitized_->peak_rss_kib);
    std::printf("hostile reports run: %.1f s, casebook peak RSS %ld KiB\n", reports_->seconds,
                reports_->peak_rss_kib);
  }
  static void TearDownTestSuite() {
    delete plain_;
    delete sanitized_;
    delete reports_;
    delete plain_results_;
    delete sanitized_results_;
    delete reports_results_;
  }
  void SetUp() override {
    ASSERT_NE(plain_results_, nullptr) << "no results.json; casebook said:\n"
                                       << plain_->stderr_text << plain_->stdout_text;
    ASSERT_NE(sanitized_results_, nullptr) << "no results.json; casebook said:\n"
                                           << sanitized_->stderr_text << sanitized_->stdout_text;
    ASSERT_NE(reports_results_, nullptr) << "no results.json; casebook said:\n"
                                         << reports_->stderr_text << reports_->stdout_text;
  }

  static fs::path root_;
  static SpawnedRun* plain_;
  static SpawnedRun* sanitized_;
  static SpawnedRun* reports_;
  static json* plain_results_;
  static json* sanitized_results_;
  static json* reports_results_;
};
fs::path HostileRun::root_;
SpawnedRun* HostileRun::plain_ = nullptr;
SpawnedRun* HostileRun::sanitized_ = nullptr;
json* HostileRun::plain_results_ = nullptr;
json* HostileRun::sanitized_results_ = nullptr;
SpawnedRun* HostileRun::reports_ = nullptr;
json* HostileRun::reports_results_ = nullptr;

TEST_F(HostileRun, CasebookCompletesAndSaysWhatFailed) {
  for (const SpawnedRun* run : {plain_, sanitized_}) {
    EXPECT_TRUE(run->finished) << run->stderr_text;
    // Graded errors are failed expectations of the variants, not of the machine: exit 1.
    EXPECT_EQ(run->exit_code, 1) << run->stdout_text << run->stderr_text;
    EXPECT_NE(run->stdout_text.find("Failed expectations:"), std::string::npos);
  }
  const json& s = plain_results_->at("summary");
  EXPECT_EQ(last_line(plain_->stdout_text),
            std::to_string(s.at("passed").get<int>()) + " passed, " +
                std::to_string(s.at("failed").get<int>()) + " failed, " +
                std::to_string(s.at("skipped").get<int>()) + " skipped");
  // Every variant, both detectors: nothing was dropped on the way.
  EXPECT_EQ(plain_results_->at("verdicts").size(), 2 * kBroken.size() * 2);
}

// casebook's own peak resident memory bound for a run through hostile output. Under a
// self-sanitizer (CASEBOOK_SELF_SANITIZE) casebook carries shadow memory, so it is looser
// there, and still far below what keeping or parsing the output whole would take.
long runner_memory_bound_kib() {
  return std::string(CASEBOOK_SELF_SANITIZE_NAME).empty() ? 128 * 1024 : 1024 * 1024;
}

TEST_F(HostileRun, AMillionRaceReportsAreReadWithinBoundsAndDetected) {
  const json& v = verdict_of(*reports_results_, "report_flood", "broken", "tsan");
  EXPECT_EQ(v.value("verdict", ""), "detected") << v.value("reason", "");
  const json& t = first_trial(v);
  EXPECT_TRUE(t.value("stderr_truncated", false)) << "600 MB cannot fit in the 1 MiB kept";
  // The reports in the 1 MiB kept, each once: a few thousand, not a million.
  const std::size_t findings = t.value("findings", json::array()).size();
  EXPECT_GT(findings, 1000u);
  EXPECT_LT(findings, 5000u);
  EXPECT_EQ(
      verdict_of(*reports_results_, "report_flood", "broken", "invariant").value("verdict", ""),
      "detected");
  EXPECT_GT(reports_->peak_rss_kib, 0);
  EXPECT_LT(reports_->peak_rss_kib, runner_memory_bound_kib()) << "casebook's VmHWM in KiB";
  EXPECT_TRUE(reports_->left_behind.empty());
}

TEST_F(HostileRun, OddBytesComeThroughAsPrintableTextInEveryFile) {
  const json& v = verdict_of(*reports_results_, "binary_report", "broken", "tsan");
  EXPECT_EQ(v.value("verdict", ""), "detected") << v.value("reason", "");
  const json& t = first_trial(v);
  ASSERT_FALSE(t.value("findings", json::array()).empty());
  const json& finding = t.at("findings").at(0);
  // NUL as its Control Picture, ESC too, invalid bytes as U+FFFD: shown, not dropped.
  EXPECT_TRUE(contains(finding.at("summary"), "caf\uFFFD \u2400nul \u241B[31mred"))
      << finding.at("summary");
  EXPECT_TRUE(contains(t.at("stderr_tail"), "\u2400\u2401\u2402")) << t.at("stderr_tail");
  // results.json parsed strictly (SetUp); JUnit beside it has no byte XML 1.0 refuses.
  const std::string junit = read_text(root_ / "reports" / "junit.xml");
  ASSERT_FALSE(junit.empty());
  for (const char c : junit) {
    const auto byte = static_cast<unsigned char>(c);
    ASSERT_FALSE(byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r')
        << "junit.xml holds control byte " << static_cast<int>(byte);
  }
}

TEST_F(HostileRun, AHugeOutcomeFileIsNotReadAndTheFindingSaysWhy) {
  const json& v = verdict_of(*reports_results_, "huge_outcome", "broken", "invariant");
  EXPECT_EQ(v.value("verdict", ""), "missed") << v.value("reason", "");
  const json& t = first_trial(v);
  EXPECT_TRUE(t.at("outcome").is_null());
  ASSERT_FALSE(t.value("findings", json::array()).empty());
  EXPECT_TRUE(contains(t.at("findings").at(0).at("summary"),
                       "without reporting an outcome (its outcome file is 200 MiB, more than "
                       "the 16 MiB casebook reads: ignored)"))
      << t.at("findings").at(0).at("summary");
  // The other detector, which does not read outcomes, is not troubled by it.
  EXPECT_EQ(verdict_of(*reports_results_, "huge_outcome", "broken", "tsan").value("verdict", ""),
            "clean");
}

TEST_F(HostileRun, NoProcessOfEitherRunIsLeft) {
  EXPECT_TRUE(plain_->left_behind.empty())
      << "left behind: " << ::testing::PrintToString(plain_->left_behind);
  EXPECT_TRUE(sanitized_->left_behind.empty())
      << "left behind: " << ::testing::PrintToString(sanitized_->left_behind);
}

TEST_F(HostileRun, CrashesAreDetectedAndTheSignalNamed) {
  const std::vector<std::pair<std::string, std::string>> crashes = {
      {"segfault", "signal 11 (SIGSEGV)"},
      {"abort_call", "signal 6 (SIGABRT)"},
      {"uncaught_terminate", "signal 6 (SIGABRT)"}};
  for (const auto& [name, status] : crashes) {
    const json& v = verdict_of(*plain_results_, name, "broken", "invariant");
    EXPECT_EQ(v.value("verdict", ""), "detected") << name << ": " << v.value("reason", "");
    const json& t = first_trial(v);
    EXPECT_EQ(t.value("status", ""), status) << name;
    ASSERT_FALSE(t.value("findings", json::array()).empty()) << name;
    EXPECT_EQ(t.at("findings").at(0).at("kind"), "crash");
    EXPECT_TRUE(
        contains(t.at("findings").at(0).at("summary"), status + " without reporting an outcome"))
        << t.at("findings").at(0).at("summary");
    // A crash is not a hang.
    EXPECT_EQ(verdict_of(*plain_results_, name, "broken", "watchdog").value("verdict", ""),
              "clean");
  }
  // std::terminate's own account of why survives into the results.
  const json& t =
      first_trial(verdict_of(*plain_results_, "uncaught_terminate", "broken", "invariant"));
  EXPECT_TRUE(contains(t.at("stderr_tail"), "terminate called after throwing")) << t;
  EXPECT_TRUE(contains(t.at("stderr_tail"), "record 17 is malformed")) << t;
}

TEST_F(HostileRun, LoopIgnoringSigtermIsAHangAndKilled) {
  const json& hang = verdict_of(*plain_results_, "ignores_sigterm", "broken", "watchdog");
  EXPECT_EQ(hang.value("verdict", ""), "detected") << hang.value("reason", "");
  const json& t = first_trial(hang);
  EXPECT_TRUE(t.value("timed_out", false));
  EXPECT_EQ(t.value("signal", json()), SIGKILL) << "SIGTERM is ignored; only SIGKILL ends it";
  EXPECT_TRUE(contains(t.at("findings").at(0).at("summary"), "no exit within its 2.0 s timeout"));
  // 2 s timeout, the stacks, then SIGTERM and SIGKILL 2 s later: not much more.
  EXPECT_LT(t.value("duration_seconds", 1e9), 60.0);
  // The invariant detector saw no outcome: an error that says why.
  const json& inv = verdict_of(*plain_results_, "ignores_sigterm", "broken", "invariant");
  EXPECT_EQ(inv.value("verdict", ""), "error");
  EXPECT_TRUE(contains(inv.at("reason"), "timed out before returning an outcome"))
      << inv.at("reason");
}

TEST_F(HostileRun, MemoryHogIsStoppedAtItsCapInEveryConfiguration) {
  const std::vector<std::pair<const json*, std::string>> pairs = {{plain_results_, "invariant"},
                                                                  {plain_results_, "watchdog"},
                                                                  {sanitized_results_, "tsan"},
                                                                  {sanitized_results_, "asan"}};
  for (const auto& [results, detector] : pairs) {
    const json& v = verdict_of(*results, "memory_hog", "broken", detector);
    EXPECT_EQ(v.value("verdict", ""), "error") << detector << ": " << v.value("reason", "");
    EXPECT_FALSE(v.value("infrastructure", true)) << detector << ": the variant's fault";
    EXPECT_TRUE(contains(v.at("reason"), "memory limit of 256 MiB exceeded"))
        << detector << ": " << v.at("reason");
    EXPECT_EQ(v.at("trials").size(), 1u) << detector << ": a blown limit is not retried";
    const json& t = first_trial(v);
    EXPECT_FALSE(t.value("timed_out", true)) << detector << ": the cap, not the timeout";
    EXPECT_EQ(t.value("signal", json()), SIGKILL) << detector;
  }
}

// The fork bomb declares a cap of 64 tasks. With a pids cgroup (root here, and in CI) the
// kernel refuses the 65th and the runner kills them all at once; without one, the runner's
// count of the group every 100 ms is what stops it. Either way: an error naming the cap, well
// before the timeout, and nothing left (NoProcessOfEitherRunIsLeft).
TEST_F(HostileRun, ForkBombIsStoppedAtItsTaskCap) {
  const std::string task_cap = plain_results_->at("environment").value("task_cap", "");
  ASSERT_FALSE(task_cap.empty()) << "results.json says nothing of where the task cap lives";
  const bool cgroup = task_cap.rfind("cgroup", 0) == 0;
  std::printf("task cap: %s\n", task_cap.c_str());
  for (const char* detector : {"invariant", "watchdog"}) {
    const json& v = verdict_of(*plain_results_, "fork_bomb", "broken", detector);
    EXPECT_EQ(v.value("verdict", ""), "error") << detector << ": " << v.value("reason", "");
    EXPECT_FALSE(v.value("infrastructure", true)) << detector << ": the variant's fault";
    const std::string said = cgroup ? "hit its cap of 64 processes and threads (a fork bomb?)"
                                    : "more than 64 processes in its group at once (a fork bomb?)";
    EXPECT_TRUE(contains(v.at("reason"), said)) << detector << ": " << v.at("reason");
    EXPECT_EQ(v.at("trials").size(), 1u) << detector << ": a blown limit is not retried";
    const json& t = first_trial(v);
    EXPECT_FALSE(t.value("timed_out", true)) << detector << ": the cap, not the timeout";
    EXPECT_LT(t.value("duration_seconds", 1e9), 8.0) << detector;
  }
}

TEST_F(HostileRun, OutputFloodIsDrainedAndCappedWithTheRunnerSmall) {
  const json& v = verdict_of(*plain_results_, "output_flood", "broken", "invariant");
  EXPECT_EQ(v.value("verdict", ""), "detected") << v.value("reason", "");
  const json& t = first_trial(v);
  EXPECT_FALSE(t.value("timed_out", true)) << "a runner that stopped reading blocks the child";
  EXPECT_EQ(t.value("status", ""), "exit 0");
  EXPECT_TRUE(t.value("stdout_truncated", false));
  EXPECT_TRUE(t.value("stderr_truncated", false));
  EXPECT_EQ(t.at("outcome").value("observed", ""), std::to_string(2LL << 30))
      << "every byte went out";
  // The tail kept for the results is bounded by bytes too, not only lines.
  EXPECT_LE(t.value("stderr_tail", "").size(), 4200u);
  // 2 GiB went through casebook (twice: the watchdog ran it too) while it kept 1 MiB per
  // stream. Its own peak stays small; a runner that kept the output would pass 2 GiB.
  // Under a self-sanitizer (CASEBOOK_SELF_SANITIZE) casebook itself carries shadow memory, so
  // the bound is looser there, and still far below what keeping the output would take.
  EXPECT_GT(plain_->peak_rss_kib, 0);
  EXPECT_LT(plain_->peak_rss_kib, runner_memory_bound_kib()) << "casebook's VmHWM in KiB";
}

TEST_F(HostileRun, ClosedStdoutIsNotMistakenForTheEnd) {
  const json& v = verdict_of(*plain_results_, "closes_stdout", "broken", "invariant");
  EXPECT_EQ(v.value("verdict", ""), "detected") << v.value("reason", "");
  const json& t = first_trial(v);
  EXPECT_EQ(t.value("status", ""), "exit 0");
  EXPECT_FALSE(t.value("timed_out", true));
  EXPECT_GE(t.value("duration_seconds", 0.0), 0.5) << "waited for the exit, not for EOF";
  EXPECT_EQ(t.at("outcome").value("observed", ""), "0");
}

TEST_F(HostileRun, SetsidDaemonsAreKilled) {
  const json& v = verdict_of(*plain_results_, "setsid_escape", "broken", "invariant");
  EXPECT_EQ(v.value("verdict", ""), "detected") << v.value("reason", "");
  EXPECT_EQ(first_trial(v).value("status", ""), "exit 0");
  // The daemons held stdout; killing them, not the drain's time limit, ended the trial.
  EXPECT_LT(first_trial(v).value("duration_seconds", 1e9), 30.0);
  EXPECT_TRUE(plain_->left_behind.empty())
      << "left behind: " << ::testing::PrintToString(plain_->left_behind);
}

TEST_F(HostileRun, LocksOnTheOutputFolderDoNotStopTheResults) {
  const json& v = verdict_of(*plain_results_, "holds_flock", "broken", "watchdog");
  EXPECT_EQ(v.value("verdict", ""), "detected") << v.value("reason", "");
  EXPECT_TRUE(first_trial(v).value("timed_out", false));
  EXPECT_EQ(verdict_of(*plain_results_, "holds_flock", "broken", "invariant").value("verdict", ""),
            "error");
  // results.json was written (SetUp read it) and junit.xml beside it; the holder is gone, so
  // the same locks are free now.
  const fs::path out = root_ / "plain";
  EXPECT_TRUE(fs::exists(out / "junit.xml"));
  for (const fs::path& p : {out, out / "results.json"}) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0) << p;
    EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0) << p << " is still locked";
    ::close(fd);
  }
}

TEST_F(HostileRun, WellBehavedTwinsStayClean) {
  for (const auto& name : kBroken) {
    for (const char* d : {"invariant", "watchdog"}) {
      const json& v = verdict_of(*plain_results_, name, "fixed", d);
      EXPECT_EQ(v.value("verdict", ""), "clean")
          << name << " " << d << ": " << v.value("reason", "");
    }
  }
}

// ---------------------------------------------------------------------------------------
// An output folder that cannot be created. Permission bits do not stop root, so the folder
// is asked for under a regular file, which fails for everyone.

TEST(HostileInput, OutputFolderThatCannotBeCreatedIsAnInfrastructureError) {
  const fs::path dir = fs::path(E2E_OUT_DIR) / "hostile-unwritable";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / "a-file";
  { std::ofstream(file) << "keep me"; }
  const fs::path out = file / "results";
  const SpawnedRun run = spawn_casebook(
      dir / "log", out.string(),
      {"run", "--bin-dir", HOSTILE_BIN_DIR, "--filter", "segfault", "--out", out.string()});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("cannot create the output folder '" + out.string() + "'"),
            std::string::npos)
      << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("Not a directory"), std::string::npos) << run.stderr_text;
  EXPECT_EQ(read_text(file), "keep me");
  EXPECT_TRUE(run.left_behind.empty());
}

}  // namespace
}  // namespace casebook
