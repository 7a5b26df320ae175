// End-to-end tests of the faults a CI machine has (issue 22), each run through the real CLI
// and each ending with a clear message, a defined exit code and nothing earlier lost:
//   - the output folder's disk fills up mid-run (a 64 KiB tmpfs): exit 3 naming the full
//     disk, the pairs graded until then kept in the journal, and `--resume` on a disk with
//     room gives every verdict;
//   - the output folder is read-only (a tmpfs remounted ro): exit 3, the old results intact;
//   - a case binary is missing, or there without the right to run it: exit 3 naming it, and
//     nothing written;
//   - valgrind, gdb and eu-stack are not installed: Helgrind's and DRD's pairs are skipped
//     saying what to install, the rest run (a hang is still detected, without stacks); once
//     valgrind is there, `--resume` runs the skipped pairs;
//   - the machine has no pids cgroup: the runner's own count still stops a fork bomb;
//   - TMPDIR cannot be written: exit 3 naming it, before anything runs.
// (Two runs in one output folder: resume_test.cpp.) The mounts happen in a mount namespace
// of their own (unshare -m), so nothing outlives a test; where mounting is not allowed (not
// root) those tests are skipped, saying so.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_support.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using e2e::read_json;
using e2e::read_text;
using nlohmann::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

fs::path fresh(const std::string& name) {
  const fs::path dir = fs::path(E2E_OUT_DIR) / "faults" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs a shell script in a mount namespace of its own, with CB set to casebook and the
// arguments after the script as $1, $2, ... Exit 77 from the script means "cannot mount".
ProcessResult in_own_mounts(const std::string& script, const std::vector<std::string>& args,
                            std::vector<std::pair<std::string, std::string>> env = {}) {
  ProcessSpec spec;
  spec.argv = {"unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script, "sh"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  env.emplace_back("CB", CASEBOOK_BIN);
  spec.env = std::move(env);
  spec.timeout = std::chrono::seconds(300);
  return run_process(spec);
}

#define SKIP_WITHOUT_MOUNTS(result)                                                       \
  if (!(result).exited || (result).exit_code == 77 ||                                     \
      contains((result).stderr_text, "unshare failed")) {                                 \
    GTEST_SKIP() << "cannot make a mount namespace and mount a tmpfs here (needs root): " \
                 << (result).stderr_text;                                                 \
  }

const char* const kSelection = "unlocked_counter,lock_order_deadlock,forgotten_join";
const char* const kDetectors = "tsan,asan,watchdog,invariant";

TEST(Faults, TheDiskFillingUpMidRunStopsItKeepingWhatWasGradedAndResumeFinishesIt) {
  const fs::path dir = fresh("disk-full");
  fs::create_directories(dir / "disk");
  // The run's journal and trial logs outgrow 64 KiB after a few pairs; then the disk gets
  // room (as a person would make some) and the run is continued.
  const std::string script = R"(
    set -u
    mount -t tmpfs -o size=64k casebook-full "$1/disk" || exit 77
    "$CB" run --filter "$2" --detectors "$3" --seed 5 -j 2 --out "$1/disk/out" \
        >"$1/first.out" 2>"$1/first.err"
    echo $? >"$1/first.rc"
    cp "$1/disk/out/run-journal.jsonl" "$1/journal-when-full.jsonl"
    mount -o remount,size=16m "$1/disk" || exit 78
    "$CB" run --filter "$2" --detectors "$3" -j 2 --resume "$1/disk/out" \
        >"$1/second.out" 2>"$1/second.err"
    echo $? >"$1/second.rc"
    cp "$1/disk/out/results.json" "$1/results.json"
  )";
  const ProcessResult r = in_own_mounts(script, {dir.string(), kSelection, kDetectors});
  SKIP_WITHOUT_MOUNTS(r);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string first_err = read_text(dir / "first.err");
  EXPECT_EQ(read_text(dir / "first.rc"), "3\n") << first_err;
  EXPECT_TRUE(contains(first_err, "casebook: stopped: cannot write the run journal " +
                                      (dir / "disk" / "out" / "run-journal.jsonl").string() +
                                      ": No space left on device"))
      << first_err;
  EXPECT_TRUE(contains(first_err, "continues the run without running them again")) << first_err;
  EXPECT_TRUE(contains(first_err, "--resume " + (dir / "disk" / "out").string())) << first_err;
  // What was graded before the disk filled is on it, whole lines, to be kept.
  const std::string journal = read_text(dir / "journal-when-full.jsonl");
  EXPECT_TRUE(contains(journal, "\"casebook_journal\":1")) << journal.substr(0, 200);
  EXPECT_TRUE(contains(journal, "\"verdict\":{")) << "no pair reached the disk before it filled";
  EXPECT_EQ(read_text(dir / "second.rc"), "0\n") << read_text(dir / "second.err");
  EXPECT_TRUE(contains(read_text(dir / "second.err"), "graded before are kept"));
  const json results = read_json(dir / "results.json");
  EXPECT_EQ(results.at("verdicts").size(), 24u);
  EXPECT_EQ(results.at("summary").at("failed"), 0) << results.at("summary").dump();
}

TEST(Faults, AReadOnlyOutputFolderIsAnInfrastructureErrorAndTheOldResultsStay) {
  const fs::path dir = fresh("read-only");
  fs::create_directories(dir / "disk");
  const std::string script = R"(
    set -u
    mount -t tmpfs -o size=1m casebook-ro "$1/disk" || exit 77
    mkdir "$1/disk/out" && echo '{"earlier": true}' >"$1/disk/out/results.json"
    mount -o remount,ro "$1/disk" || exit 78
    "$CB" run --filter unlocked_counter --detectors tsan --out "$1/disk/out" \
        >"$1/run.out" 2>"$1/run.err"
    echo $? >"$1/run.rc"
    cp "$1/disk/out/results.json" "$1/results-after.json"
  )";
  const ProcessResult r = in_own_mounts(script, {dir.string()});
  SKIP_WITHOUT_MOUNTS(r);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string err = read_text(dir / "run.err");
  EXPECT_EQ(read_text(dir / "run.rc"), "3\n") << err;
  EXPECT_TRUE(contains(err, "the output folder '" + (dir / "disk" / "out").string() +
                                "' is not writable; make it writable or give --out another "
                                "folder"))
      << err;
  EXPECT_EQ(read_text(dir / "results-after.json"), "{\"earlier\": true}\n");
}

TEST(Faults, AMissingOrNonExecutableCaseBinaryIsNamedAndNothingIsWritten) {
  const fs::path dir = fresh("binaries");
  const fs::path bins = dir / "bin";
  fs::create_directories(bins);
  const fs::path own = fs::path(CASEBOOK_BIN).parent_path();
  fs::copy_file(own / "casebook-cases-plain", bins / "casebook-cases-plain");
  fs::copy_file(own / "casebook-cases-tsan", bins / "casebook-cases-tsan");
  fs::permissions(bins / "casebook-cases-tsan", fs::perms::owner_read | fs::perms::group_read);
  ProcessResult r = e2e::run_cli({"run", "--filter", "unlocked_counter", "--detectors", "tsan",
                                  "--bin-dir", bins.string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 3) << r.stderr_text;
  EXPECT_TRUE(contains(r.stderr_text, "case binary " + (bins / "casebook-cases-tsan").string() +
                                          " (needed by detector tsan) is not executable"))
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(dir / "out" / "run-journal.jsonl")) << "a run that cannot start";
  r = e2e::run_cli({"run", "--filter", "unlocked_counter", "--detectors", "asan", "--bin-dir",
                    bins.string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 3) << r.stderr_text;
  EXPECT_TRUE(contains(r.stderr_text, "case binary " + (bins / "casebook-cases-asan").string() +
                                          " (needed by detector asan) is missing"))
      << r.stderr_text;
}

// A PATH of every program this machine has but valgrind, gdb and eu-stack.
std::string path_without_debuggers(const fs::path& dir) {
  fs::create_directories(dir);
  for (const char* from : {"/usr/local/bin", "/usr/bin", "/bin"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(from, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("valgrind", 0) == 0 || name.rfind("gdb", 0) == 0 || name == "eu-stack") {
        continue;
      }
      fs::create_symlink(entry.path(), dir / name, ec);  // the first folder's wins
    }
  }
  return dir.string();
}

TEST(Faults, WithoutValgrindAndGdbTheirDetectorsAreSkippedSayingSoAndTheRestRun) {
  const fs::path dir = fresh("no-tools");
  ProcessSpec spec;
  spec.argv = {CASEBOOK_BIN,  "run",
               "--filter",    "unlocked_counter,lock_order_deadlock",
               "--detectors", "helgrind,drd,watchdog,tsan",
               "--seed",      "3",
               "--out",       (dir / "out").string()};
  spec.env = {{"PATH", path_without_debuggers(dir / "path")}};
  spec.timeout = std::chrono::seconds(300);
  const ProcessResult r = run_process(spec);
  EXPECT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_TRUE(contains(r.stderr_text,
                       "casebook: valgrind is not installed here (not on PATH): the pairs of "
                       "helgrind, drd are skipped (Debian: apt-get install valgrind)"))
      << r.stderr_text;
  const json results = read_json(dir / "out" / "results.json");
  for (const char* detector : {"helgrind", "drd"}) {
    const json* v = e2e::find_verdict(results, "unlocked_counter", "broken", detector);
    ASSERT_NE(v, nullptr) << detector;
    EXPECT_EQ(v->at("verdict"), "skipped");
    EXPECT_TRUE(contains(v->at("reason"),
                         std::string(detector) + " needs valgrind, which is not installed here"))
        << v->at("reason");
  }
  const json* hang = e2e::find_verdict(results, "lock_order_deadlock", "broken", "watchdog");
  ASSERT_NE(hang, nullptr);
  EXPECT_EQ(hang->at("verdict"), "detected") << hang->at("reason");
  const json& finding = hang->at("trials").at(0).at("findings").at(0);
  EXPECT_TRUE(contains(finding.at("raw"),
                       "neither eu-stack nor gdb gave stacks: install "
                       "elfutils (eu-stack) or gdb"))
      << finding.at("raw");
  const json* race = e2e::find_verdict(results, "unlocked_counter", "broken", "tsan");
  ASSERT_NE(race, nullptr);
  EXPECT_EQ(race->at("verdict"), "detected");
}

TEST(Faults, PairsSkippedForAMissingToolRunWhenTheRunIsResumedWithIt) {
  const fs::path dir = fresh("tool-installed-later");
  const std::vector<std::string> run = {CASEBOOK_BIN,  "run",      "--filter", "unlocked_counter",
                                        "--detectors", "helgrind", "--seed",   "4"};
  ProcessSpec first;
  first.argv = run;
  first.argv.insert(first.argv.end(), {"--out", (dir / "out").string()});
  first.env = {{"PATH", path_without_debuggers(dir / "path")}};
  first.timeout = std::chrono::seconds(300);
  const ProcessResult before = run_process(first);
  ASSERT_EQ(before.exit_code, 0) << before.stderr_text;
  const json first_results = read_json(dir / "out" / "results.json");
  const json* skipped = e2e::find_verdict(first_results, "unlocked_counter", "broken", "helgrind");
  ASSERT_NE(skipped, nullptr);
  ASSERT_EQ(skipped->at("verdict"), "skipped");
  // valgrind is there now (the machine's own PATH): the skips were the machine's, not the
  // variants', so the resumed run runs them.
  ProcessSpec again;
  again.argv = run;
  again.argv.insert(again.argv.end(), {"--resume", (dir / "out").string()});
  again.timeout = std::chrono::seconds(300);
  const ProcessResult after = run_process(again);
  ASSERT_EQ(after.exit_code, 0) << after.stdout_text << after.stderr_text;
  EXPECT_TRUE(contains(after.stderr_text, "0 pair(s) graded before are kept")) << after.stderr_text;
  EXPECT_TRUE(contains(after.stderr_text,
                       "2 of them again (an infrastructure error, or skipped "
                       "for what the machine lacked)"))
      << after.stderr_text;
  const json results = read_json(dir / "out" / "results.json");
  const json* broken = e2e::find_verdict(results, "unlocked_counter", "broken", "helgrind");
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->at("verdict"), "detected") << broken->at("reason");
  const json* fixed = e2e::find_verdict(results, "unlocked_counter", "fixed", "helgrind");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->at("verdict"), "clean") << fixed->at("reason");
}

TEST(Faults, WithoutAPidsCgroupTheRunnersOwnCountStillStopsAForkBomb) {
  const fs::path dir = fresh("no-cgroup");
  const std::string script = R"(
    set -u
    mount -t tmpfs casebook-no-cgroup /sys/fs/cgroup || exit 77
    "$CB" run --bin-dir "$2" --filter fork_bomb/broken --detectors watchdog --deflake 1 \
        --seed 7 --out "$1/out" >"$1/run.out" 2>"$1/run.err"
    echo $? >"$1/run.rc"
  )";
  const ProcessResult r = in_own_mounts(script, {dir.string(), HOSTILE_BIN_DIR});
  SKIP_WITHOUT_MOUNTS(r);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(read_text(dir / "run.rc"), "1\n") << read_text(dir / "run.err");
  const json results = read_json(dir / "out" / "results.json");
  const std::string task_cap = results.at("environment").at("task_cap");
  EXPECT_EQ(task_cap.rfind("none: ", 0), 0u) << task_cap;
  const json* v = e2e::find_verdict(results, "fork_bomb", "broken", "watchdog");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->at("verdict"), "error");
  EXPECT_TRUE(contains(v->at("reason"), "more than 64 processes in its group at once"))
      << v->at("reason");
  EXPECT_TRUE(e2e::survivors((dir / "out").string()).empty());
}

TEST(Faults, AnUnwritableTmpdirStopsTheRunBeforeItStarts) {
  const fs::path dir = fresh("tmpdir");
  ProcessSpec spec;
  spec.argv = {CASEBOOK_BIN,       "run",   "--filter",
               "unlocked_counter", "--out", (dir / "out").string()};
  spec.env = {{"TMPDIR", (dir / "no-such-folder").string()}};
  spec.timeout = std::chrono::seconds(120);
  const ProcessResult r = run_process(spec);
  EXPECT_EQ(r.exit_code, 3) << r.stderr_text;
  EXPECT_TRUE(contains(r.stderr_text, "TMPDIR=" + (dir / "no-such-folder").string() +
                                          " cannot hold temporary files (No such file or "
                                          "directory)"))
      << r.stderr_text;
  EXPECT_TRUE(contains(r.stderr_text, "Point TMPDIR at a writable folder, or unset it"));
  EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace
}  // namespace casebook
