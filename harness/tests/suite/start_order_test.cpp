// Tests of start_order (suite/suite.hpp): which pairs of a run start first.
#include <gtest/gtest.h>

#include <vector>

#include "demo_variant.hpp"
#include "detectors/detector.hpp"
#include "suite/suite.hpp"

namespace casebook {
namespace {

VariantDecl hanging(const std::string& name, double timeout_seconds) {
  VariantDecl v = test::demo_variant();
  v.case_name = name;
  v.timeout_seconds = timeout_seconds;
  v.expectations = {{"watchdog", Want::finds, {"hang"}, "", true},
                    {"drd", Want::finds, {"mutex-misuse"}, "", true}};
  return v;
}

TEST(StartOrder, PairsOfAHangingVariantStartFirstTheLongestTimeoutFirst) {
  const VariantDecl quick = test::demo_variant();
  const VariantDecl hangs = hanging("relock", 2);
  const VariantDecl hangs_longer = hanging("stuck", 5);
  const Detector* tsan = find_detector("tsan");
  const Detector* watchdog = find_detector("watchdog");
  const Detector* drd = find_detector("drd");
  const std::vector<PlannedJob> jobs = {
      {&quick, tsan},             // 0: ends by itself
      {&hangs, watchdog},         // 1: 2 s, its own timeout
      {&quick, drd},              // 2: ends by itself, however long Valgrind's ceiling
      {&hangs, drd},              // 3: Valgrind's 20 x 2 s = 40 s
      {&hangs_longer, watchdog},  // 4: 5 s
  };
  SuiteOptions options;
  EXPECT_EQ(start_order(jobs, options), (std::vector<std::size_t>{3, 4, 1, 0, 2}));
  // --timeout overrides the variants' own: the watchdog pairs tie and keep plan order.
  options.timeout_override = std::chrono::seconds(1);
  EXPECT_EQ(start_order(jobs, options), (std::vector<std::size_t>{3, 1, 4, 0, 2}));
}

}  // namespace
}  // namespace casebook
