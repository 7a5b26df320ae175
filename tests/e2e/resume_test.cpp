// End-to-end tests of `casebook run --resume DIR` and of one run per output folder: a run
// killed with SIGKILL at random points, several times over, and resumed each time, ends with
// the verdicts of a run never interrupted, pair for pair; a finished run resumed keeps every
// verdict as it was; a run with other options, or a folder with no run in it, is refused with
// a message and nothing overwritten; a second run in a folder another run is writing to is
// stopped at once.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "cli_support.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using e2e::read_json;
using e2e::read_text;
using e2e::wait_exit;
using nlohmann::json;

// Hang trials (lock_order_deadlock), deflaked races and clean twins under four detectors: 24
// pairs, about 5 s on two cores, so a kill can land before, in and between them.
const std::vector<std::string> kRun = {"run",
                                       "--filter",
                                       "unlocked_counter,lock_order_deadlock,forgotten_join",
                                       "--detectors",
                                       "tsan,asan,watchdog,invariant",
                                       "-j",
                                       "2"};

std::vector<std::string> args_with(std::vector<std::string> extra) {
  std::vector<std::string> args = kRun;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// (case/variant detector) -> "verdict passed|failed".
std::map<std::string, std::string> verdicts_of(const json& results) {
  std::map<std::string, std::string> out;
  for (const auto& v : results.at("verdicts")) {
    out[v.at("case").get<std::string>() + "/" + v.at("variant").get<std::string>() + " " +
        v.at("detector").get<std::string>()] =
        v.at("verdict").get<std::string>() + (v.at("passed").get<bool>() ? " passed" : " failed");
  }
  return out;
}

// How many pairs the run journal in out holds (0 without one).
std::size_t graded_in_journal(const fs::path& out) {
  const std::string text = read_text(out / "run-journal.jsonl");
  std::size_t lines = 0;
  for (std::size_t at = text.find("\"verdict\":{"); at != std::string::npos;
       at = text.find("\"verdict\":{", at + 1)) {
    ++lines;
  }
  return lines;
}

void expect_no_survivors(const fs::path& out) {
  const auto give_up = Clock::now() + std::chrono::seconds(10);
  while (!e2e::survivors(out.string()).empty() && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(e2e::survivors(out.string()).empty())
      << "left behind by the killed run: "
      << ::testing::PrintToString(e2e::survivors(out.string()));
}

TEST(Resume, KilledAtRandomPointsAndResumedGivesTheUninterruptedVerdicts) {
  const fs::path dir = fs::path(E2E_OUT_DIR) / "resume-kill";
  fs::remove_all(dir);
  const fs::path whole = dir / "whole";
  const ProcessResult uninterrupted = e2e::run_cli(args_with({"--seed", "11", "--out", whole}));
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.stderr_text;
  const auto expected = verdicts_of(read_json(whole / "results.json"));

  // The kill points are random; their seed is in the test's output, and
  // CASEBOOK_RESUME_KILL_SEED=<seed> replays a failure's draws.
  const char* replay = std::getenv("CASEBOOK_RESUME_KILL_SEED");
  const unsigned seed =
      replay != nullptr ? static_cast<unsigned>(std::stoul(replay)) : std::random_device{}();
  std::mt19937 random(seed);
  SCOPED_TRACE("kill-point seed " + std::to_string(seed));
  const fs::path out = dir / "killed";
  std::vector<std::string> args = args_with({"--seed", "11", "--out", out});
  for (int round = 0; round < 3; ++round) {
    const pid_t pid = e2e::spawn_casebook(dir / ("round" + std::to_string(round)), args);
    ASSERT_GT(pid, 0);
    // Each run is killed after it has graded a random few more pairs (most runs' first
    // seconds go to the hang trials, which finish together), a random moment later: in a
    // trial, between pairs, or in the middle of writing a journal line. The few are drawn
    // from a share of the pairs still to grade, so that every round, the last included,
    // leaves pairs for the next: a target beyond the run's last pair would let it finish
    // before it is killed.
    const std::size_t graded = graded_in_journal(out);
    const std::size_t rounds_left = 3 - static_cast<std::size_t>(round);
    const std::size_t share =
        expected.size() > graded ? (expected.size() - graded) / (rounds_left + 2) : 1;
    const std::size_t more =
        std::uniform_int_distribution<std::size_t>(1, std::clamp<std::size_t>(share, 1, 6))(random);
    const auto give_up = Clock::now() + std::chrono::seconds(60);
    int status = 0;
    while (Clock::now() < give_up && graded_in_journal(out) < graded + more &&
           ::waitpid(pid, &status, WNOHANG) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::uniform_real_distribution<double> at(0.0, 0.15);
    std::this_thread::sleep_for(std::chrono::duration<double>(at(random)));
    if (::kill(pid, SIGKILL) != 0) {
      ADD_FAILURE() << "round " << round << ": the run finished before it was killed (it had "
                    << graded << " of " << expected.size() << " pairs at the round's start, "
                    << "killed after " << more << " more)";
    }
    wait_exit(pid);
    expect_no_survivors(out);
    // From here on the same run, continued.
    args = args_with({"--resume", out});
  }
  const ProcessResult resumed = e2e::run_cli(args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.stdout_text << resumed.stderr_text;
  EXPECT_NE(resumed.stderr_text.find("casebook: resuming the run in " + out.string()),
            std::string::npos)
      << resumed.stderr_text;
  const json results = read_json(out / "results.json");
  EXPECT_EQ(verdicts_of(results), expected);
  EXPECT_EQ(results.at("run").at("seed"), 11);
  EXPECT_GE(results.at("run").at("resumed").at("times").get<int>(), 1);
  EXPECT_GE(results.at("run").at("resumed").at("pairs_kept").get<int>(), 1)
      << "the last resume kept nothing: every pair ran again";
  EXPECT_FALSE(results.at("interrupted").get<bool>());
  EXPECT_FALSE(fs::exists(out / "run-journal.jsonl")) << "a finished run removes its journal";
}

// A finished run, 4 pairs, in a folder of its own.
fs::path finished_run(const std::string& name) {
  const fs::path out = fs::path(E2E_OUT_DIR) / name;
  fs::remove_all(out);
  const ProcessResult r = e2e::run_cli({"run", "--filter", "unlocked_counter", "--detectors",
                                        "tsan,asan", "--seed", "9", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  return out;
}

TEST(Resume, AFinishedRunResumedKeepsEveryVerdictAsItWas) {
  const fs::path out = finished_run("resume-finished");
  const json before = read_json(out / "results.json");
  const ProcessResult r = e2e::run_cli({"run", "--filter", "unlocked_counter", "--detectors",
                                        "tsan,asan", "--resume", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("4 pair(s) graded before are kept (from " +
                               (out / "results.json").string() + "), 0 to run"),
            std::string::npos)
      << r.stderr_text;
  const json after = read_json(out / "results.json");
  // Read back and written again, byte for byte: trials, findings, durations, repro lines.
  EXPECT_EQ(after.at("verdicts"), before.at("verdicts"));
  EXPECT_EQ(after.at("run").at("resumed"), (json{{"times", 1}, {"pairs_kept", 4}}));
  EXPECT_EQ(after.at("run").at("started_at"), before.at("run").at("started_at"));
}

TEST(Resume, ARunWithOtherOptionsIsRefusedNamingEachAndNothingIsOverwritten) {
  const fs::path out = finished_run("resume-other-options");
  const std::string before = read_text(out / "results.json");
  const ProcessResult r =
      e2e::run_cli({"run", "--filter", "unlocked_counter", "--detectors", "tsan,asan", "--repeat",
                    "2", "--seed", "10", "--resume", out.string()});
  EXPECT_EQ(r.exit_code, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("is not this run, so its verdicts cannot be kept"),
            std::string::npos)
      << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("--repeat: 1 then, 2 now"), std::string::npos) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("--seed: 9 then, 10 now"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(r.stderr_text.find("--filter:"), std::string::npos) << "only what differs";
  EXPECT_EQ(read_text(out / "results.json"), before);
}

TEST(Resume, AFolderWithNoRunIsRefused) {
  const fs::path missing = fs::path(E2E_OUT_DIR) / "resume-no-such-folder";
  fs::remove_all(missing);
  ProcessResult r = e2e::run_cli({"run", "--resume", missing.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("is not a folder; give the --out folder of the run to continue"),
            std::string::npos)
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(missing)) << "--resume must not create the folder it was to read";
  const fs::path empty = fs::path(E2E_OUT_DIR) / "resume-empty-folder";
  fs::remove_all(empty);
  fs::create_directories(empty);
  r = e2e::run_cli({"run", "--resume", empty.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("holds no run-journal.jsonl and no results.json"), std::string::npos)
      << r.stderr_text;
  r = e2e::run_cli({"run", "--resume", empty.string(), "--out", missing.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("drop --out"), std::string::npos) << r.stderr_text;
}

TEST(OutputFolder, ASecondRunInAFolderAnotherRunIsWritingToIsRefused) {
  const fs::path dir = fs::path(E2E_OUT_DIR) / "two-runs";
  fs::remove_all(dir);
  const fs::path out = dir / "results";
  const pid_t first = e2e::spawn_casebook(dir / "first", args_with({"--out", out}));
  ASSERT_GT(first, 0);
  const auto give_up = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < give_up && !fs::exists(out / "run-journal.jsonl")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const ProcessResult second = e2e::run_cli(args_with({"--out", out}));
  EXPECT_EQ(second.exit_code, 2) << second.stderr_text;
  EXPECT_NE(second.stderr_text.find("another casebook run (pid " + std::to_string(first) +
                                    ") is writing to '" + out.string() + "'"),
            std::string::npos)
      << second.stderr_text;
  // The first run goes on undisturbed; Ctrl-C keeps its journal and says how to continue.
  ASSERT_EQ(::kill(first, SIGINT), 0);
  EXPECT_EQ(wait_exit(first), 130);
  EXPECT_TRUE(fs::exists(out / "run-journal.jsonl"));
  const std::string said = read_text(dir / "first" / "stdout");
  EXPECT_NE(said.find("Continue it with: " + std::string(CASEBOOK_BIN) + " run"), std::string::npos)
      << said;
  EXPECT_NE(said.find("--resume " + out.string()), std::string::npos) << said;
}

}  // namespace
}  // namespace casebook
