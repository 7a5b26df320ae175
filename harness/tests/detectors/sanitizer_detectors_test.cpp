// Tests of how the asan and tsan detectors read a trial whose sanitizer runtime itself failed:
// an infrastructure error when it had reported nothing (the trial cannot be judged, and the
// runner stops repeating the pair), and an anomaly beside the reports when it had (a program
// writing into freed memory can break the runtime's bookkeeping; the reports are evidence).
#include <gtest/gtest.h>

#include <string>

#include "demo_variant.hpp"
#include "detectors/detector.hpp"
#include "suite/trial.hpp"

namespace casebook {
namespace {

constexpr const char* kRoot = "/src/casebook";

// ASan's report of a use after free (shaped after clang-14's), as the log file holds it.
constexpr const char* kUseAfterFree =
    R"(=================================================================
==3276==ERROR: AddressSanitizer: heap-use-after-free on address 0x607000000108 at pc 0x55f3adbd5269 bp 0x7fc406ffee30 sp 0x7fc406ffee28
WRITE of size 8 at 0x607000000108 thread T1
    #0 0x55f3adbd5268 in write_late /src/casebook/cases/demo/broken.cpp:8:5
    #1 0x7fc4096a71f4 in start_thread nptl/pthread_create.c:442

0x607000000108 is located 8 bytes inside of 80-byte region [0x607000000100,0x607000000150)
freed by thread T0 here:
    #0 0x55f3adbd52e6 in main /src/casebook/cases/demo/broken.cpp:15:3

previously allocated by thread T0 here:
    #0 0x55f3adbd52d6 in main /src/casebook/cases/demo/broken.cpp:14:3

SUMMARY: AddressSanitizer: heap-use-after-free /src/casebook/cases/demo/broken.cpp:8:5 in write_late
)";

// The line forgotten_join/broken's ASan runtime printed in one trial of a --repeat 100 run.
constexpr const char* kCheckFailed =
    "==32091==AddressSanitizer: CHECK failed: sanitizer_common.h:494 \"((i)) < ((size_))\" "
    "(0xd26ec055, 0x3) (tid=32091)\n";

class SanitizerDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    process_.started = true;
    process_.exited = true;
    process_.exit_code = kSanitizerExitCode;
  }

  DetectorReading read(const std::string& log) {
    const Detector* asan = find_detector("asan");
    EXPECT_NE(asan, nullptr);
    return asan->read(TrialEvidence{variant_, process_, log, std::nullopt, kRoot});
  }

  VariantDecl variant_ = test::demo_variant();
  ProcessResult process_;
};

TEST_F(SanitizerDetectorTest, ARuntimeFailureAfterReportsKeepsThemAndIsAnAnomaly) {
  const DetectorReading r = read(std::string(kUseAfterFree) + kCheckFailed);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "heap-use-after-free");
  EXPECT_EQ(r.infra_error, "") << "the trial can be judged on its report";
  EXPECT_NE(r.anomaly.find("AddressSanitizer itself failed after reporting 1 error(s)"),
            std::string::npos)
      << r.anomaly;
  EXPECT_NE(r.anomaly.find("CHECK failed: sanitizer_common.h:494"), std::string::npos) << r.anomaly;
}

TEST_F(SanitizerDetectorTest, ARuntimeFailureWithNothingReportedCannotBeJudged) {
  const DetectorReading r = read(kCheckFailed);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.infra_error.find("AddressSanitizer itself failed: "), std::string::npos)
      << r.infra_error;
  EXPECT_NE(r.infra_error.find("CHECK failed"), std::string::npos) << r.infra_error;
}

TEST_F(SanitizerDetectorTest, AReportAloneIsNeitherAnAnomalyNorAnError) {
  const DetectorReading r = read(kUseAfterFree);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.infra_error, "");
  EXPECT_EQ(r.anomaly, "");
}

}  // namespace
}  // namespace casebook
