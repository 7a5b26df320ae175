// End-to-end tests: the real `casebook` CLI, run as a user runs it, on the real catalog and
// on a fixture catalog whose declarations are deliberately wrong.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "catalog/bug_markers.hpp"
#include "cli_support.hpp"
#include "process/process.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using e2e::find_verdict;
using e2e::last_line;
using e2e::read_json;
using e2e::run_cli;
using e2e::run_shell;

// ---------------------------------------------------------------------------------------
// The catalog's first three pairs, graded for real. One run serves every test below.

class CatalogRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = fs::path(E2E_OUT_DIR) / "catalog";
    fs::remove_all(out_);
    result_ = new ProcessResult(
        run_cli({"run", "--filter", "unlocked_counter,lock_order_deadlock,forgotten_join", "--out",
                 out_.string(), "--seed", "20261121", "-j", "2"}));
  }
  static void TearDownTestSuite() { delete result_; }

  static json results() { return read_json(out_ / "results.json"); }

  static inline fs::path out_;
  static inline ProcessResult* result_ = nullptr;
};

TEST_F(CatalogRun, ExitsZeroWithTheSummaryLineLast) {
  ASSERT_TRUE(result_->exited) << describe_status(*result_) << result_->stderr_text;
  EXPECT_EQ(result_->exit_code, 0) << result_->stdout_text << result_->stderr_text;
  EXPECT_TRUE(std::regex_match(last_line(result_->stdout_text),
                               std::regex(R"(\d+ passed, 0 failed, \d+ skipped)")))
      << last_line(result_->stdout_text);
}

TEST_F(CatalogRun, EveryVerdictIsTheDeclaredOne) {
  // (case, variant, detector) -> verdict. Everything not listed must be "clean".
  const std::map<std::tuple<std::string, std::string, std::string>, std::string> expected = {
      {{"unlocked_counter", "broken", "tsan"}, "detected"},
      {{"unlocked_counter", "broken", "invariant"}, "detected"},
      {{"lock_order_deadlock", "broken", "tsan"}, "detected"},
      {{"lock_order_deadlock", "broken", "watchdog"}, "detected"},
      {{"lock_order_deadlock", "broken", "asan"}, "skipped"},
      {{"lock_order_deadlock", "broken", "invariant"}, "skipped"},
      {{"forgotten_join", "broken", "tsan"}, "detected"},
      {{"forgotten_join", "broken", "asan"}, "detected"},
      {{"forgotten_join", "broken", "invariant"}, "detected"},
      {{"unlocked_counter", "broken", "model"}, "detected"},
      {{"lock_order_deadlock", "broken", "model"}, "detected"},
      {{"forgotten_join", "broken", "model"}, "skipped"},
      {{"unlocked_counter", "broken", "property"}, "detected"},
      {{"forgotten_join", "broken", "property"}, "detected"},
      {{"lock_order_deadlock", "broken", "property"}, "skipped"},
      {{"lock_order_deadlock", "fixed", "property"}, "skipped"},
      {{"unlocked_counter", "broken", "thread-safety"}, "detected"},
      {{"lock_order_deadlock", "broken", "thread-safety"}, "skipped"},
      {{"lock_order_deadlock", "fixed", "thread-safety"}, "skipped"},
  };
  const json r = results();
  int checked = 0;
  for (const std::string c : {"unlocked_counter", "lock_order_deadlock", "forgotten_join"}) {
    for (const std::string v : {"broken", "fixed"}) {
      for (const std::string d :
           {"tsan", "asan", "watchdog", "invariant", "model", "property", "thread-safety"}) {
        const json* x = find_verdict(r, c, v, d);
        if (c == "forgotten_join" && d == "thread-safety") {
          // It declares nothing for the analysis, so it is left out rather than graded.
          EXPECT_EQ(x, nullptr) << c << "/" << v;
          continue;
        }
        ASSERT_NE(x, nullptr) << c << "/" << v << " " << d << " missing from results.json";
        auto it = expected.find({c, v, d});
        const std::string want = it == expected.end() ? "clean" : it->second;
        EXPECT_EQ(x->at("verdict"), want) << c << "/" << v << " " << d << ": " << x->at("reason");
        EXPECT_TRUE(x->at("passed").get<bool>());
        if (want == "skipped") {
          EXPECT_TRUE(x->at("trials").empty());
          EXPECT_FALSE(x->at("reason").get<std::string>().empty());
        } else {
          EXPECT_GE(x->at("trials").size(), 1u);
          EXPECT_NE(x->at("repro").get<std::string>().find("--seed"), std::string::npos);
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 40);
  // fairness, perf and (for forgotten_join) thread-safety do not apply to these pairs: they are
  // left out, not graded as errors;
  // invariant-noise runs only when asked for (--noise). The other detectors of the default set
  // (the other compiler's TSan, where it is built, and those that apply only where a variant
  // declares them) add verdicts of their own, every one of them passing.
  std::map<std::string, int> per_detector;
  for (const auto& v : r.at("verdicts")) ++per_detector[v.at("detector").get<std::string>()];
  for (const char* d : {"fairness", "perf", "invariant-noise"})
    EXPECT_EQ(per_detector.count(d), 0u);
  const json& ran = r.at("run").at("detectors");
  for (const auto& [d, n] : per_detector) {
    EXPECT_NE(std::find(ran.begin(), ran.end(), d), ran.end()) << d << " was not asked for";
  }
  // tsan-gcc / tsan-clang inherit tsan's expectations, so they grade the same.
  for (const char* other : {"tsan-gcc", "tsan-clang"}) {
    if (per_detector.count(other) == 0) continue;
    EXPECT_EQ(per_detector[other], 6) << other;
    for (const std::string c : {"unlocked_counter", "lock_order_deadlock", "forgotten_join"}) {
      for (const std::string v : {"broken", "fixed"}) {
        const json* x = find_verdict(r, c, v, other);
        ASSERT_NE(x, nullptr) << c << "/" << v << " " << other;
        EXPECT_EQ(x->at("verdict"), find_verdict(r, c, v, "tsan")->at("verdict"))
            << c << "/" << v << " " << other << ": " << x->at("reason");
      }
    }
  }
  EXPECT_EQ(r.at("summary").at("failed"), 0);
}

TEST_F(CatalogRun, DataRaceEvidencePointsAtTheRacyLine) {
  const json r = results();
  const json* x = find_verdict(r, "unlocked_counter", "broken", "tsan");
  ASSERT_NE(x, nullptr);
  const json& trial = x->at("trials").at(x->at("deciding_trial").get<std::size_t>());
  bool found = false;
  for (const auto& f : trial.at("findings")) {
    if (f.at("kind") != "data-race") continue;
    for (const auto& s : f.at("stacks")) {
      for (const auto& fr : s.at("frames")) {
        found = found || fr.at("file") == "cases/unlocked_counter/broken.cpp";
      }
    }
  }
  EXPECT_TRUE(found) << "no data-race frame in cases/unlocked_counter/broken.cpp";
}

TEST_F(CatalogRun, BrokenVerdictsCarryLineLevelTruthAndTheRunItsScorecard) {
  const json r = results();
  // forgotten_join/broken marks the writes into the freed batch: ASan's report of the
  // use-after-free points at one of them.
  const json* asan = find_verdict(r, "forgotten_join", "broken", "asan");
  ASSERT_NE(asan, nullptr);
  ASSERT_TRUE(asan->at("line_level").is_object()) << asan->dump(2).substr(0, 2000);
  EXPECT_FALSE(asan->at("line_level").at("marked_lines").empty());
  EXPECT_TRUE(asan->at("line_level").at("hit")) << asan->at("line_level").dump();
  // Fixed variants mark nothing, so they have no line-level truth.
  const json* fixed = find_verdict(r, "forgotten_join", "fixed", "asan");
  ASSERT_NE(fixed, nullptr);
  EXPECT_TRUE(fixed->at("line_level").is_null());

  // The scorecard counts every variant a detector ran on (not skipped), each exactly once.
  ASSERT_TRUE(r.contains("scorecard"));
  EXPECT_EQ(r.at("scorecard").at("pairs"), 3);
  int broken_run = 0, fixed_run = 0;
  for (const auto& v : r.at("verdicts")) {
    if (v.at("detector") != "asan" || v.at("verdict") == "skipped") continue;
    ++(v.at("variant") == "broken" ? broken_run : fixed_run);
  }
  bool found = false;
  for (const auto& row : r.at("scorecard").at("detectors")) {
    if (row.at("detector") != "asan") continue;
    found = true;
    const json& f = row.at("file_level");
    EXPECT_EQ(f.at("tp").get<int>() + f.at("fn").get<int>(), broken_run) << row.dump();
    EXPECT_EQ(f.at("tn").get<int>() + f.at("fp").get<int>(), fixed_run) << row.dump();
    EXPECT_GE(f.at("tp").get<int>(), 1) << "asan found forgotten_join's use-after-free";
  }
  EXPECT_TRUE(found);
}

TEST_F(CatalogRun, DeadlockEvidenceHasTheCycleAndBothWaitingThreads) {
  const json r = results();
  const json* tsan = find_verdict(r, "lock_order_deadlock", "broken", "tsan");
  ASSERT_NE(tsan, nullptr);
  bool cycle = false;
  for (const auto& t : tsan->at("trials")) {
    for (const auto& f : t.at("findings")) {
      cycle = cycle || (f.at("kind") == "lock-order-inversion" && f.at("lock_cycle").size() >= 3);
    }
  }
  EXPECT_TRUE(cycle);

  const json* dog = find_verdict(r, "lock_order_deadlock", "broken", "watchdog");
  ASSERT_NE(dog, nullptr);
  const json& trial = dog->at("trials").at(dog->at("deciding_trial").get<std::size_t>());
  EXPECT_TRUE(trial.at("timed_out").get<bool>());
  const json& hang = trial.at("findings").at(0);
  EXPECT_EQ(hang.at("kind"), "hang");
  int threads_in_case_code = 0;
  for (const auto& s : hang.at("stacks")) {
    bool in_case = false;
    for (const auto& fr : s.at("frames")) {
      in_case = in_case || fr.at("file") == "cases/lock_order_deadlock/broken.cpp";
    }
    threads_in_case_code += in_case;
  }
  EXPECT_GE(threads_in_case_code, 2) << hang.at("raw");
}

TEST_F(CatalogRun, JunitHasOneTestcasePerVerdict) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file((out_ / "junit.xml").c_str()));
  const json r = results();
  std::size_t cases = 0;
  for (auto tc : doc.select_nodes("//testcase")) {
    std::string classname = tc.node().attribute("classname").value();
    EXPECT_EQ(classname.rfind("casebook.", 0), 0u) << classname;
    ++cases;
  }
  EXPECT_EQ(cases, r.at("verdicts").size());
  EXPECT_EQ(doc.select_nodes("//failure").size(), 0u);
  // lock_order_deadlock/broken under asan and invariant, forgotten_join/broken under model,
  // and lock_order_deadlock (both variants) under property and thread-safety.
  EXPECT_EQ(doc.select_nodes("//skipped").size(), 7u);
}

TEST_F(CatalogRun, EveryVerdictCarriesItsManifestation) {
  const json r = results();  // not results().at(...) in the loop: that temporary would die
  for (const auto& v : r.at("verdicts")) {
    const json& m = v.at("manifestation");
    if (v.at("verdict") == "skipped") {
      EXPECT_TRUE(m.is_null());
      continue;
    }
    EXPECT_EQ(m.at("trials"), v.at("trials").size());
    if (v.at("verdict") == "detected") {
      EXPECT_GE(m.at("hits").get<int>(), 1);
      EXPECT_EQ(m.at("first_hit_trial").get<int>(), v.at("deciding_trial").get<int>() + 1);
      EXPECT_LE(m.at("ci_low").get<double>(), m.at("rate").get<double>());
    }
    if (v.at("verdict") == "clean") {
      EXPECT_EQ(m.at("hits"), 0);
    }
  }
}

TEST_F(CatalogRun, CarriesTheTextOfEveryCaseItRan) {
  const json r = results();
  for (const std::string c : {"unlocked_counter", "lock_order_deadlock", "forgotten_join"}) {
    ASSERT_TRUE(r.at("cases").contains(c)) << c;
    const json& entry = r.at("cases").at(c);
    EXPECT_EQ(entry.at("folder"), "cases/" + c);
    for (const char* file : {"README.md", "broken.cpp", "fixed.cpp"}) {
      ASSERT_TRUE(entry.at("files").contains(file)) << c << " lacks " << file;
      std::ifstream in(fs::path(CASEBOOK_SOURCE_ROOT) / "cases" / c / file);
      std::stringstream text;
      text << in.rdbuf();
      EXPECT_EQ(entry.at("files").at(file), text.str()) << c << "/" << file;
    }
  }
  EXPECT_EQ(r.at("cases").size(), 3u) << "only the cases the run covered";
}

// ---------------------------------------------------------------------------------------
// A fixture catalog with wrong declarations: casebook must fail loudly and reproducibly.

class MisdeclaredRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = fs::path(E2E_OUT_DIR) / "misdeclared";
    fs::remove_all(out_);
    result_ = new ProcessResult(
        run_cli({"run", "--bin-dir", FIXTURE_BIN_DIR, "--filter", "misdeclared", "--detectors",
                 "tsan,invariant", "--deflake", "2", "--deflake-seconds", "0", "--out",
                 out_.string(), "--seed", "7"}));
  }
  static void TearDownTestSuite() { delete result_; }
  static inline fs::path out_;
  static inline ProcessResult* result_ = nullptr;
};

TEST_F(MisdeclaredRun, ExitsOneAndGradesEveryWrongDeclaration) {
  ASSERT_TRUE(result_->exited) << describe_status(*result_);
  EXPECT_EQ(result_->exit_code, 1) << result_->stdout_text << result_->stderr_text;
  EXPECT_TRUE(std::regex_match(last_line(result_->stdout_text),
                               std::regex(R"(\d+ passed, [1-9]\d* failed, \d+ skipped)")));
  const json r = read_json(out_ / "results.json");
  EXPECT_EQ(find_verdict(r, "misdeclared", "broken", "tsan")->at("verdict"), "missed");
  EXPECT_EQ(find_verdict(r, "misdeclared", "broken", "tsan")->at("trials").size(), 2u)
      << "a missed broken expectation uses its whole deflake budget";
  EXPECT_EQ(find_verdict(r, "misdeclared", "broken", "invariant")->at("verdict"), "missed");
  EXPECT_EQ(find_verdict(r, "misdeclared", "fixed", "tsan")->at("verdict"), "false-positive");
  EXPECT_NE(result_->stdout_text.find("reproduce: "), std::string::npos);
  // The words summary.md, JUnit and the HTML page use too (reports/writing/verdict_words.hpp).
  EXPECT_NE(result_->stdout_text.find("misdeclared/fixed tsan: false-positive (expected clean)\n"),
            std::string::npos)
      << result_->stdout_text;
}

TEST_F(MisdeclaredRun, JunitFailureBodyCarriesEvidenceAndRepro) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file((out_ / "junit.xml").c_str()));
  auto fp =
      doc.select_node("//testcase[@classname='casebook.tsan.misdeclared'][@name='fixed']/failure");
  ASSERT_TRUE(fp);
  const std::string body = fp.node().text().get();
  EXPECT_NE(body.find("data-race"), std::string::npos) << body;
  EXPECT_NE(body.find("reproduce: "), std::string::npos) << body;
  EXPECT_EQ(std::string(fp.node().attribute("type").value()), "false-positive");
}

TEST_F(MisdeclaredRun, ReproCommandReproducesTheVerdict) {
  const json r = read_json(out_ / "results.json");
  const json* fp = find_verdict(r, "misdeclared", "fixed", "tsan");
  ASSERT_NE(fp, nullptr);
  const std::string repro = fp->at("repro");
  const std::uint64_t seed =
      fp->at("trials").at(fp->at("deciding_trial").get<std::size_t>()).at("seed");
  EXPECT_NE(repro.find("--seed " + std::to_string(seed)), std::string::npos) << repro;

  const fs::path again = fs::path(E2E_OUT_DIR) / "repro";
  ProcessResult p = run_shell(repro + " --out " + again.string());
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 1) << p.stdout_text << p.stderr_text;
  const json r2 = read_json(again / "results.json");
  ASSERT_EQ(r2.at("verdicts").size(), 1u);
  EXPECT_EQ(r2.at("verdicts")[0].at("verdict"), "false-positive");
  EXPECT_EQ(r2.at("verdicts")[0].at("trials")[0].at("seed"), seed);
}

// ---------------------------------------------------------------------------------------
// The compile detector: a must-not-compile probe refused for its declared reason is detected
// (unpicklable_state), one that compiles is missed (the probe_compiles fixture).

TEST(CompileDetector, TheCatalogsProbeIsRefusedAtItsLine) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "compile-catalog";
  ProcessResult p = run_cli({"run", "--filter", "unpicklable_state/broken", "--detectors",
                             "compile", "--out", out.string()});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  const json r = read_json(out / "results.json");
  const json* v = find_verdict(r, "unpicklable_state", "broken", "compile");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->at("verdict"), "detected") << v->dump(2);
  const json& finding = v->at("trials").at(0).at("findings").at(0);
  EXPECT_EQ(finding.at("kind"), "rejected");
  EXPECT_EQ(finding.at("location")
                .get<std::string>()
                .rfind("cases/unpicklable_state/must_not_compile.cpp:", 0),
            0u)
      << finding.dump(2);
}

TEST(CompileDetector, AProbeThatCompilesIsMissed) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "compile-fixture";
  ProcessResult p = run_cli({"run", "--bin-dir", FIXTURE_BIN_DIR, "--filter", "probe_compiles",
                             "--detectors", "compile", "--out", out.string()});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 1) << p.stdout_text << p.stderr_text;
  const json r = read_json(out / "results.json");
  const json* v = find_verdict(r, "probe_compiles", "broken", "compile");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->at("verdict"), "missed") << v->dump(2);
  EXPECT_EQ(find_verdict(r, "probe_compiles", "fixed", "compile"), nullptr)
      << "the fixed variant declares no probe, so the detector does not apply to it";
}

// ---------------------------------------------------------------------------------------
// The thread-safety detector: Clang's analysis grades the annotated cases as they declare,
// each broken variant at a line it marks with casebook-bug.

TEST(ThreadSafetyDetector, GradesTheAnnotatedCasesAsDeclared) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "thread-safety";
  fs::remove_all(out);
  const std::vector<std::string> detected = {"unlocked_counter",    "shared_map_writers",
                                             "shared_list_queue",   "recursive_relock",
                                             "unlock_wrong_thread", "racy_lazy_init"};
  const std::vector<std::string> skipped = {"lock_order_deadlock", "destroy_locked_mutex"};
  std::string filter = "forgotten_join";
  for (const auto& c : detected) filter += "," + c;
  for (const auto& c : skipped) filter += "," + c;
  ProcessResult p =
      run_cli({"run", "--filter", filter, "--detectors", "thread-safety", "--out", out.string()});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  const json r = read_json(out / "results.json");
  for (const auto& c : detected) {
    const json* broken = find_verdict(r, c, "broken", "thread-safety");
    ASSERT_NE(broken, nullptr) << c;
    EXPECT_EQ(broken->at("verdict"), "detected") << c << ": " << broken->dump(2);
    // At least one warning at a marked line (others may accompany it: unlock_wrong_thread's
    // capture thread also carries the lock around its loop).
    int at_marker = 0;
    for (const json& f : broken->at("trials").at(0).at("findings")) {
      const json& frame = f.at("stacks").at(0).at("frames").at(0);
      EXPECT_EQ(frame.at("file"), "cases/" + c + "/broken.cpp") << f.dump(2);
      const auto marked = read_bug_marker_lines(
          (fs::path(CASEBOOK_SOURCE_ROOT) / frame.at("file").get<std::string>()).string());
      at_marker += std::count(marked.begin(), marked.end(), frame.at("line").get<int>());
    }
    EXPECT_GE(at_marker, 1) << c << ": no warning at a casebook-bug line: " << broken->dump(2);
    const json* fixed = find_verdict(r, c, "fixed", "thread-safety");
    ASSERT_NE(fixed, nullptr) << c;
    EXPECT_EQ(fixed->at("verdict"), "clean") << c << ": " << fixed->dump(2);
  }
  for (const auto& c : skipped) {
    for (const std::string v : {"broken", "fixed"}) {
      const json* x = find_verdict(r, c, v, "thread-safety");
      ASSERT_NE(x, nullptr) << c << "/" << v;
      EXPECT_EQ(x->at("verdict"), "skipped") << c << "/" << v;
    }
  }
  EXPECT_EQ(find_verdict(r, "forgotten_join", "broken", "thread-safety"), nullptr)
      << "a variant that declares nothing for the analysis is left out";
  EXPECT_EQ(r.at("verdicts").size(), 2 * (detected.size() + skipped.size()));
}

// ---------------------------------------------------------------------------------------
// --repeat spends trials only where they can differ: a compiler run (the same answer every
// time) runs once, and a variant that hangs in every trial has its stacks taken once.

TEST(Repeat, ACompilerRunIsNotRepeatedAndAHangsStacksAreTakenOnce) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "repeat";
  fs::remove_all(out);
  ProcessResult p =
      run_cli({"run", "--filter", "lock_order_deadlock/broken,unlocked_counter/broken",
               "--detectors", "watchdog,thread-safety", "--repeat", "2", "--out", out.string()});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  const json r = read_json(out / "results.json");

  const json* analysis = find_verdict(r, "unlocked_counter", "broken", "thread-safety");
  ASSERT_NE(analysis, nullptr);
  EXPECT_EQ(analysis->at("verdict"), "detected");
  EXPECT_EQ(analysis->at("trials").size(), 1u);
  EXPECT_NE(analysis->at("reason").get<std::string>().find("ran once, not 2 times"),
            std::string::npos)
      << analysis->at("reason");

  const json* hang = find_verdict(r, "lock_order_deadlock", "broken", "watchdog");
  ASSERT_NE(hang, nullptr);
  EXPECT_EQ(hang->at("verdict"), "detected");
  ASSERT_EQ(hang->at("trials").size(), 2u);
  const json& first = hang->at("trials")[0].at("findings").at(0);
  const json& second = hang->at("trials")[1].at("findings").at(0);
  EXPECT_EQ(first.at("kind"), "hang");
  EXPECT_GE(first.at("stacks").size(), 2u) << "both deadlocked threads: " << first.dump(2);
  EXPECT_EQ(second.at("kind"), "hang");
  EXPECT_TRUE(second.at("stacks").empty()) << second.dump(2);
  EXPECT_NE(second.at("summary").get<std::string>().find("stacks as in trial 1"), std::string::npos)
      << second.dump(2);
}

// Timing detectors (perf, fairness) get the machine alone: their pairs run after every other
// pair has finished, even when their case comes first in the catalog.
TEST(Scheduling, FairnessPairsRunAfterEveryOtherPair) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "quiet-phase";
  fs::remove_all(out);
  ProcessResult p = run_cli({"run", "--filter", "mutex_starvation,unlocked_counter", "--detectors",
                             "fairness,invariant", "-j", "2", "--out", out.string()});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  // The progress on stderr: "[k/N] PASS <pair> <detector>: ..." in completion order.
  std::vector<std::string> finished;
  std::istringstream lines(p.stderr_text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("[", 0) == 0 && line.find("] ") != std::string::npos) finished.push_back(line);
  }
  ASSERT_EQ(finished.size(), 6u) << p.stderr_text;  // 4 invariant pairs, 2 fairness pairs
  for (std::size_t i = 0; i < finished.size(); ++i) {
    const bool fairness = finished[i].find(" fairness:") != std::string::npos;
    EXPECT_EQ(fairness, i >= 4) << "completion order:\n" << p.stderr_text;
  }
}

// ---------------------------------------------------------------------------------------
// Bad input: exit 2 (or 3) with a message that names the problem, nothing overwritten.

TEST(BadInput, UnknownFilterExitsTwoAndListsTheCases) {
  ProcessResult p = run_cli({"run", "--filter", "nosuch", "--out", E2E_OUT_DIR "/bad"});
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_NE(p.stderr_text.find("no case matches --filter 'nosuch'"), std::string::npos)
      << p.stderr_text;
  EXPECT_NE(p.stderr_text.find("unlocked_counter"), std::string::npos);
}

TEST(BadInput, UnknownDetectorExitsTwo) {
  ProcessResult p = run_cli({"run", "--detectors", "tsan,bogus", "--out", E2E_OUT_DIR "/bad"});
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_NE(p.stderr_text.find("unknown detector 'bogus'"), std::string::npos) << p.stderr_text;
}

// A kind no detector reports stops `list` and `run` before any trial, naming the file and
// line; an unknown kind of an open-ended tool and a missing .small are warnings.
TEST(BadInput, MistypedKindsStopListAndRunAtTheirLine) {
  const std::string file = "tests/e2e/fixtures/declarations/mistyped_kind/broken.cpp";
  for (const std::string command : {"list", "run"}) {
    std::vector<std::string> args = {command, "--bin-dir", DECLARATIONS_BIN_DIR};
    const fs::path out = fs::path(E2E_OUT_DIR) / "mistyped";
    if (command == "run") {
      fs::create_directories(out);
      std::ofstream(out / "results.json") << "{\"kept\": true}\n";
      args.insert(args.end(), {"--out", out.string(), "--detectors", "watchdog,model"});
    }
    ProcessResult p = run_cli(args);
    EXPECT_EQ(p.exit_code, 2) << command << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(file + ":20: error: mistyped_kind/broken: watchdog cannot "
                                        "report 'hung'; it reports hang"),
              std::string::npos)
        << command << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(file + ":19: warning: mistyped_kind/broken: tsan is not known "
                                        "to report 'data-rce'"),
              std::string::npos)
        << command << ": " << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(file + ":16: warning: mistyped_kind/broken declares no .small"),
              std::string::npos)
        << command << ": " << p.stderr_text;
    if (command == "run") {
      EXPECT_EQ(e2e::read_text(out / "results.json"), "{\"kept\": true}\n")
          << "a refused run leaves the previous results alone";
    }
  }
}

// A run names each missing .small only once it is alone; several become one line that counts
// them, since `list` names each (here a shard past the last pair, so nothing runs).
TEST(Declarations, ARunSummarisesMissingSmallInputsAndListNamesEach) {
  ProcessResult run = run_cli({"run", "--detectors", "helgrind", "--filter",
                               "busy_wait_polling,destroy_locked_mutex", "--shard", "99/100",
                               "--out", E2E_OUT_DIR "/small-summary"});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("casebook: warning: 4 variants declare no .small although this "
                                 "run's slow detectors run them, the first at "
                                 "cases/busy_wait_polling/broken.cpp:"),
            std::string::npos)
      << run.stderr_text;
  EXPECT_EQ(run.stderr_text.find("broken.cpp:58: warning"), std::string::npos) << run.stderr_text;
  ProcessResult list = run_cli({"list", "--filter", "busy_wait_polling,destroy_locked_mutex"});
  EXPECT_EQ(list.exit_code, 0);
  for (const char* file :
       {"cases/busy_wait_polling/broken.cpp", "cases/busy_wait_polling/fixed.cpp",
        "cases/destroy_locked_mutex/broken.cpp", "cases/destroy_locked_mutex/fixed.cpp"}) {
    EXPECT_NE(list.stderr_text.find(std::string(file) + ":"), std::string::npos) << file;
  }
}

// The detector sets: `default` is what a run without --detectors runs, `all` every detector.
// A shard past the last pair runs nothing, so only the chosen detectors are compared.
TEST(DetectorSets, DefaultAndAllExpandToTheirDetectors) {
  auto chosen = [](std::vector<std::string> extra) {
    const fs::path out = fs::path(E2E_OUT_DIR) / "sets";
    fs::remove_all(out);
    std::vector<std::string> args = {
        "run", "--filter", "unlocked_counter/fixed", "--shard", "999/1000", "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult p = run_cli(args);
    EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
    return read_json(out / "results.json").at("run").at("detectors");
  };
  const json plain = chosen({});
  EXPECT_EQ(chosen({"--detectors", "default"}), plain);
  const json all = chosen({"--detectors", "all"});
  ProcessResult list = run_cli({"list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.stderr_text;
  // Every detector, less the other compiler's TSan where its optional catalog was not built
  // (the self-TSan build leaves it out).
  std::size_t available = 0;
  const json listed = json::parse(list.stdout_text);
  for (const auto& d : listed.at("detectors")) {
    const std::string config = d.at("configuration");
    const bool optional = config.rfind("tsan-", 0) == 0;
    const fs::path binary = fs::path(CASEBOOK_BIN).parent_path() / ("casebook-cases-" + config);
    if (!optional || fs::exists(binary)) ++available;
  }
  EXPECT_EQ(all.size(), available) << all.dump();
  EXPECT_GT(all.size(), plain.size()) << "invariant-noise at least is not in the default set";
  // A set and a name together: the name is not repeated.
  const json more = chosen({"--detectors", "default,invariant-noise,tsan"});
  EXPECT_EQ(more.size(), plain.size() + 1) << more.dump();
}

TEST(BadInput, BadFlagValuesExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"run", "--repeat", "0"},
                                        {"run", "--repeat", "many"},
                                        {"run", "--timeout", "-1"},
                                        {"run", "-j", "-3"},
                                        {"run", "--no-such-flag"},
                                        {"frobnicate"},
                                        {"list", "--format", "yaml"}}) {
    ProcessResult p = run_cli(args);
    EXPECT_EQ(p.exit_code, 2) << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": "
                              << p.stderr_text;
    EXPECT_FALSE(p.stderr_text.empty());
  }
}

// Counts of 0 or less, and seeds outside uint64 (CLI11 would wrap "-1" and clamp 2^64), are
// refused naming the flag. The run they would start is the fixture's quickest pair, so a value
// wrongly let through still ends soon (and exits 0, which fails the test).
TEST(BadInput, CountsBelowOneAndSeedsOutsideUint64ExitTwoNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"-j", "0"}, "-j takes 1 or more parallel jobs, got 0"},
      {{"--jobs", "0"}, "-j takes 1 or more parallel jobs, got 0"},
      {{"-j", "-2"}, "-j takes 1 or more parallel jobs, got -2"},
      {{"--repeat", "0"}, "--repeat must be at least 1, got 0"},
      {{"--repeat", "-1"}, "--repeat must be at least 1, got -1"},
      {{"--deflake", "0"}, "--deflake must be at least 1, got 0"},
      {{"--deflake", "-3"}, "--deflake must be at least 1, got -3"},
      {{"--deflake-max", "0"}, "--deflake-max must be at least 1, got 0"},
      {{"--deflake-seconds", "-1"}, "--deflake-seconds must be in [0, 86400], got -1"},
      {{"--share-machine"}, "--share-machine only matters with --repeat N"},
      {{"--timeout", "0"}, "--timeout must be in (0, 86400] seconds, got 0"},
      {{"--timeout", "-5"}, "--timeout must be in (0, 86400] seconds, got -5"},
      {{"--noise", "0"}, "--noise must be a level in 1..10, got 0"},
      {{"--seed", "-1"}, "--seed: must be a whole number in 0..18446744073709551615"},
      {{"--seed", "18446744073709551616"},
       "--seed: must be a whole number in 0..18446744073709551615"},
      {{"--seed", "12abc"}, "--seed: must be a whole number in 0..18446744073709551615"},
  };
  for (const auto& [flag, message] : cases) {
    std::vector<std::string> args = {
        "run",         "--bin-dir", FIXTURE_BIN_DIR, "--filter",        "misdeclared/broken",
        "--detectors", "invariant", "--out",         E2E_OUT_DIR "/bad"};
    args.insert(args.end(), flag.begin(), flag.end());
    ProcessResult p = run_cli(args);
    std::string words;
    for (const auto& word : flag) words += (words.empty() ? "" : " ") + word;
    EXPECT_EQ(p.exit_code, 2) << words << ": " << p.stdout_text << p.stderr_text;
    EXPECT_NE(p.stderr_text.find(message), std::string::npos) << words << ": " << p.stderr_text;
  }
}

// A first word that is not a command says so and lists the commands, instead of CLI11's
// "A subcommand is required" and a pointer to `casebook <word> --help`, which does not exist.
TEST(BadInput, AnUnknownCommandIsNamedAndTheCommandsListed) {
  for (std::vector<std::string> args : {std::vector<std::string>{"frobnicate"},
                                        {"frobnicate", "--help"},
                                        {"frobnicate", "run", "-j", "2"}}) {
    ProcessResult p = run_cli(args);
    EXPECT_EQ(p.exit_code, 2) << p.stdout_text << p.stderr_text;
    EXPECT_NE(p.stderr_text.find("'frobnicate' is not a casebook command"), std::string::npos)
        << p.stderr_text;
    for (const char* command : {"list", "run", "report", "replay"}) {
      EXPECT_TRUE(
          std::regex_search(p.stderr_text, std::regex(std::string("\\n +") + command + " ")))
          << command << " is not listed: " << p.stderr_text;
    }
    EXPECT_EQ(p.stderr_text.find("subcommand is required"), std::string::npos) << p.stderr_text;
    EXPECT_EQ(p.stderr_text.find("frobnicate --help"), std::string::npos) << p.stderr_text;
  }
  // A known command's own error still points at that command's help, and an unknown option
  // before any command at the top-level help.
  ProcessResult bad_flag = run_cli({"run", "--no-such-flag"});
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_NE(bad_flag.stderr_text.find("Run 'casebook run --help'"), std::string::npos)
      << bad_flag.stderr_text;
  ProcessResult top_flag = run_cli({"--no-such-flag"});
  EXPECT_EQ(top_flag.exit_code, 2);
  EXPECT_NE(top_flag.stderr_text.find("Run 'casebook --help'"), std::string::npos)
      << top_flag.stderr_text;
}

// Seeds at and above 2^63 reach both kinds of case host intact (`run`, here under TSan, and the
// model's `explore`): the runner hands trial i seed + i, wrapping at 2^64, and the repro line
// carries the deciding trial's seed and reproduces the verdict with it. TSan and the model
// detect request_ids' race in every trial, so no verdict depends on the schedule.
TEST(Seed, EveryUint64SeedRunsAndItsReproCarriesIt) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const std::string max = std::to_string(kMax);  // 18446744073709551615: trial 2 wraps to 0
  const fs::path out = fs::path(E2E_OUT_DIR) / "seed-max";
  fs::remove_all(out);
  ProcessResult p =
      run_cli({"run", "--bin-dir", EXAMPLE_BIN_DIR, "--filter", "request_ids", "--detectors",
               "tsan,model", "--repeat", "2", "--seed", max, "--out", out.string()});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  const json r = read_json(out / "results.json");
  EXPECT_EQ(r.at("run").at("seed").get<std::uint64_t>(), kMax);
  ASSERT_EQ(r.at("verdicts").size(), 4u);
  for (const auto& v : r.at("verdicts")) {
    const std::string pair =
        v.at("variant").get<std::string>() + "/" + v.at("detector").get<std::string>();
    EXPECT_TRUE(v.at("passed").get<bool>()) << pair << ": " << v.at("reason");
    const json& trials = v.at("trials");
    ASSERT_EQ(trials.size(), 2u) << pair;
    EXPECT_EQ(trials[0].at("seed").get<std::uint64_t>(), kMax) << pair;
    EXPECT_EQ(trials[1].at("seed").get<std::uint64_t>(), 0u) << pair << ": wraps at 2^64";
    const int decided = v.at("deciding_trial").get<int>();
    const std::uint64_t seed =
        decided >= 0 ? trials.at(static_cast<std::size_t>(decided)).at("seed").get<std::uint64_t>()
                     : kMax;
    EXPECT_NE(v.at("repro").get<std::string>().find("--seed " + std::to_string(seed)),
              std::string::npos)
        << pair << ": " << v.at("repro");
  }

  // The broken variant's TSan repro, run as printed, detects again under the same seed.
  const json* tsan = find_verdict(r, "request_ids", "broken", "tsan");
  ASSERT_NE(tsan, nullptr);
  const fs::path again = fs::path(E2E_OUT_DIR) / "seed-max-repro";
  fs::remove_all(again);
  ProcessResult repro =
      run_shell(tsan->at("repro").get<std::string>() + " --out " + again.string());
  ASSERT_TRUE(repro.exited) << describe_status(repro);
  EXPECT_EQ(repro.exit_code, 0) << repro.stdout_text << repro.stderr_text;
  const json r2 = read_json(again / "results.json");
  ASSERT_EQ(r2.at("verdicts").size(), 1u);
  EXPECT_EQ(r2.at("verdicts")[0].at("verdict"), "detected");
  EXPECT_EQ(r2.at("verdicts")[0].at("trials")[0].at("seed"),
            tsan->at("trials").at(tsan->at("deciding_trial").get<std::size_t>()).at("seed"));
}

TEST(BadInput, OutThatIsAFileIsRefusedAndLeftAlone) {
  const fs::path file = fs::path(E2E_OUT_DIR) / "not-a-folder";
  fs::create_directories(file.parent_path());
  { std::ofstream(file) << "keep me"; }
  ProcessResult p = run_cli({"run", "--filter", "unlocked_counter", "--out", file.string()});
  EXPECT_EQ(p.exit_code, 2) << p.stderr_text;
  EXPECT_NE(p.stderr_text.find("not a folder"), std::string::npos) << p.stderr_text;
  std::ifstream in(file);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "keep me");
}

TEST(BadInput, MissingCaseBinariesAreAnInfrastructureError) {
  const fs::path empty = fs::path(E2E_OUT_DIR) / "empty-bin";
  fs::create_directories(empty);
  ProcessResult p = run_cli({"run", "--bin-dir", empty.string(), "--out", E2E_OUT_DIR "/bad"});
  EXPECT_EQ(p.exit_code, 3) << p.stderr_text;
  EXPECT_NE(p.stderr_text.find("casebook-cases-plain"), std::string::npos) << p.stderr_text;
}

// The bring-your-own-case example (examples/request_ids), built through CASEBOOK_EXTRA_CASES
// into a catalog of its own, is graded like a catalog case.
TEST(ExampleCase, ABroughtCaseIsGradedAsDeclared) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "example";
  ProcessResult p = run_cli({"run", "--bin-dir", EXAMPLE_BIN_DIR, "--filter", "request_ids",
                             "--out", out.string(), "--seed", "1"});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  const json r = read_json(out / "results.json");
  EXPECT_EQ(find_verdict(r, "request_ids", "broken", "tsan")->at("verdict"), "detected");
  EXPECT_EQ(find_verdict(r, "request_ids", "broken", "invariant")->at("verdict"), "detected");
  for (const char* d : {"tsan", "asan", "watchdog", "invariant"}) {
    EXPECT_EQ(find_verdict(r, "request_ids", "fixed", d)->at("verdict"), "clean") << d;
  }
  // Named under the CASEBOOK_EXTRA_CASES folder that holds it, not the repository.
  EXPECT_EQ(find_verdict(r, "request_ids", "broken", "tsan")->at("file"), "request_ids/broken.cpp");
  EXPECT_EQ(find_verdict(r, "request_ids", "broken", "tsan")->at("file_base"),
            "%EXTRA_CASES_EXAMPLES%");
}

// Evidence of cases from outside the catalog is located in their own folders: results.json
// names the variants and their frames relative to the CASEBOOK_EXTRA_CASES folder holding
// them, with that folder's base id; SARIF locates their findings there under that base id,
// declared in originalUriBaseIds; and the line-level truth sees a model deadlock's blocked
// threads on the lines the fixture marks (tests/e2e/fixtures/extra_cases/crossed_locks).
TEST(ExtraCaseEvidence, LocatedInTheCasesOwnFolder) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "extra-evidence";
  ProcessResult p =
      run_cli({"run", "--bin-dir", EXAMPLE_BIN_DIR, "--filter", "crossed_locks,request_ids/broken",
               "--detectors", "model,tsan", "--out", out.string(), "--seed", "1"});
  ASSERT_TRUE(p.exited) << describe_status(p);
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  const json r = read_json(out / "results.json");
  const std::string fixtures = "%EXTRA_CASES_EXTRA_CASES%", examples = "%EXTRA_CASES_EXAMPLES%";
  ASSERT_TRUE(r.contains("source_bases")) << r.dump().substr(0, 400);
  EXPECT_EQ(r.at("source_bases").at(fixtures).at("path"),
            std::string(CASEBOOK_SOURCE_ROOT) + "/tests/e2e/fixtures/extra_cases");
  EXPECT_EQ(r.at("source_bases").at(examples).at("path"),
            std::string(CASEBOOK_SOURCE_ROOT) + "/examples");
  EXPECT_EQ(r.at("cases").at("crossed_locks").at("folder"), "crossed_locks");
  EXPECT_EQ(r.at("cases").at("crossed_locks").at("folder_base"), fixtures);
  EXPECT_TRUE(r.at("cases").at("crossed_locks").at("files").contains("broken.cpp"));

  const json* deadlock = find_verdict(r, "crossed_locks", "broken", "model");
  ASSERT_NE(deadlock, nullptr);
  EXPECT_EQ(deadlock->at("verdict"), "detected") << deadlock->at("reason");
  EXPECT_EQ(deadlock->at("file"), "crossed_locks/broken.cpp");
  EXPECT_EQ(deadlock->at("file_base"), fixtures);
  const json& level = deadlock->at("line_level");
  EXPECT_TRUE(level.at("hit").get<bool>()) << level;
  EXPECT_EQ(level.at("at").get<std::string>().rfind("crossed_locks/broken.cpp:", 0), 0u) << level;
  EXPECT_NE(level.at("frame").at("stack_title").get<std::string>().find(" blocked in lock"),
            std::string::npos)
      << level;

  // No frame of any finding keeps the build machine's path to either folder, and the races'
  // frames in request_ids are in its folder under its base.
  const json* race = find_verdict(r, "request_ids", "broken", "tsan");
  ASSERT_NE(race, nullptr);
  EXPECT_EQ(race->at("verdict"), "detected") << race->at("reason");
  int in_case = 0;
  for (const json* v : {deadlock, race}) {
    for (const auto& t : v->at("trials")) {
      for (const auto& f : t.at("findings")) {
        for (const auto& stack : f.at("stacks")) {
          for (const auto& frame : stack.at("frames")) {
            const std::string file = frame.at("file");
            EXPECT_EQ(file.find(CASEBOOK_SOURCE_ROOT), std::string::npos) << file;
            EXPECT_NE(file.rfind("examples/", 0), 0u) << file;
            EXPECT_NE(file.rfind("tests/e2e/fixtures/", 0), 0u) << file;
            if (file.rfind("request_ids/", 0) == 0) {
              EXPECT_EQ(frame.at("base"), examples) << frame;
              ++in_case;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(in_case, 0);

  // SARIF from those results: each finding located in its case's folder under its base id.
  const fs::path sarif_path = out / "casebook.sarif";
  ProcessResult report =
      run_cli({"report", (out / "results.json").string(), "--sarif", sarif_path.string()});
  ASSERT_EQ(report.exit_code, 0) << report.stdout_text << report.stderr_text;
  const json sarif = read_json(sarif_path);
  const json& run = sarif.at("runs").at(0);
  EXPECT_TRUE(run.at("originalUriBaseIds").contains(fixtures)) << run.at("originalUriBaseIds");
  EXPECT_TRUE(run.at("originalUriBaseIds").contains(examples)) << run.at("originalUriBaseIds");
  std::map<std::string, int> located;  // case -> results located in its folder
  for (const auto& result : run.at("results")) {
    const std::string c = result.at("properties").at("case");
    ASSERT_TRUE(result.contains("locations")) << result;
    const json& artifact =
        result.at("locations").at(0).at("physicalLocation").at("artifactLocation");
    const std::string uri = artifact.at("uri");
    EXPECT_EQ(uri.rfind(c + "/", 0), 0u) << result;
    EXPECT_EQ(artifact.at("uriBaseId"), c == "crossed_locks" ? fixtures : examples) << result;
    ++located[c];
  }
  EXPECT_GT(located["crossed_locks"], 0);
  EXPECT_GT(located["request_ids"], 0);

  // Merged with a run that covered only the examples folder, the file still lists both.
  const fs::path other = fs::path(E2E_OUT_DIR) / "extra-evidence-other";
  ProcessResult second =
      run_cli({"run", "--bin-dir", EXAMPLE_BIN_DIR, "--filter", "request_ids/fixed", "--detectors",
               "model", "--out", other.string(), "--seed", "1"});
  ASSERT_EQ(second.exit_code, 0) << second.stdout_text << second.stderr_text;
  EXPECT_EQ(read_json(other / "results.json").at("source_bases").size(), 1u);
  const fs::path merged = out / "merged.json";
  // The smaller file first: the merged document starts as a copy of the first input.
  ProcessResult merge = run_cli({"report", (other / "results.json").string(),
                                 (out / "results.json").string(), "--merged", merged.string()});
  ASSERT_EQ(merge.exit_code, 0) << merge.stdout_text << merge.stderr_text;
  const json m = read_json(merged);
  EXPECT_TRUE(m.at("source_bases").contains(fixtures)) << m.at("source_bases");
  EXPECT_TRUE(m.at("source_bases").contains(examples)) << m.at("source_bases");
}

// The controlled scheduler on the real catalog: the model case host's exploration result, and
// `casebook replay` of the schedule it prints.
json explore_model(const std::string& case_name, const std::string& variant,
                   const std::string& flags = "") {
  const fs::path out = fs::path(E2E_OUT_DIR) / "model" / (case_name + "." + variant + ".json");
  fs::create_directories(out.parent_path());
  const std::string host = (fs::path(CASEBOOK_BIN).parent_path() / "casebook-cases-model").string();
  ProcessResult p = e2e::run_shell(host + " explore " + case_name + " " + variant + " " + flags +
                                   " --outcome " + out.string() + " 2>/dev/null");
  EXPECT_EQ(p.exit_code, 0) << p.stderr_text;
  return read_json(out);
}

// A data race found by the model: two accesses of two different workers in the variant's
// source, at least one a write, each on one of the lines the variant marks as its bug when
// `on_marked` (the interleaving ends at the second, with no preemption needed).
void expect_model_race(const json& m, const std::string& source, bool on_marked) {
  ASSERT_TRUE(m.at("failed").get<bool>());
  ASSERT_EQ(m.at("failure").at("kind"), "data-race") << m.at("failure").at("message");
  EXPECT_EQ(m.at("preemptions"), 0);
  const json& accesses = m.at("failure").at("accesses");
  ASSERT_EQ(accesses.size(), 2u);
  const std::vector<int> marked =
      read_bug_marker_lines((fs::path(CASEBOOK_SOURCE_ROOT) / source).string());
  std::set<int> threads;
  int writes = 0;
  for (const auto& a : accesses) {
    threads.insert(a.at("thread").get<int>());
    writes += a.at("operation").get<std::string>().rfind("write", 0) == 0;
    EXPECT_EQ(a.at("file"), source);
    if (on_marked) {
      EXPECT_NE(std::find(marked.begin(), marked.end(), a.at("line").get<int>()), marked.end())
          << a;
    }
  }
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_GE(writes, 1);
  ASSERT_FALSE(m.at("trace").empty());
  EXPECT_EQ(m.at("trace").back().at("step"), accesses[0].at("step"));
  EXPECT_TRUE(m.at("trace").back().at("racy").get<bool>());
}

TEST(Model, UnlockedCounterIsADataRaceOnItsMarkedLines) {
  const json m = explore_model("unlocked_counter", "broken").at("model");
  expect_model_race(m, "cases/unlocked_counter/broken.cpp", true);
  // Pasteable: casebook by its path (the one beside the host, run by hand like this).
  EXPECT_EQ(m.at("replay_command")
                .get<std::string>()
                .rfind(fs::canonical(CASEBOOK_BIN).string() +
                           " replay unlocked_counter broken --schedule ",
                       0),
            0u)
      << m.at("replay_command");
  // Which inputs ran: its .small by default, and still when the runner passes the .small as
  // flags (2 threads, 1 iteration); other flags are "given".
  EXPECT_EQ(explore_model("unlocked_counter", "broken").at("inputs"), "small");
  EXPECT_EQ(explore_model("unlocked_counter", "broken", "--threads 2 --iterations 1").at("inputs"),
            "small");
  EXPECT_EQ(explore_model("unlocked_counter", "broken", "--threads 3").at("inputs"), "given");
  // With races only marked, the model goes on to the lost update, one increment per thread.
  const fs::path out = fs::path(E2E_OUT_DIR) / "model" / "unlocked_counter.broken.noraces.json";
  const std::string host = (fs::path(CASEBOOK_BIN).parent_path() / "casebook-cases-model").string();
  ProcessResult p = e2e::run_shell(host + " explore unlocked_counter broken --data-races off " +
                                   "--outcome " + out.string() + " 2>/dev/null");
  EXPECT_EQ(p.exit_code, 0) << p.stderr_text;
  const json lost = read_json(out).at("model");
  ASSERT_TRUE(lost.at("failed").get<bool>());
  EXPECT_EQ(lost.at("failure").at("kind"), "invariant-violated");
  EXPECT_EQ(lost.at("preemptions"), 1);
  // Shrunk to its essence: two threads, one increment each, four racy steps of interest (both
  // reads before either write).
  std::set<int> threads;
  int reads = 0, writes = 0, racy = 0;
  for (const auto& step : lost.at("trace")) {
    if (!step.at("racy").get<bool>()) continue;
    ++racy;
    threads.insert(step.at("thread").get<int>());
    const std::string op = step.at("operation");
    reads += op.rfind("read", 0) == 0;
    writes += op.rfind("write", 0) == 0;
    EXPECT_EQ(step.at("file"), "cases/unlocked_counter/broken.cpp");
  }
  EXPECT_LE(racy, 4);
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(writes, 2);
}

TEST(Model, SharedRngRacesInsideUnsafeRefAndItsFixIsClean) {
  const json broken = explore_model("shared_rng", "broken").at("model");
  // The workers' unsafe_ref() call is the access, on the line marked as the generator's
  // unordered hand-out (the draws inside it are marked too, for TSan).
  expect_model_race(broken, "cases/shared_rng/broken.cpp", true);
  for (const auto& a : broken.at("failure").at("accesses")) {
    EXPECT_NE(a.at("operation").get<std::string>().find("shared#1"), std::string::npos) << a;
  }
  ProcessResult replay = run_cli(
      {"replay", "shared_rng", "broken", "--schedule", broken.at("schedule").get<std::string>()});
  EXPECT_EQ(replay.exit_code, 0) << replay.stdout_text << replay.stderr_text;
  EXPECT_NE(replay.stdout_text.find("reproduced data-race"), std::string::npos)
      << replay.stdout_text;
  const json fixed = explore_model("shared_rng", "fixed").at("model");
  EXPECT_FALSE(fixed.at("failed").get<bool>()) << fixed.dump();
  EXPECT_TRUE(fixed.at("exhaustive").get<bool>()) << fixed.at("summary");
}

// The auto strategy: exhaustive dfs within preemption bound 2 when it ends within its time
// budget, else PCT runs whose summary states the guarantee. A budget no search meets (1 µs:
// the search stops after its first schedules) forces the fallback on a fixed variant, which
// must stay clean and say what it promises.
TEST(Model, AutoFallsBackToPctWithItsBoundWhenDfsRunsOutOfTime) {
  const json m =
      explore_model("unlocked_counter", "fixed", "--time-limit 0.000001 --runs 300 --seed 3")
          .at("model");
  EXPECT_FALSE(m.at("failed").get<bool>()) << m;
  EXPECT_EQ(m.at("strategy"), "pct");
  EXPECT_FALSE(m.at("exhaustive").get<bool>());
  const std::string summary = m.at("summary");
  EXPECT_NE(summary.find("exhaustive within preemption bound 2: no"), std::string::npos) << summary;
  EXPECT_NE(summary.find("; then "), std::string::npos) << summary;
  const json& pct = m.at("pct");
  EXPECT_EQ(pct.at("depth"), 3);
  EXPECT_GE(pct.at("threads").get<int>(), 2);
  EXPECT_GT(pct.at("steps").get<int>(), 0);
  // The per-run bound is 1/(n k^(d-1)); after R clean runs a bug of depth d is missed with
  // probability at most (1 - bound)^R.
  const double n = pct.at("threads").get<double>(), k = pct.at("steps").get<double>();
  EXPECT_NEAR(pct.at("per_run_bound").get<double>(), 1.0 / (n * k * k), 1e-9 + 1e-6 / (n * k * k));
  const double p = pct.at("per_run_bound").get<double>();
  EXPECT_NEAR(pct.at("miss_bound").get<double>(), std::pow(1.0 - p, 300.0), 1e-9);

  // A malformed budget is refused with the flag named.
  const std::string host = (fs::path(CASEBOOK_BIN).parent_path() / "casebook-cases-model").string();
  ProcessResult bad = e2e::run_shell(host + " explore unlocked_counter fixed --time-limit soon");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.stderr_text.find("--time-limit wants a non-negative number of seconds, got 'soon'"),
            std::string::npos)
      << bad.stderr_text;
}

TEST(Model, LockOrderDeadlockNamesBothMutexesAndBothThreads) {
  const json m = explore_model("lock_order_deadlock", "broken").at("model");
  ASSERT_TRUE(m.at("failed").get<bool>());
  EXPECT_EQ(m.at("failure").at("kind"), "deadlock");
  std::string text = m.at("failure").at("message");
  for (const auto& d : m.at("failure").at("details")) text += "\n" + d.get<std::string>();
  for (const char* name : {"mutex#1", "mutex#2", "thread 1", "thread 2", "wait-for cycle"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name << " missing from " << text;
  }
}

TEST(Model, ReplayOfThePrintedScheduleReproducesTheFailure) {
  const json m = explore_model("lock_order_deadlock", "broken").at("model");
  ASSERT_TRUE(m.at("failed").get<bool>());
  ProcessResult p = run_cli({"replay", "lock_order_deadlock", "broken", "--schedule",
                             m.at("schedule").get<std::string>()});
  EXPECT_EQ(p.exit_code, 0) << p.stdout_text << p.stderr_text;
  EXPECT_NE(p.stdout_text.find("reproduced deadlock"), std::string::npos) << p.stdout_text;
  // The fixed variant under the broken one's schedule: it does not fit (exit 2, said so) or runs
  // to its end clean (exit 1, said so); never an infrastructure failure (3).
  ProcessResult fixed = run_cli({"replay", "lock_order_deadlock", "fixed", "--schedule",
                                 m.at("schedule").get<std::string>()});
  ASSERT_TRUE(fixed.exited);
  if (fixed.exit_code == 2) {
    EXPECT_NE(fixed.stderr_text.find("the schedule does not fit"), std::string::npos)
        << fixed.stderr_text;
  } else {
    EXPECT_EQ(fixed.exit_code, 1) << fixed.stdout_text << fixed.stderr_text;
    EXPECT_NE(fixed.stdout_text.find("ran to its end with no failure"), std::string::npos)
        << fixed.stdout_text;
  }
  ProcessResult bad = run_cli({"replay", "lock_order_deadlock", "broken", "--schedule", "0x"});
  EXPECT_EQ(bad.exit_code, 2) << bad.stderr_text;
}

TEST(List, JsonListsEveryDetectorForEveryVariant) {
  ProcessResult p = run_cli({"list", "--format", "json"});
  ASSERT_EQ(p.exit_code, 0) << p.stderr_text;
  const json j = json::parse(p.stdout_text);
  // tsan, tsan-gcc, tsan-clang, asan, watchdog, invariant, invariant-noise, property,
  // fairness, perf, compile, model, thread-safety, helgrind, drd.
  EXPECT_EQ(j.at("detectors").size(), 15u);
  ASSERT_GE(j.at("variants").size(), 6u);
  // The general detectors apply everywhere (invariant-noise inherits invariant's expectation);
  // perf, fairness and compile only where declared.
  for (const auto& v : j.at("variants")) {
    for (const char* d :
         {"tsan", "asan", "watchdog", "invariant", "invariant-noise", "model", "helgrind", "drd"}) {
      EXPECT_TRUE(v.at("expectations").contains(d)) << v.at("case") << " lacks " << d;
    }
    EXPECT_EQ(v.at("expectations").contains("perf"),
              v.at("variant") == "broken" && v.at("perf_ratio").get<double>() > 0);
    EXPECT_EQ(
        v.at("expectations").contains("fairness"),
        v.at("fairness_floor").get<double>() > 0 || v.at("max_wait_seconds").get<double>() > 0);
    EXPECT_EQ(v.at("expectations").contains("compile"),
              !v.at("compile_probe").get<std::string>().empty());
    // Every catalog variant either generates inputs for its property or says why not.
    EXPECT_TRUE(v.at("expectations").contains("property"))
        << v.at("case") << "/" << v.at("variant") << " neither declares .vary nor skips property";
    if (v.at("expectations").contains("property")) {
      EXPECT_EQ(v.at("vary").empty(), v.at("expectations").at("property").at("want") == "skip")
          << v.at("case") << "/" << v.at("variant");
    }
  }
}

}  // namespace
}  // namespace casebook
