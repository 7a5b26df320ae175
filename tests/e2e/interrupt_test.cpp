// End-to-end tests of interrupting `casebook run`: SIGINT or SIGTERM kills every child,
// writes the results so far marked interrupted, and exits 130 or 143; a second signal exits
// at once. No process of the run may outlive it.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdlib>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cli_support.hpp"

extern char** environ;

namespace casebook {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using e2e::read_json;
using e2e::read_text;
using e2e::survivors;

// Starts casebook in the background with its output in files under out.
pid_t start_casebook(const fs::path& out, const std::vector<std::string>& args) {
  fs::remove_all(out);
  const pid_t pid = e2e::spawn_casebook(out, args);
  EXPECT_GT(pid, 0) << "cannot start " << CASEBOOK_BIN;
  return pid;
}

// Waits for a trial to be running: its folder appears under <results>/trials.
void wait_for_a_trial(const fs::path& results) {
  const auto give_up = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < give_up) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(results / "trials", ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->path().filename() == "0") return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "no trial started within 60 s";
}

int wait_exit(pid_t pid, double& seconds) {
  const auto start = Clock::now();
  const int code = e2e::wait_exit(pid);
  seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return code;
}

// Hangs (10 s timeouts) and slow TSan trials: a run that is surely busy when interrupted.
const std::vector<std::string> kBusyRun = {
    "run", "--filter", "lock_order_deadlock,shutdown_hang,unlocked_counter", "--seed", "3",
    "-j",  "2"};

std::vector<std::string> with_out(const fs::path& results) {
  auto args = kBusyRun;
  args.insert(args.end(), {"--out", results.string()});
  return args;
}

TEST(Interrupt, SigintWritesTheResultsSoFarAndExits130) {
  const fs::path dir = fs::path(E2E_OUT_DIR) / "interrupt-int";
  const fs::path results = dir / "results";
  const pid_t pid = start_casebook(dir, with_out(results));
  wait_for_a_trial(results);
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  double seconds = 0;
  EXPECT_EQ(wait_exit(pid, seconds), 130) << read_text(dir / "stderr");
  EXPECT_LT(seconds, 10.0) << "the run must stop promptly, not finish its hangs";
  const auto json = read_json(results / "results.json");
  EXPECT_TRUE(json.at("interrupted").get<bool>());
  EXPECT_LT(json.at("verdicts").size(), 24u) << "an interrupted run has not done everything";
  EXPECT_NE(read_text(dir / "stdout").find("Interrupted by signal 2"), std::string::npos);
  EXPECT_TRUE(survivors(results.string()).empty())
      << "left behind: " << ::testing::PrintToString(survivors(results.string()));
}

TEST(Interrupt, SigtermExits143) {
  const fs::path dir = fs::path(E2E_OUT_DIR) / "interrupt-term";
  const fs::path results = dir / "results";
  const pid_t pid = start_casebook(dir, with_out(results));
  wait_for_a_trial(results);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  double seconds = 0;
  EXPECT_EQ(wait_exit(pid, seconds), 143) << read_text(dir / "stderr");
  EXPECT_TRUE(read_json(results / "results.json").at("interrupted").get<bool>());
  EXPECT_TRUE(survivors(results.string()).empty());
}

TEST(Interrupt, ASecondSignalExitsAtOnceAndStillLeavesNoChild) {
  const fs::path dir = fs::path(E2E_OUT_DIR) / "interrupt-twice";
  const fs::path results = dir / "results";
  // Quitting at once means _exit() with the runner's threads still alive, on purpose. In the
  // self-TSan build that is a thread-leak report, which TSan turns into exit code 66; tell it
  // not to report leaks for this one run (casebook inherits the variable).
  const char* before = std::getenv("TSAN_OPTIONS");
  const std::string saved = before ? before : "";
  ::setenv("TSAN_OPTIONS", (saved + (saved.empty() ? "" : " ") + "report_thread_leaks=0").c_str(),
           1);
  const pid_t pid = start_casebook(dir, with_out(results));
  if (before) {
    ::setenv("TSAN_OPTIONS", saved.c_str(), 1);
  } else {
    ::unsetenv("TSAN_OPTIONS");
  }
  wait_for_a_trial(results);
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  double seconds = 0;
  EXPECT_EQ(wait_exit(pid, seconds), 130) << read_text(dir / "stderr");
  EXPECT_LT(seconds, 3.0);
  // The children were sent SIGKILL; give the kernel a moment to finish them off.
  const auto give_up = Clock::now() + std::chrono::seconds(5);
  while (!survivors(results.string()).empty() && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(survivors(results.string()).empty())
      << "left behind: " << ::testing::PrintToString(survivors(results.string()));
}

}  // namespace
}  // namespace casebook
