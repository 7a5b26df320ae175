// Tests of the helgrind and drd detectors: the command their trials run under (and that the
// runner puts it in front of the case host with the variant's small inputs), and how read()
// grades what a finished trial left: findings, Valgrind's own failures, timeouts, cut-off XML.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "demo_variant.hpp"
#include "detectors/detector.hpp"
#include "detectors/detector_impls.hpp"
#include "process/process.hpp"
#include "suite/trial.hpp"

namespace casebook {
namespace {

constexpr const char* kRoot = "/src/casebook";

// One Helgrind document with one race in the case's file; `tail` closes it (or not).
std::string helgrind_xml(bool finished) {
  std::string xml = R"(<?xml version="1.0"?>
<valgrindoutput>
<protocolversion>4</protocolversion>
<protocoltool>helgrind</protocoltool>
<error>
  <unique>0x0</unique>
  <tid>2</tid>
  <kind>Race</kind>
  <xwhat><text>Possible data race during write of size 8 at 0x10C030 by thread #2</text>
    <hthreadid>2</hthreadid></xwhat>
  <stack><frame><fn>bump()</fn><dir>/src/casebook/cases/demo</dir><file>broken.cpp</file>
    <line>12</line></frame></stack>
</error>
)";
  if (finished) xml += "<status><state>FINISHED</state></status>\n</valgrindoutput>\n";
  return xml;
}

class ValgrindDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    variant_ = test::demo_variant();
    variant_.defaults = Params{};
    variant_.defaults.threads = 8;
    variant_.defaults.iterations = 100000;
  }

  DetectorReading read(const std::string& detector, const std::string& log) {
    const Detector* d = find_detector(detector);
    EXPECT_NE(d, nullptr);
    process_.started = true;
    return d->read(TrialEvidence{variant_, process_, log, std::nullopt, kRoot});
  }

  void exits(int code) {
    process_.exited = true;
    process_.exit_code = code;
  }

  VariantDecl variant_;
  ProcessResult process_;
};

TEST_F(ValgrindDetectorTest, BothAreRegisteredOnThePlainBuildWithTheirOwnTimeout) {
  for (const char* name : {"helgrind", "drd"}) {
    const Detector* d = find_detector(name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_EQ(d->traits().configuration, "plain");
    EXPECT_EQ(d->traits().binary_name, "casebook-cases-plain");
    EXPECT_TRUE(d->traits().uses_small_inputs);
    EXPECT_FALSE(d->traits().in_default_set);  // minutes per catalog run: only when asked for
    ASSERT_TRUE(d->own_timeout(variant_).has_value());
    EXPECT_GE(*d->own_timeout(variant_), std::chrono::seconds(60));
    EXPECT_LE(*d->own_timeout(variant_), std::chrono::seconds(300));
  }
  // Other detectors keep running the case host directly, with its defaults.
  EXPECT_TRUE(find_detector("tsan")->command_prefix("/tmp/x").empty());
  EXPECT_FALSE(find_detector("tsan")->traits().uses_small_inputs);
  EXPECT_TRUE(find_detector("model")->traits().uses_small_inputs);
}

// A variant that declares it hangs hangs under Valgrind too, after its findings: its trials
// get 20 times its own timeout (at least 30 s) instead of the 180 s ceiling.
TEST_F(ValgrindDetectorTest, AVariantThatDeclaresAHangGetsAShorterTimeout) {
  VariantDecl hangs = variant_;
  hangs.timeout_seconds = 2;
  hangs.expectations.push_back({"watchdog", Want::finds, {"hang"}, "", true});
  VariantDecl slow_hang = hangs;
  slow_hang.timeout_seconds = 60;
  VariantDecl short_hang = hangs;
  short_hang.timeout_seconds = 0.5;
  for (const char* name : {"helgrind", "drd"}) {
    const Detector* d = find_detector(name);
    EXPECT_EQ(*d->own_timeout(hangs), std::chrono::seconds(40)) << name;
    EXPECT_EQ(*d->own_timeout(slow_hang), kValgrindTrialTimeout) << name;      // the ceiling
    EXPECT_EQ(*d->own_timeout(short_hang), std::chrono::seconds(30)) << name;  // the floor
    EXPECT_EQ(*d->own_timeout(variant_), kValgrindTrialTimeout) << name;
  }
  EXPECT_TRUE(hangs.declares_hang());
  EXPECT_FALSE(variant_.declares_hang());
}

// Such a variant's trial also ends once its processes have used no CPU for kValgrindIdleEnd
// (blocked for good, as the hang it declares): Helgrind reports a relock of a held mutex only
// when the process is ended. A variant that ends by itself is never cut short, however idle.
TEST_F(ValgrindDetectorTest, AHangingVariantsTrialEndsOnceItIsIdle) {
  VariantDecl hangs = variant_;
  hangs.expectations.push_back({"watchdog", Want::finds, {"hang"}, "", true});
  for (const char* name : {"helgrind", "drd"}) {
    const Detector* d = find_detector(name);
    EXPECT_EQ(d->idle_end(hangs), kValgrindIdleEnd) << name;
    EXPECT_EQ(d->idle_end(variant_), std::chrono::milliseconds::zero()) << name;
  }
  // No other detector ends a trial for being idle: a sanitizer's or the watchdog's hang trial
  // is graded at its own timeout, with the stacks taken there.
  EXPECT_EQ(find_detector("watchdog")->idle_end(hangs), std::chrono::milliseconds::zero());
  EXPECT_EQ(find_detector("tsan")->idle_end(hangs), std::chrono::milliseconds::zero());
}

// A variant that hangs by design and expects a Valgrind finding: its trial is settled once the
// XML written so far (one file per process, cut off mid-run) holds a finding of an expected
// kind; the rest would only be the hang. Never for a variant that ends by itself, nor for one
// expected clean or to find another kind.
TEST_F(ValgrindDetectorTest, AHangingVariantsTrialIsSettledOnceItsExpectedReportIsWritten) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "casebook-valgrind-settled";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string prefix = (dir / "helgrind-log").string();

  VariantDecl hangs = variant_;
  hangs.expectations = {{"watchdog", Want::finds, {"hang"}, "", true},
                        {"helgrind", Want::finds, {"data-race"}, "", true},
                        {"drd", Want::finds, {"mutex-misuse"}, "", true}};
  const auto helgrind = find_detector("helgrind")->settled_check(hangs, prefix);
  ASSERT_TRUE(helgrind);
  EXPECT_FALSE(helgrind());                                               // nothing written yet
  std::ofstream(prefix + ".4242") << helgrind_xml(false).substr(0, 120);  // the preamble only
  EXPECT_FALSE(helgrind());
  std::ofstream(prefix + ".4242") << helgrind_xml(false);  // the race, the document still open
  EXPECT_TRUE(helgrind());
  // The same race does not settle DRD, which expects mutex misuse.
  const auto drd = find_detector("drd")->settled_check(hangs, prefix);
  ASSERT_TRUE(drd);
  EXPECT_FALSE(drd());
  // A variant that ends by itself, or one expected clean under the tool: no check at all.
  VariantDecl ends = hangs;
  ends.expectations.erase(ends.expectations.begin());
  EXPECT_FALSE(find_detector("helgrind")->settled_check(ends, prefix));
  VariantDecl clean = hangs;
  clean.expectations.erase(clean.expectations.begin() + 1);
  EXPECT_FALSE(find_detector("helgrind")->settled_check(clean, prefix));
  // Nor for any other detector.
  EXPECT_FALSE(find_detector("tsan")->settled_check(hangs, prefix));
  std::filesystem::remove_all(dir);
}

TEST_F(ValgrindDetectorTest, CommandPrefixNamesTheToolTheXmlFileAndTheExitCode) {
  const auto helgrind = find_detector("helgrind")->command_prefix("/w/t1/helgrind-log");
  ASSERT_FALSE(helgrind.empty());
  EXPECT_EQ(helgrind[0], "valgrind");
  auto has = [](const std::vector<std::string>& argv, const std::string& word) {
    return std::find(argv.begin(), argv.end(), word) != argv.end();
  };
  EXPECT_TRUE(has(helgrind, "--tool=helgrind"));
  EXPECT_TRUE(has(helgrind, "--xml=yes"));
  EXPECT_TRUE(has(helgrind, "--xml-file=/w/t1/helgrind-log.%p"));
  EXPECT_TRUE(has(helgrind, "--error-exitcode=66"));
  EXPECT_TRUE(has(helgrind, "--child-silent-after-fork=yes"));
  const auto drd = find_detector("drd")->command_prefix("/w/t1/drd-log");
  EXPECT_TRUE(has(drd, "--tool=drd"));
  EXPECT_TRUE(has(drd, "--check-stack-var=yes"));
  EXPECT_TRUE(has(drd, "--xml-file=/w/t1/drd-log.%p"));
}

std::vector<std::string> suppression_args(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  for (const auto& word : argv) {
    if (word.rfind("--suppressions=", 0) == 0) out.push_back(word.substr(15));
  }
  return out;
}

TEST_F(ValgrindDetectorTest, EveryTrialGetsCasebooksSuppressionsByDefault) {
  // The file the build copies beside the binaries (this test runs from the build's bin/).
  const std::string shipped = shipped_valgrind_suppressions();
  EXPECT_EQ(std::filesystem::path(shipped).filename(), "casebook.supp");
  EXPECT_TRUE(std::filesystem::is_regular_file(shipped)) << shipped;
  EXPECT_EQ(std::filesystem::path(shipped).parent_path().parent_path().parent_path().parent_path(),
            std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path());
  for (const char* name : {"helgrind", "drd"}) {
    const auto argv = find_detector(name)->command_prefix("/w/t1/log");
    EXPECT_EQ(suppression_args(argv), std::vector<std::string>{shipped}) << name;
  }
}

TEST_F(ValgrindDetectorTest, UserSuppressionsFollowCasebooksInOrder) {
  const std::vector<std::string> before = valgrind_suppressions();
  set_valgrind_suppressions({"/s/casebook.supp", "/u/mine.supp", "/u/other.supp"});
  const std::vector<std::string> expected = {"/s/casebook.supp", "/u/mine.supp", "/u/other.supp"};
  EXPECT_EQ(suppression_args(find_detector("drd")->command_prefix("/w/log")), expected);
  // The repro command a trial records carries them too.
  TrialPlan plan;
  plan.variant = &variant_;
  plan.detector = find_detector("helgrind");
  plan.case_binary = "/b/casebook-cases-plain";
  EXPECT_EQ(suppression_args(trial_argv(plan, "", "/tmp/casebook-helgrind-log")), expected);
  set_valgrind_suppressions({});
  EXPECT_TRUE(suppression_args(find_detector("helgrind")->command_prefix("/w/log")).empty());
  set_valgrind_suppressions(before);
}

// The detector's real command on a correct program whose two threads throw (the parse tests'
// valgrind_concurrent_throw): Helgrind finds the unwinder's races, casebook's file silences
// them, and the reading says which entries fired. Fails if the file is not passed, or if the
// command keeps Valgrind so quiet that it leaves <suppcounts> out of the XML.
TEST_F(ValgrindDetectorTest, RealHelgrindRunIsCleanAndCountsTheSuppressions) {
  if (std::string(CASEBOOK_VALGRIND).empty()) GTEST_SKIP() << "valgrind is not installed";
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "casebook-vgsupp-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir_template.data()), nullptr);
  const std::filesystem::path dir = dir_template;
  ProcessSpec spec;
  spec.argv = find_detector("helgrind")->command_prefix((dir / "helgrind-log").string());
  spec.argv.push_back(CASEBOOK_CONCURRENT_THROW);
  spec.timeout = std::chrono::seconds(300);
  const ProcessResult p = run_process(spec);
  std::string log;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    log += std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::filesystem::remove_all(dir);
  const Detector* d = find_detector("helgrind");
  const DetectorReading r = d->read(TrialEvidence{variant_, p, log, std::nullopt, kRoot});
  SCOPED_TRACE(log + "\n--- stderr:\n" + p.stderr_text);
  EXPECT_TRUE(p.exited);
  EXPECT_EQ(p.exit_code, 0);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.anomaly, "");
  EXPECT_EQ(r.infra_error, "");
  int ours = 0;
  for (const auto& s : r.suppressed) {
    if (s.name.rfind("helgrind-libgcc-unwind-", 0) == 0) ours += s.count;
  }
  EXPECT_GT(ours, 0);
}

TEST_F(ValgrindDetectorTest, SuppressionCountsReachTheReading) {
  exits(0);
  const DetectorReading r =
      read("helgrind",
           "<valgrindoutput>\n<protocoltool>helgrind</protocoltool>\n<suppcounts>\n<pair><count>4"
           "</count><name>helgrind-libgcc-unwind-raise</name></pair>\n</suppcounts>\n"
           "</valgrindoutput>\n");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.suppressed, (std::vector<SuppressionCount>{{"helgrind-libgcc-unwind-raise", 4}}));
}

TEST_F(ValgrindDetectorTest, TrialRunsTheCaseHostUnderValgrindWithSmallInputs) {
  TrialPlan plan;
  plan.variant = &variant_;
  plan.detector = find_detector("drd");
  plan.seed = 7;
  plan.case_binary = "/b/casebook-cases-plain";
  // No .small declared: the defaults.
  auto argv = trial_argv(plan, "/w/outcome.json", "/w/drd-log");
  const auto prefix = plan.detector->command_prefix("/w/drd-log");
  ASSERT_GT(argv.size(), prefix.size());
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), argv.begin()));
  const std::vector<std::string> host(argv.begin() + static_cast<long>(prefix.size()), argv.end());
  const std::vector<std::string> expected_defaults = {"/b/casebook-cases-plain",
                                                      "run",
                                                      "demo",
                                                      "broken",
                                                      "--threads",
                                                      "8",
                                                      "--iterations",
                                                      "100000",
                                                      "--seed",
                                                      "7",
                                                      "--outcome",
                                                      "/w/outcome.json"};
  EXPECT_EQ(host, expected_defaults);
  // With .small declared: those.
  Params small;
  small.threads = 2;
  small.iterations = 3;
  variant_.small = small;
  argv = trial_argv(plan, "/w/outcome.json", "/w/drd-log");
  const std::vector<std::string> host_small(argv.begin() + static_cast<long>(prefix.size()),
                                            argv.end());
  const std::vector<std::string> expected_small = {"/b/casebook-cases-plain",
                                                   "run",
                                                   "demo",
                                                   "broken",
                                                   "--threads",
                                                   "2",
                                                   "--iterations",
                                                   "3",
                                                   "--seed",
                                                   "7",
                                                   "--outcome",
                                                   "/w/outcome.json"};
  EXPECT_EQ(host_small, expected_small);
  // The sanitizers run the defaults whatever .small says, and nothing in front.
  plan.detector = find_detector("tsan");
  argv = trial_argv(plan, "/w/outcome.json", "/w/tsan-log");
  EXPECT_EQ(argv, expected_defaults);
}

TEST_F(ValgrindDetectorTest, ReportedRaceIsAFinding) {
  exits(66);
  DetectorReading r = read("helgrind", helgrind_xml(true));
  EXPECT_EQ(r.anomaly, "");
  EXPECT_EQ(r.infra_error, "");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].tool, "helgrind");
  EXPECT_EQ(r.findings[0].kind, "data-race");
  EXPECT_EQ(r.findings[0].stacks[0].frames[0].file, "cases/demo/broken.cpp");
}

TEST_F(ValgrindDetectorTest, CleanRunIsClean) {
  exits(0);
  DetectorReading r =
      read("drd",
           "<?xml version=\"1.0\"?>\n<valgrindoutput>\n<protocoltool>drd</protocoltool>\n"
           "<status><state>FINISHED</state></status>\n</valgrindoutput>\n");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.anomaly, "");
  EXPECT_EQ(r.infra_error, "");
}

TEST_F(ValgrindDetectorTest, ErrorExitCodeWithoutReadableErrorIsAnAnomaly) {
  exits(66);
  DetectorReading r = read("helgrind", helgrind_xml(true).substr(0, 120));
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.anomaly.find("error code 66 but no error could be read"), std::string::npos)
      << r.anomaly;
}

TEST_F(ValgrindDetectorTest, CutOffXmlAfterANormalExitIsAnAnomaly) {
  exits(66);
  DetectorReading r = read("helgrind", helgrind_xml(false));
  EXPECT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.anomaly.find("XML output is incomplete"), std::string::npos) << r.anomaly;
}

TEST_F(ValgrindDetectorTest, TimeoutKeepsTheErrorsWrittenBeforeIt) {
  process_.timed_out = true;
  process_.timeout = std::chrono::seconds(120);
  DetectorReading r = read("helgrind", helgrind_xml(false));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.anomaly, "");  // the finding explains the run; it was cut off, not wrong
  DetectorReading silent = read("helgrind", "<?xml version=\"1.0\"?>\n<valgrindoutput>\n");
  EXPECT_TRUE(silent.findings.empty());
  EXPECT_NE(silent.anomaly.find("timed out under Helgrind after 120 s"), std::string::npos)
      << silent.anomaly;
}

TEST_F(ValgrindDetectorTest, ValgrindsOwnFailureIsAnInfrastructureError) {
  exits(1);
  // A suppressions file Valgrind cannot parse: it stops before the program runs.
  process_.stderr_text =
      "==15257== FATAL: in suppressions file \"mine.supp\" near line 3:\n"
      "==15257==    unexpected end-of-file (when reading stack trace)\n==15257== exiting now.\n";
  EXPECT_NE(read("helgrind", "<?xml version=\"1.0\"?>\n\n<valgrindoutput>\n")
                .infra_error.find("FATAL: in suppressions file \"mine.supp\""),
            std::string::npos);
  process_.stderr_text =
      "valgrind: m_mallocfree.c:303 (get_bszB_as_is): Assertion 'bszB_lo == bszB_hi' failed.\n"
      "valgrind: the 'impossible' happened:\n";
  DetectorReading r = read("drd", "");
  EXPECT_NE(r.infra_error.find("Valgrind (DRD) itself failed"), std::string::npos) << r.infra_error;
  // What Valgrind 3.19 says about clang-14's default DWARF 5 (cmake/configurations.cmake).
  process_.stderr_text =
      "==30899== Valgrind: debuginfo reader: Possibly corrupted debuginfo file.\n"
      "==30899== Valgrind: I can't recover.  Giving up.  Sorry.\n";
  EXPECT_NE(read("drd", "").infra_error.find("I can't recover"), std::string::npos);
  process_.stderr_text = "valgrind: failed to start tool 'drd' for platform 'amd64-linux'\n";
  EXPECT_NE(read("drd", "").infra_error.find("itself failed"), std::string::npos);
  // No XML at all, for another reason: still not the program's fault.
  process_.stderr_text = "";
  DetectorReading none = read("drd", "");
  EXPECT_NE(none.infra_error.find("wrote no XML output"), std::string::npos) << none.infra_error;
}

TEST_F(ValgrindDetectorTest, OddExitOrSignalWithoutReportIsAnAnomaly) {
  exits(3);
  const std::string clean_xml =
      "<valgrindoutput>\n<protocoltool>drd</protocoltool>\n</valgrindoutput>\n";
  EXPECT_NE(read("drd", clean_xml).anomaly.find("neither 0 nor DRD's 66"), std::string::npos);
  process_ = ProcessResult{};
  process_.signaled = true;
  process_.term_signal = 11;
  EXPECT_NE(read("drd", clean_xml).anomaly.find("under DRD with no report"), std::string::npos);
}

}  // namespace
}  // namespace casebook
