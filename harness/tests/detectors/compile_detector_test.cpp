// Tests of the compile detector on real compiler runs: probes written into a scratch source
// tree, compiled with this build's compiler the way casebook-compile-probe does, and read.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "detectors/detector.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;

class CompileDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (fs::temp_directory_path() / "casebook-compile-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    root_ = dir;
    fs::create_directories(root_ / "cases" / "demo");
    variant_.case_name = "demo";
    variant_.variant = "broken";
    variant_.file = "cases/demo/broken.cpp";
    variant_.compile_probe = "cases/demo/probe.cpp";
  }
  void TearDown() override { fs::remove_all(root_); }

  // Writes the probe, compiles it as the detector's trial would, and lets the detector read.
  DetectorReading probe(const std::string& text) {
    std::ofstream(root_ / variant_.compile_probe) << text;
    const Detector* d = find_detector("compile");
    EXPECT_NE(d, nullptr);
    auto args = d->own_arguments(variant_, root_.string());
    EXPECT_TRUE(args.has_value());
    ProcessSpec spec;
    spec.argv = {CASEBOOK_TEST_CXX, "-std=c++20", "-fsyntax-only",
                 "-I" + std::string(CASEBOOK_SOURCE_ROOT) + "/harness/include"};
    spec.argv.insert(spec.argv.end(), args->begin(), args->end());
    spec.timeout = std::chrono::seconds(120);
    process_ = run_process(spec);
    return d->read(TrialEvidence{variant_, process_, "", std::nullopt, root_.string()});
  }

  fs::path root_;
  VariantDecl variant_;
  ProcessResult process_;
};

constexpr const char* kRefused = R"(// casebook-expect-error: cannot cross a process boundary
#include <casebook/crossing.hpp>
#include <string>
struct job { std::string name; };
bool f(int fd, const job& j) {
  return cb::send_record(fd, j);
}
)";

TEST_F(CompileDetectorTest, AppliesOnlyToVariantsWithAProbe) {
  const Detector* d = find_detector("compile");
  EXPECT_TRUE(d->not_applicable(variant_).empty());
  VariantDecl plain = variant_;
  plain.compile_probe.clear();
  EXPECT_FALSE(d->not_applicable(plain).empty());
  EXPECT_EQ(d->traits().binary_name, "casebook-compile-probe");
}

TEST_F(CompileDetectorTest, RefusedForTheDeclaredReasonIsRejected) {
  const auto r = probe(kRefused);
  EXPECT_TRUE(r.anomaly.empty()) << r.anomaly;
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.kind, "rejected");
  EXPECT_EQ(f.location, "cases/demo/probe.cpp:6");
  ASSERT_EQ(f.stacks.size(), 1u);
  ASSERT_FALSE(f.stacks[0].frames.empty());
  EXPECT_EQ(f.stacks[0].frames.front().file, "cases/demo/probe.cpp");
  EXPECT_NE(f.summary.find("cannot cross a process boundary"), std::string::npos) << f.summary;
}

// A case brought from outside the tree (CASEBOOK_EXTRA_CASES) names its files by absolute
// path: the probe is compiled and read there, not under the source root.
TEST_F(CompileDetectorTest, AProbeOfACaseFromOutsideTheTreeIsReadWhereItIs) {
  std::string outside = (fs::temp_directory_path() / "casebook-outside-XXXXXX").string();
  ASSERT_NE(mkdtemp(outside.data()), nullptr);
  variant_.file = outside + "/broken.cpp";
  variant_.compile_probe = outside + "/probe.cpp";
  const auto args = find_detector("compile")->own_arguments(variant_, root_.string());
  ASSERT_TRUE(args.has_value());
  EXPECT_EQ(*args, std::vector<std::string>{variant_.compile_probe});
  const auto r = probe(kRefused);  // root_ / an absolute path is that path
  fs::remove_all(outside);
  EXPECT_TRUE(r.anomaly.empty()) << r.anomaly << process_.stderr_text;
  ASSERT_EQ(r.findings.size(), 1u) << process_.stderr_text;
  EXPECT_EQ(r.findings[0].kind, "rejected");
}

TEST_F(CompileDetectorTest, AProbeThatCompilesFindsNothing) {
  const auto r = probe(R"(// casebook-expect-error: cannot cross a process boundary
#include <casebook/crossing.hpp>
struct point { int x, y; };
bool f(int fd, const point& p) { return cb::send_record(fd, p); }
)");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_TRUE(r.anomaly.empty()) << r.anomaly;
}

TEST_F(CompileDetectorTest, RefusedForAnotherReasonIsAnAnomalyNotAPass) {
  const auto r = probe(R"(// casebook-expect-error: cannot cross a process boundary
#include <casebook/crossing.hpp>
bool f(int fd) { return cb::send_recrod(fd, 1); }
)");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.anomaly.find("not with the expected error"), std::string::npos) << r.anomaly;
  EXPECT_NE(r.anomaly.find("cases/demo/probe.cpp:3"), std::string::npos) << r.anomaly;
}

TEST_F(CompileDetectorTest, AProbeWithoutAMarkerIsAnAnomaly) {
  std::string text = kRefused;
  text.replace(0, text.find('\n'), "// nothing declared");
  const auto r = probe(text);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.anomaly.find("casebook-expect-error:"), std::string::npos) << r.anomaly;
}

}  // namespace
}  // namespace casebook
