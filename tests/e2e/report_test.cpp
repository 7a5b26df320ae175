// End-to-end tests of `casebook report`: real runs' results rendered and merged by the real
// CLI, and every kind of bad input refused with exit 2 and nothing overwritten.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <regex>

#include "cli_support.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using e2e::find_verdict;
using e2e::last_line;
using e2e::read_json;
using e2e::read_text;
using e2e::run_cli;
using nlohmann::json;

// Two real runs, as two shards of one suite would produce: one that passes, and one of the
// mis-declared fixture that fails.
class ReportRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::path(E2E_OUT_DIR) / "report";
    fs::remove_all(root_);
    good_ = new ProcessResult(
        run_cli({"run", "--filter", "unlocked_counter", "--detectors", "tsan,invariant", "--seed",
                 "11", "--out", (root_ / "good").string()}));
    bad_ = new ProcessResult(
        run_cli({"run", "--bin-dir", FIXTURE_BIN_DIR, "--filter", "misdeclared", "--detectors",
                 "invariant", "--deflake", "1", "--deflake-seconds", "0", "--seed", "5", "--out",
                 (root_ / "bad").string()}));
  }
  static void TearDownTestSuite() {
    delete good_;
    delete bad_;
  }
  static fs::path good() { return root_ / "good" / "results.json"; }
  static fs::path bad() { return root_ / "bad" / "results.json"; }

  static inline fs::path root_;
  static inline ProcessResult* good_ = nullptr;
  static inline ProcessResult* bad_ = nullptr;
};

TEST_F(ReportRun, InputsWereProduced) {
  ASSERT_EQ(good_->exit_code, 0) << good_->stdout_text << good_->stderr_text;
  ASSERT_EQ(bad_->exit_code, 1) << bad_->stdout_text << bad_->stderr_text;
}

TEST_F(ReportRun, OneFileRendersEveryFormatAndJunitMatchesTheRunsOwn) {
  const fs::path out = root_ / "single";
  ProcessResult p = run_cli({"report", good().string(), "--out", out.string()});
  ASSERT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  EXPECT_EQ(last_line(p.stdout_text), last_line(good_->stdout_text));
  for (const char* file : {"junit.xml", "casebook.sarif", "summary.md"}) {
    EXPECT_TRUE(fs::exists(out / file)) << file;
  }
  EXPECT_FALSE(fs::exists(out / "merged-results.json")) << "nothing to merge with one input";
  EXPECT_EQ(read_text(out / "junit.xml"), read_text(root_ / "good" / "junit.xml"))
      << "casebook report and casebook run must write the same JUnit";

  const json sarif = read_json(out / "casebook.sarif");
  EXPECT_EQ(sarif.at("version"), "2.1.0");
  bool race = false;
  for (const auto& r : sarif.at("runs").at(0).at("results")) {
    if (r.at("ruleId") != "tsan/data-race") continue;
    race = true;
    EXPECT_EQ(r.at("level"), "note") << "an expected detection is not an error";
    const std::string uri =
        r.at("locations").at(0).at("physicalLocation").at("artifactLocation").at("uri");
    EXPECT_EQ(uri, "cases/unlocked_counter/broken.cpp") << "the case's own line comes first";
    EXPECT_GE(r.at("codeFlows").at(0).at("threadFlows").size(), 2u)
        << "a race has two stacks: both accesses";
    EXPECT_EQ(r.at("partialFingerprints").at("casebookFindingHash/v1").get<std::string>().size(),
              16u);
  }
  EXPECT_TRUE(race) << "the broken counter's data race must be in the SARIF";
  const std::string md = read_text(out / "summary.md");
  EXPECT_NE(md.find("## casebook: "), std::string::npos) << md;
  EXPECT_NE(md.find("| unlocked_counter | race | detected · clean |"), std::string::npos) << md;
}

TEST_F(ReportRun, SarifSplitsByDetectorForPerCategoryUploads) {
  const fs::path out = root_ / "by-detector";
  ProcessResult p = run_cli({"report", good().string(), "--sarif-by-detector", out.string()});
  ASSERT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  for (const std::string detector : {"tsan", "invariant"}) {
    const json sarif = read_json(out / (detector + ".sarif"));
    const json& results = sarif.at("runs").at(0).at("results");
    EXPECT_FALSE(results.empty()) << detector;
    for (const auto& r : results) {
      EXPECT_EQ(r.at("properties").at("detector"), detector) << r.dump();
    }
  }
  EXPECT_FALSE(fs::exists(out / "asan.sarif")) << "the run did not use asan";
}

TEST_F(ReportRun, ShardsMergeAndAFailureInOneFailsTheMerge) {
  const fs::path out = root_ / "merged";
  ProcessResult p = run_cli({"report", good().string(), bad().string(), "--out", out.string()});
  EXPECT_EQ(p.exit_code, 1) << "a failed shard fails the merged report: " << p.stdout_text;
  const json merged = read_json(out / "merged-results.json");
  const json a = read_json(good()), b = read_json(bad());
  EXPECT_EQ(merged.at("verdicts").size(), a.at("verdicts").size() + b.at("verdicts").size());
  EXPECT_EQ(merged.at("summary").at("failed"),
            a.at("summary").at("failed").get<int>() + b.at("summary").at("failed").get<int>());
  EXPECT_EQ(merged.at("merged_from").size(), 2u);
  // Each input's time is kept, and the merged run's is their sum (the shards' machine time).
  const double da = a.at("run").at("duration_seconds"), db = b.at("run").at("duration_seconds");
  EXPECT_EQ(merged.at("merged_from")[0].at("duration_seconds"), da);
  EXPECT_EQ(merged.at("merged_from")[1].at("duration_seconds"), db);
  EXPECT_DOUBLE_EQ(merged.at("run").at("duration_seconds").get<double>(), da + db);
  // And the commit each input's binaries were built from, which shards need not share.
  EXPECT_EQ(merged.at("merged_from")[0].at("build_commit"), a.at("environment").at("build_commit"));
  EXPECT_EQ(merged.at("merged_from")[1].at("build_commit"), b.at("environment").at("build_commit"));
  EXPECT_TRUE(merged.at("cases").contains("unlocked_counter"));
  EXPECT_TRUE(merged.at("cases").contains("misdeclared"));
  const std::string md = read_text(out / "summary.md");
  EXPECT_NE(md.find("### Failed expectations"), std::string::npos) << md;
  char header[128];
  std::snprintf(header, sizeof header,
                "%.1f s in all · merged from 2 files, the longest run %.1f s", da + db,
                std::max(da, db));
  EXPECT_NE(md.find(header), std::string::npos) << md;
  EXPECT_NE(md.find("--filter misdeclared/broken"), std::string::npos) << "repro listed: " << md;
  const json sarif = read_json(out / "casebook.sarif");
  bool missed = false;
  for (const auto& r : sarif.at("runs").at(0).at("results")) {
    missed = missed || (r.at("ruleId") == "casebook/missed" && r.at("level") == "error");
  }
  EXPECT_TRUE(missed) << "a missed detection is a SARIF error";
}

// A machine that cannot give ThreadSanitizer its address space (ulimit -v) makes every TSan
// trial an infrastructure error: the run exits 3. The report of those results exits 1, as for
// any failed verdict: its own 3 means the report could not be made (ci/run-suite.sh and the CI
// templates' merge jobs fail on `report` exiting above 1), so it must not say 3 for verdicts.
TEST_F(ReportRun, ResultsOfInfrastructureErrorsExit1SoThatThreeMeansTheReportFailed) {
  if (!std::string(CASEBOOK_SELF_SANITIZE_NAME).empty()) {
    GTEST_SKIP() << "casebook under a self-sanitizer cannot start within the address-space cap";
  }
  const fs::path out = root_ / "infra";
  const ProcessResult run = e2e::run_shell(
      "ulimit -v 8000000; " + std::string(CASEBOOK_BIN) +
      " run --filter unlocked_counter --detectors tsan,invariant --seed 3 --out " + out.string());
  ASSERT_EQ(run.exit_code, 3) << run.stdout_text << run.stderr_text;
  const json results = read_json(out / "results.json");
  ASSERT_GT(results.at("summary").at("failed").get<int>(), 0);
  ASSERT_EQ(results.at("summary").at("failed"), results.at("summary").at("infrastructure_errors"));
  const ProcessResult p = run_cli({"report", (out / "results.json").string(), "--markdown",
                                   (root_ / "infra-summary.md").string()});
  EXPECT_EQ(p.exit_code, 1) << p.stdout_text << p.stderr_text;
  EXPECT_TRUE(fs::exists(root_ / "infra-summary.md"));
}

TEST_F(ReportRun, DuplicatesAreKeptOnceAndConflictsKeepTheFailure) {
  // The same file twice under two names: every verdict is a duplicate.
  const fs::path copy = root_ / "copy.json";
  fs::copy_file(good(), copy, fs::copy_options::overwrite_existing);
  ProcessResult dup = run_cli(
      {"report", good().string(), copy.string(), "--merged", (root_ / "dup.json").string()});
  EXPECT_EQ(dup.exit_code, 0) << dup.stderr_text;
  EXPECT_NE(dup.stderr_text.find("duplicate: unlocked_counter/broken tsan"), std::string::npos)
      << dup.stderr_text;
  EXPECT_EQ(read_json(root_ / "dup.json").at("verdicts").size(),
            read_json(good()).at("verdicts").size());

  // A copy in which one verdict failed: a conflict, and the failing side wins.
  json changed = read_json(good());
  for (auto& v : changed.at("verdicts")) {
    if (v.at("variant") == "fixed" && v.at("detector") == "tsan") {
      v["verdict"] = "false-positive";
      v["passed"] = false;
    }
  }
  const fs::path conflicting = root_ / "conflicting.json";
  std::ofstream(conflicting) << changed.dump();
  ProcessResult con = run_cli(
      {"report", good().string(), conflicting.string(), "--merged", (root_ / "con.json").string()});
  EXPECT_EQ(con.exit_code, 1);
  EXPECT_NE(con.stderr_text.find("conflict: unlocked_counter/fixed tsan is clean in"),
            std::string::npos)
      << con.stderr_text;
  EXPECT_EQ(find_verdict(read_json(root_ / "con.json"), "unlocked_counter", "fixed", "tsan")
                ->at("verdict"),
            "false-positive");
}

// Every bad input: exit 2, a message naming the file and the problem, nothing written.
TEST_F(ReportRun, BadInputIsRefusedAndNothingIsWritten) {
  const fs::path dir = root_ / "bad-input";
  fs::create_directories(dir);
  std::ofstream(dir / "empty.json") << "";
  const std::string whole = read_text(good());
  std::ofstream(dir / "truncated.json") << whole.substr(0, whole.size() / 2);
  json newer = read_json(good());
  newer["schema_version"] = 99;
  std::ofstream(dir / "newer.json") << newer.dump();
  std::ofstream(dir / "other.json") << R"({"hello": "world"})";
  fs::copy_file(root_ / "good" / "junit.xml", dir / "junit.xml",
                fs::copy_options::overwrite_existing);

  const std::vector<std::pair<std::string, std::string>> cases = {
      {(dir / "missing.json").string(), "no such file"},
      {(dir / "empty.json").string(), "is empty"},
      {(dir / "truncated.json").string(), "not valid JSON"},
      {(dir / "newer.json").string(), "schema_version 99, newer than this casebook reads"},
      {(dir / "other.json").string(), "not a casebook results file"},
      {(dir / "junit.xml").string(), "JUnit"},
      {dir.string(), "is a folder"},
  };
  for (const auto& [input, message] : cases) {
    const fs::path out = dir / "out";
    ProcessResult p = run_cli({"report", input, "--out", out.string()});
    EXPECT_EQ(p.exit_code, 2) << input << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(message), std::string::npos) << input << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(input), std::string::npos) << "names the file: " << p.stderr_text;
    EXPECT_FALSE(fs::exists(out / "summary.md")) << input;
  }

  // An output that would overwrite the input, or lands in a missing folder.
  const std::string before = read_text(good());
  ProcessResult self = run_cli({"report", good().string(), "--merged", good().string()});
  EXPECT_EQ(self.exit_code, 2) << self.stderr_text;
  EXPECT_NE(self.stderr_text.find("is one of the inputs"), std::string::npos) << self.stderr_text;
  EXPECT_EQ(read_text(good()), before);
  ProcessResult nowhere =
      run_cli({"report", good().string(), "--sarif", (dir / "no" / "such" / "x.sarif").string()});
  EXPECT_EQ(nowhere.exit_code, 2) << nowhere.stderr_text;
  EXPECT_NE(nowhere.stderr_text.find("does not exist"), std::string::npos) << nowhere.stderr_text;
  ProcessResult nothing = run_cli({"report", good().string()});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.stderr_text.find("nothing to write"), std::string::npos);
}

// The benchmark pass in the HTML page: --bench FILE, or the bench-summary.json beside the first
// results file. A stored real run's results and a real short pass's summary, rendered by the
// real CLI. A bad file given with --bench is refused like a bad results file (exit 2, the file
// named, nothing written); a bad one found beside the results is a warning and no section.
TEST(ReportBench, GivenFoundOrBrokenBenchSummaries) {
  const fs::path data = fs::path(CASEBOOK_SOURCE_ROOT) / "reports" / "html" / "tests" / "data";
  const fs::path dir = fs::path(E2E_OUT_DIR) / "report-bench";
  fs::remove_all(dir);
  fs::create_directories(dir / "beside");
  const fs::path results = dir / "beside" / "results.json";
  fs::copy_file(data / "sample_results.json", results);
  const fs::path summary = data / "bench_summary.json";
  const std::string section = "<section id=\"benchmarks\"";

  ProcessResult given = run_cli({"report", results.string(), "--bench", summary.string(), "--html",
                                 (dir / "given.html").string()});
  ASSERT_EQ(given.exit_code, 0) << given.stdout_text << given.stderr_text;
  EXPECT_NE(read_text(dir / "given.html").find(section), std::string::npos);
  EXPECT_NE(given.stdout_text.find("Benchmarks: " + summary.string()), std::string::npos)
      << given.stdout_text;

  ProcessResult none =
      run_cli({"report", results.string(), "--html", (dir / "none.html").string()});
  ASSERT_EQ(none.exit_code, 0) << none.stderr_text;
  EXPECT_EQ(read_text(dir / "none.html").find(section), std::string::npos);
  EXPECT_EQ(none.stdout_text.find("Benchmarks:"), std::string::npos);

  fs::copy_file(summary, dir / "beside" / "bench-summary.json");
  ProcessResult found =
      run_cli({"report", results.string(), "--html", (dir / "found.html").string()});
  ASSERT_EQ(found.exit_code, 0) << found.stderr_text;
  EXPECT_NE(read_text(dir / "found.html").find(section), std::string::npos);
  EXPECT_NE(found.stdout_text.find("(found beside " + results.string() + ")"), std::string::npos)
      << "says which file it used: " << found.stdout_text;

  const std::string whole = read_text(summary);
  std::ofstream(dir / "beside" / "bench-summary.json", std::ios::trunc)
      << whole.substr(0, whole.size() / 2);
  ProcessResult stale =
      run_cli({"report", results.string(), "--html", (dir / "stale.html").string()});
  ASSERT_EQ(stale.exit_code, 0) << "a broken file found beside is no reason to fail: "
                                << stale.stderr_text;
  EXPECT_NE(stale.stderr_text.find("warning:"), std::string::npos) << stale.stderr_text;
  EXPECT_NE(stale.stderr_text.find("no benchmarks"), std::string::npos) << stale.stderr_text;
  EXPECT_EQ(read_text(dir / "stale.html").find(section), std::string::npos);

  json newer = json::parse(whole);
  newer["schema_version"] = 2;
  std::ofstream(dir / "newer.json") << newer.dump();
  std::ofstream(dir / "raw.json") << R"({"context": {}, "benchmarks": []})";
  const std::vector<std::pair<fs::path, std::string>> bad = {
      {dir / "missing.json", "no such file"},
      {dir / "beside" / "bench-summary.json", "not valid JSON"},
      {dir / "newer.json", "schema_version 2; this casebook reads 1"},
      {dir / "raw.json", "not a benchmark summary"},
  };
  for (const auto& [file, message] : bad) {
    const fs::path out = dir / "out";
    ProcessResult p =
        run_cli({"report", results.string(), "--bench", file.string(), "--out", out.string()});
    EXPECT_EQ(p.exit_code, 2) << file << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(message), std::string::npos) << file << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(file.string()), std::string::npos) << p.stderr_text;
    EXPECT_FALSE(fs::exists(out / "index.html")) << file;
    EXPECT_FALSE(fs::exists(out / "summary.md")) << file;
  }
}

// Four shards run in parallel and merged must grade exactly the pairs one unsharded run
// grades, each once, with the same verdicts.
TEST(Sharding, FourParallelShardsMergeToTheUnshardedRun) {
  const fs::path root = fs::path(E2E_OUT_DIR) / "shards";
  fs::remove_all(root);
  const std::string filter = "unlocked_counter,forgotten_join,unpicklable_state";
  // A generous timeout: four runs share two cores here, and the test is about which pairs run
  // where, not about speed (at the cases' own 10 s, TSan's unlocked_counter/fixed once timed out
  // when five runs and other work shared the cores).
  const std::string base = std::string(CASEBOOK_BIN) + " run --filter " + filter +
                           " --detectors tsan,asan,invariant,compile --seed 9 -j 1 --timeout 60";
  std::string line;
  for (int i = 0; i < 4; ++i) {
    line += base + " --shard " + std::to_string(i) + "/4 --out " +
            (root / ("shard" + std::to_string(i))).string() + " >/dev/null 2>&1 & ";
  }
  // The unsharded run after the shards, not beside them.
  line += "wait; " + base + " --out " + (root / "whole").string() + " >/dev/null 2>&1";
  ProcessResult all = e2e::run_shell(line);
  ASSERT_TRUE(all.exited) << describe_status(all);

  std::vector<std::string> args = {"report"};
  for (int i = 0; i < 4; ++i) {
    args.push_back((root / ("shard" + std::to_string(i)) / "results.json").string());
  }
  args.insert(args.end(), {"--merged", (root / "merged.json").string()});
  ProcessResult merge = run_cli(args);
  ASSERT_EQ(merge.exit_code, 0) << merge.stdout_text << merge.stderr_text;
  EXPECT_EQ(merge.stderr_text.find("duplicate"), std::string::npos) << merge.stderr_text;

  auto verdicts = [](const json& doc) {
    std::map<std::string, std::string> out;
    for (const auto& v : doc.at("verdicts")) {
      const std::string key = v.at("case").get<std::string>() + "/" +
                              v.at("variant").get<std::string>() + " " +
                              v.at("detector").get<std::string>();
      EXPECT_TRUE(out.emplace(key, v.at("verdict")).second) << key << " twice";
    }
    return out;
  };
  const auto merged = verdicts(read_json(root / "merged.json"));
  const auto whole = verdicts(read_json(root / "whole" / "results.json"));
  EXPECT_EQ(merged, whole);
  EXPECT_EQ(whole.size(), 19u) << "6 variants x 3 detectors, and compile on one";
  for (int i = 0; i < 4; ++i) {
    const json shard = read_json(root / ("shard" + std::to_string(i)) / "results.json");
    EXPECT_EQ(shard.at("run").at("shard").at("index"), i);
    EXPECT_EQ(shard.at("run").at("shard").at("count"), 4);
  }
}

// The two kinds of false positive read the same in the console, summary.md, JUnit and the HTML
// page: a report on a variant expected clean fails as "false-positive (expected clean)"; a report
// of the kind the variant declares as the detector's known false positive passes as
// "known-false-positive"; a report of another kind under such a declaration fails, naming the
// kind it tolerates. (The declared_false_positive fixture's fixed variant is graded both ways.)
TEST(VerdictWords, EveryOutputNamesEachFalsePositiveTheSameWay) {
  const fs::path root = fs::path(E2E_OUT_DIR) / "verdict-words";
  fs::remove_all(root);
  ProcessResult run = run_cli({"run", "--bin-dir", FIXTURE_BIN_DIR, "--filter",
                               "declared_false_positive/fixed,misdeclared/fixed", "--detectors",
                               "tsan,invariant", "--seed", "3", "--out", (root / "run").string()});
  ASSERT_TRUE(run.exited) << describe_status(run);
  ASSERT_EQ(run.exit_code, 1) << run.stdout_text << run.stderr_text;
  const std::string unexpected = "false-positive (expected clean)";
  const std::string other_kind =
      "false-positive (expected clean, or only the known false positive crash)";

  // The console: the progress line and the failures list.
  EXPECT_NE(run.stderr_text.find("PASS declared_false_positive/fixed tsan: known-false-positive"),
            std::string::npos)
      << run.stderr_text;
  EXPECT_NE(run.stdout_text.find("misdeclared/fixed tsan: " + unexpected + "\n"), std::string::npos)
      << run.stdout_text;
  EXPECT_NE(run.stdout_text.find("declared_false_positive/fixed invariant: " + other_kind + "\n"),
            std::string::npos)
      << run.stdout_text;
  EXPECT_EQ(run.stdout_text.find("declared_false_positive/fixed tsan"), std::string::npos)
      << "a passing known false positive is not a failed expectation: " << run.stdout_text;

  const fs::path out = root / "report";
  ProcessResult report = run_cli({"report", (root / "run" / "results.json").string(), "--out",
                                  out.string(), "--html", (out / "index.html").string()});
  ASSERT_EQ(report.exit_code, 1) << report.stdout_text << report.stderr_text;

  const std::string md = read_text(out / "summary.md");
  EXPECT_NE(md.find("**misdeclared/fixed** `tsan`: " + unexpected + "."), std::string::npos) << md;
  EXPECT_NE(md.find("**declared_false_positive/fixed** `invariant`: " + other_kind + "."),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("(expected false-positive)"), std::string::npos) << md;
  EXPECT_NE(md.find("| declared_false_positive | race |   · known-false-positive |"),
            std::string::npos)
      << "the matrix names the passing verdict too: " << md;

  pugi::xml_document junit;
  ASSERT_TRUE(junit.load_file((out / "junit.xml").c_str()));
  auto body = [&](const std::string& detector, const std::string& case_name, const char* child) {
    const std::string path = "//testcase[@classname='casebook." + detector + "." + case_name +
                             "'][@name='fixed']/" + child;
    const auto node = junit.select_node(path.c_str());
    return node ? std::string(node.node().text().get()) : std::string("(no " + path + ")");
  };
  EXPECT_NE(body("tsan", "misdeclared", "failure")
                .find("misdeclared/fixed under tsan: " + unexpected + "."),
            std::string::npos);
  EXPECT_NE(body("invariant", "declared_false_positive", "failure")
                .find("declared_false_positive/fixed under invariant: " + other_kind + "."),
            std::string::npos);
  EXPECT_EQ(body("tsan", "declared_false_positive", "system-out")
                .rfind("known-false-positive: known false positive: ", 0),
            0u)
      << body("tsan", "declared_false_positive", "system-out");

  const std::string html = read_text(out / "index.html");
  EXPECT_NE(html.find("<span class=\"badge v-false-positive\">false-positive</span> "
                      "<span class=\"expect\">(expected clean)</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"badge v-false-positive\">false-positive</span> "
                      "<span class=\"expect\">(expected clean, or only the known false positive "
                      "crash)</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"badge v-known-false-positive\">known-false-positive</span>"),
            std::string::npos);
  EXPECT_NE(html.find("expects clean, or only the known false positive data-race"),
            std::string::npos);
}

TEST(Sharding, GoogleTestVariablesSelectTheShardAndTheStatusFileIsTouched) {
  const fs::path root = fs::path(E2E_OUT_DIR) / "shards-env";
  fs::remove_all(root);
  fs::create_directories(root);
  const fs::path status = root / "status";
  ProcessResult p = e2e::run_shell(
      "GTEST_TOTAL_SHARDS=3 GTEST_SHARD_INDEX=2 GTEST_SHARD_STATUS_FILE=" + status.string() + " " +
      CASEBOOK_BIN + " run --filter unlocked_counter --detectors invariant,tsan --out " +
      (root / "out").string());
  ASSERT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  EXPECT_TRUE(fs::exists(status));
  const json doc = read_json(root / "out" / "results.json");
  EXPECT_EQ(doc.at("run").at("shard").at("index"), 2);
  EXPECT_EQ(doc.at("run").at("shard").at("count"), 3);
  EXPECT_EQ(doc.at("verdicts").size(), 1u) << "4 pairs; shard 2 of 3 takes position 2";
}

TEST(Sharding, MalformedShardsAreRefused) {
  for (const char* shard : {"4/4", "-1/4", "1/0", "a/b", "1", "1/2/3"}) {
    ProcessResult p = run_cli({"run", "--filter", "unlocked_counter", "--shard", shard, "--out",
                               E2E_OUT_DIR "/shards-bad"});
    EXPECT_EQ(p.exit_code, 2) << shard << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find("0 <= i < n"), std::string::npos) << p.stderr_text;
  }
  ProcessResult half =
      e2e::run_shell(std::string("GTEST_TOTAL_SHARDS=3 ") + CASEBOOK_BIN +
                     " run --filter unlocked_counter --out " E2E_OUT_DIR "/shards-bad");
  EXPECT_EQ(half.exit_code, 2) << half.stderr_text;
  EXPECT_NE(half.stderr_text.find("set both or neither"), std::string::npos) << half.stderr_text;
}

}  // namespace
}  // namespace casebook
