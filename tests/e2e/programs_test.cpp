// Standalone programs end to end: the real casebook CLI with --programs over the fixtures in
// tests/e2e/fixtures/programs (a broken/fixed pair in C, programs that declare their
// expectations in comment lines, a DataRaceBench-style corpus with OpenMP graded by a label
// file, a program that does not compile, and bad input). Nothing is built by CMake for them:
// casebook compiles them itself, into a cache the second run reuses.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using e2e::find_verdict;
using e2e::read_json;
using e2e::run_cli;
using nlohmann::json;

const fs::path kFixtures = fs::path(CASEBOOK_SOURCE_ROOT) / "tests/e2e/fixtures/programs";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class Programs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = fs::path(E2E_OUT_DIR) / "programs";
    fs::remove_all(out_);
    // The corpus is copied outside the repository, as a user's would be, so its evidence is
    // located relative to its own folder.
    corpus_ = fs::temp_directory_path() / ("casebook-e2e-corpus-" + std::to_string(::getpid()));
    fs::remove_all(corpus_);
    fs::copy(kFixtures / "corpus", corpus_, fs::copy_options::recursive);
    args_ = {"run",
             "--programs",
             (kFixtures / "pairs").string(),
             "--programs",
             (kFixtures / "declared").string(),
             "--programs",
             corpus_.string(),
             "--labels",
             (corpus_ / "labels.txt").string(),
             "--program-cache",
             (out_ / "cache").string(),
             "--seed",
             "3"};
    std::vector<std::string> first = args_;
    first.insert(first.end(), {"--out", (out_ / "first").string()});
    first_ = run_cli(first);
    if (fs::exists(out_ / "first" / "results.json")) {
      results_ = read_json(out_ / "first" / "results.json");
    }
  }
  static void TearDownTestSuite() { fs::remove_all(corpus_); }

  static const json& verdict(const std::string& c, const std::string& v, const std::string& d) {
    const json* found = find_verdict(results_, c, v, d);
    if (found == nullptr) throw std::runtime_error("no verdict for " + c + "/" + v + " " + d);
    return *found;
  }

  static inline fs::path out_;
  static inline fs::path corpus_;
  static inline std::vector<std::string> args_;
  static inline ProcessResult first_;
  static inline json results_;
};

TEST_F(Programs, EveryProgramIsGradedAsItsDeclarationsAndLabelsSay) {
  ASSERT_TRUE(first_.exited) << describe_status(first_);
  EXPECT_EQ(first_.exit_code, 0) << first_.stdout_text << first_.stderr_text;
  EXPECT_TRUE(contains(e2e::last_line(first_.stdout_text), " passed, 0 failed, "))
      << first_.stdout_text;
  // Declared in the file: ASan and TSan find the use after free, the watchdog the deadlock.
  EXPECT_EQ(verdict("freed_buffer", "program", "asan").at("verdict"), "detected");
  EXPECT_EQ(verdict("freed_buffer", "program", "invariant").at("verdict"), "clean");
  const json& hang = verdict("stuck_pair", "program", "watchdog");
  EXPECT_EQ(hang.at("verdict"), "detected");
  EXPECT_EQ(verdict("stuck_pair", "program", "tsan").at("verdict"), "skipped");
  // The detectors that need the case API say so.
  const json& model = verdict("freed_buffer", "program", "model");
  EXPECT_EQ(model.at("verdict"), "skipped");
  EXPECT_TRUE(contains(model.at("reason"), "cb:: API")) << model.at("reason");
}

TEST_F(Programs, APairAndALabelledCorpusGetUnionVerdicts) {
  EXPECT_EQ(verdict("counter_pair", "broken", "union").at("verdict"), "detected");
  EXPECT_EQ(verdict("counter_pair", "fixed", "union").at("verdict"), "clean");
  for (const std::string positive :
       {"CB001-shared-sum-orig-yes", "CB003-shift-left-orig-yes", "CB005-ready-flag-yes"}) {
    EXPECT_EQ(verdict(positive, "program", "union").at("verdict"), "detected") << positive;
  }
  for (const std::string negative : {"CB002-shared-sum-reduction-no", "CB004-private-scratch-no"}) {
    EXPECT_EQ(verdict(negative, "program", "union").at("verdict"), "clean") << negative;
    // Race-free OpenMP stays clean under clang's TSan because Archer tells it about OpenMP.
    EXPECT_EQ(verdict(negative, "program", "tsan").at("verdict"), "clean") << negative;
  }
  const json& omp = verdict("CB001-shared-sum-orig-yes", "program", "tsan");
  const std::string command = omp.at("trials").at(0).at("command");
  EXPECT_TRUE(contains(command, "OMP_TOOL_LIBRARIES=")) << command;
  EXPECT_TRUE(contains(command, "ignore_noninstrumented_modules=1")) << command;
  EXPECT_TRUE(contains(command, "OMP_NUM_THREADS=2")) << command;
  // Valgrind's tools cannot see OpenMP's synchronisation: skipped with the reason.
  EXPECT_EQ(omp.at("file"), "CB001-shared-sum-orig-yes.c");
}

TEST_F(Programs, EvidenceIsLocatedInTheProgramsOwnFolderAtTheLabelledLines) {
  const json& omp = verdict("CB003-shift-left-orig-yes", "program", "tsan");
  const json& line_level = omp.at("line_level");
  EXPECT_EQ(line_level.at("marked_lines"), json::array({20})) << line_level;
  EXPECT_EQ(line_level.at("hit"), true) << line_level;
  const json& frame =
      omp.at("trials").at(0).at("findings").at(0).at("stacks").at(0).at("frames").at(0);
  EXPECT_EQ(frame.at("file"), "CB003-shift-left-orig-yes.c") << frame;
  const std::string base = frame.at("base");
  EXPECT_EQ(base,
            "%PROGRAMS_" + std::string("CASEBOOK_E2E_CORPUS_") + std::to_string(::getpid()) + "%");
  EXPECT_EQ(results_.at("source_bases").at(base).at("path"), corpus_.string());
}

TEST_F(Programs, ASecondRunCompilesNothingAndRerunsAFailureFromItsReproLine) {
  EXPECT_GT(results_.at("programs").at("compiled"), 0);
  std::vector<std::string> second = args_;
  second.insert(second.end(), {"--out", (out_ / "second").string(), "--filter", "CB00*"});
  const ProcessResult again = run_cli(second);
  EXPECT_EQ(again.exit_code, 0) << again.stdout_text << again.stderr_text;
  EXPECT_TRUE(contains(again.stderr_text, "compiled 0, reused ")) << again.stderr_text;
  const json r = read_json(out_ / "second" / "results.json");
  EXPECT_EQ(r.at("programs").at("compiled"), 0);
  // A repro line names the program folders and labels it came from, so it runs as printed.
  const std::string repro = verdict("CB005-ready-flag-yes", "program", "tsan").at("repro");
  EXPECT_TRUE(contains(repro, "--programs " + corpus_.string())) << repro;
  EXPECT_TRUE(contains(repro, "--labels " + (corpus_ / "labels.txt").string())) << repro;
  const ProcessResult rerun = e2e::run_shell(repro + " --out " + (out_ / "repro").string());
  EXPECT_EQ(rerun.exit_code, 0) << rerun.stdout_text << rerun.stderr_text;
  const json replayed = read_json(out_ / "repro" / "results.json");
  const json* tsan = find_verdict(replayed, "CB005-ready-flag-yes", "program", "tsan");
  ASSERT_NE(tsan, nullptr);
  EXPECT_EQ(tsan->at("verdict"), "detected");
}

TEST(ProgramsAlone, AProgramThatDoesNotCompileIsAnErrorNamingTheCompilersMessage) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "programs-unbuildable";
  fs::remove_all(out);
  const ProcessResult run =
      run_cli({"run", "--programs", (kFixtures / "unbuildable").string(), "--program-cache",
               (out / "cache").string(), "--detectors", "tsan,invariant", "--out", out.string()});
  EXPECT_EQ(run.exit_code, 1) << run.stdout_text << run.stderr_text;
  const json results = read_json(out / "results.json");
  const json* tsan = find_verdict(results, "half_written", "program", "tsan");
  ASSERT_NE(tsan, nullptr);
  EXPECT_EQ(tsan->at("verdict"), "error");
  EXPECT_TRUE(contains(tsan->at("reason"), "undeclared_counter")) << tsan->at("reason");
  EXPECT_EQ(results.at("programs").at("failed"), 2);
}

TEST(ProgramsAlone, TheOtherCompilersTsanBuildsWithThatCompilersOwnFlags) {
  // tsan-gcc in a clang build (tsan-clang in a gcc one) compiles with the other compiler, and
  // so with its flags: each refuses some of the other's (g++ has no -gline-tables-only).
  const std::string other = CASEBOOK_OTHER_TSAN;
  const fs::path out = fs::path(E2E_OUT_DIR) / "programs-other-tsan";
  fs::remove_all(out);
  const ProcessResult run =
      run_cli({"run", "--programs", (kFixtures / "pairs").string(), "--program-cache",
               (out / "cache").string(), "--detectors", other, "--out", out.string()});
  EXPECT_EQ(run.exit_code, 0) << run.stdout_text << run.stderr_text;
  const json results = read_json(out / "results.json");
  EXPECT_EQ(results.at("programs").at("failed"), 0) << results.at("programs");
  const json* broken = find_verdict(results, "counter_pair", "broken", other);
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->at("verdict"), "detected") << broken->at("reason");
  const json* fixed = find_verdict(results, "counter_pair", "fixed", other);
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->at("verdict"), "clean") << fixed->at("reason");
}

TEST(ProgramsAlone, APositiveNoDetectorFlagsFailsItsUnionVerdict) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "programs-missed";
  fs::remove_all(out);
  fs::create_directories(out);
  std::ofstream(out / "labels.txt") << "CB004-private-scratch-no.c positive 19\n";
  const ProcessResult run = run_cli(
      {"run", "--programs", (kFixtures / "corpus" / "CB004-private-scratch-no.c").string(),
       "--labels", (out / "labels.txt").string(), "--program-cache", (out / "cache").string(),
       "--detectors", "tsan,invariant", "--out", (out / "run").string()});
  EXPECT_EQ(run.exit_code, 1) << run.stdout_text << run.stderr_text;
  const json results = read_json(out / "run" / "results.json");
  const json* u = find_verdict(results, "CB004-private-scratch-no", "program", "union");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->at("verdict"), "missed") << u->at("reason");
}

TEST(ProgramsAlone, ListShowsWhatARunWouldGradeAndRefusesWhatARunWould) {
  const ProcessResult listed =
      run_cli({"list", "--format", "json", "--programs", (kFixtures / "corpus").string(),
               "--labels", (kFixtures / "corpus" / "labels.txt").string()});
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  const json out = json::parse(listed.stdout_text);
  ASSERT_EQ(out.at("variants").size(), 5u);
  const json& first = out.at("variants").at(0);
  EXPECT_EQ(first.at("case"), "CB001-shared-sum-orig-yes");
  EXPECT_EQ(first.at("positive"), true);
  EXPECT_EQ(first.at("labelled_by"), "labels");
  EXPECT_EQ(first.at("expectations").at("helgrind").at("want"), "skip");
  const ProcessResult bad =
      run_cli({"list", "--programs", (kFixtures / "bad" / "bad_declarations").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(contains(bad.stderr_text,
                       "misdeclared.c:4: error: casebook-expect: unknown "
                       "detector 'tsna'"))
      << bad.stderr_text;
}

struct BadInput {
  std::vector<std::string> args;
  std::string message;
};

TEST(ProgramsAlone, BadInputExitsTwoNamingWhatWasWrongAndOverwritesNothing) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "programs-bad";
  fs::remove_all(out);
  fs::create_directories(out);
  std::ofstream(out / "results.json") << "{\"kept\": true}\n";
  const fs::path bad = kFixtures / "bad";
  const std::vector<BadInput> cases = {
      {{"--programs", (bad / "empty_folder").string()}, "no program found"},
      {{"--programs", (bad / "not_c" / "script.py").string()}, "not a C or C++ source file"},
      {{"--programs", (bad / "bad_declarations").string()},
       "misdeclared.c:4: error: casebook-expect: unknown detector 'tsna'"},
      {{"--programs", (bad / "bad_declarations").string()},
       "misdeclared.c:5: error: casebook-expect: watchdog cannot report 'data-race'"},
      {{"--programs", (kFixtures / "corpus").string(), "--labels",
        (bad / "labels" / "missing_program.txt").string()},
       "missing_program.txt:3: no program called 'CB999-not-here-yes.c'"},
      {{"--programs", (kFixtures / "corpus").string(), "--labels",
        (bad / "labels" / "bad_label.txt").string()},
       "bad_label.txt:1: 'CB001-shared-sum-orig-yes.c' needs a label, positive or negative"},
      {{"--labels", (bad / "labels" / "bad_label.txt").string()},
       "give their folder with --programs"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"run", "--out", out.string(), "--program-cache",
                                     (out / "cache").string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const ProcessResult run = run_cli(args);
    EXPECT_EQ(run.exit_code, 2) << c.message << "\n" << run.stderr_text;
    EXPECT_TRUE(contains(run.stderr_text, c.message)) << run.stderr_text;
  }
  EXPECT_EQ(e2e::read_text(out / "results.json"), "{\"kept\": true}\n");
}

}  // namespace
}  // namespace casebook
