// Unit tests of how the fairness and perf detectors read a finished trial: the arithmetic
// that turns per-thread shares and broken/fixed medians into findings, and what counts as
// an anomaly. The end-to-end runs of real cases exercise the rest.
#include <gtest/gtest.h>

#include "detectors/detector.hpp"
#include "finished_process.hpp"
#include "protocol/host_protocol_reader.hpp"

namespace casebook {
namespace {

using nlohmann::json;

using test::exited_ok;

VariantDecl variant(const std::string& name, double fairness_floor, double perf_ratio) {
  VariantDecl v;
  v.case_name = "demo";
  v.variant = name;
  v.fairness_floor = fairness_floor;
  v.perf_ratio = perf_ratio;
  v.perf_metric = "seconds";
  return v;
}

// An outcome with the given fields over the ones every outcome has, read as the runner reads
// an outcome file.
std::optional<protocol::Outcome> outcome_with(const std::optional<json>& fields) {
  if (!fields) return std::nullopt;
  json document = {{"case", "demo"}, {"invariant", "demo"}, {"holds", true}};
  document.update(*fields);
  return protocol::read_outcome(document);
}

DetectorReading read(std::string_view detector, const VariantDecl& v, const ProcessResult& p,
                     const std::optional<json>& outcome) {
  const Detector* d = find_detector(detector);
  EXPECT_NE(d, nullptr);
  return d->read(TrialEvidence{v, p, "", outcome_with(outcome), "/src"});
}

TEST(FairnessDetector, AppliesOnlyWhenAFloorIsDeclared) {
  const Detector* d = find_detector("fairness");
  EXPECT_FALSE(d->not_applicable(variant("broken", 0, 0)).empty());
  EXPECT_TRUE(d->not_applicable(variant("broken", 0.2, 0)).empty());
}

TEST(FairnessDetector, StarvedThreadIsAFinding) {
  auto r =
      read("fairness", variant("broken", 0.2, 0), exited_ok(), json{{"shares", {9900.0, 100.0}}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "starvation");
  EXPECT_NE(r.findings[0].summary.find("thread 1 got 1.00%"), std::string::npos)
      << r.findings[0].summary;
}

TEST(FairnessDetector, SharesAboveTheFloorAreClean) {
  // 15% against a fair 50% is above a floor of 0.2 x 50% = 10%.
  auto r = read("fairness", variant("fixed", 0.2, 0), exited_ok(), json{{"shares", {85, 15}}});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_TRUE(r.anomaly.empty());
}

TEST(FairnessDetector, MissingSharesOrTimeoutIsAnAnomaly) {
  EXPECT_FALSE(read("fairness", variant("fixed", 0.2, 0), exited_ok(), json{{"holds", true}})
                   .anomaly.empty());
  ProcessResult hung = exited_ok();
  hung.exited = false;
  hung.timed_out = true;
  EXPECT_FALSE(read("fairness", variant("fixed", 0.2, 0), hung, std::nullopt).anomaly.empty());
}

VariantDecl wait_variant(double max_wait_seconds) {
  VariantDecl v = variant("fixed", 0, 0);
  v.max_wait_seconds = max_wait_seconds;
  return v;
}

TEST(FairnessDetector, AppliesWhenAWaitCeilingIsDeclared) {
  EXPECT_TRUE(find_detector("fairness")->not_applicable(wait_variant(0.1)).empty());
}

TEST(FairnessDetector, AWaitAboveTheCeilingIsAFindingNamingTheThread) {
  auto r = read("fairness", wait_variant(0.1), exited_ok(),
                json{{"waits", {0.0002, 0.0001, 0.0003, 0.2875}}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "starvation");
  EXPECT_NE(r.findings[0].summary.find("thread 3 waited 287.5 ms"), std::string::npos)
      << r.findings[0].summary;
  EXPECT_NE(r.findings[0].raw.find("287.500"), std::string::npos) << r.findings[0].raw;
}

TEST(FairnessDetector, WaitsUnderTheCeilingAreCleanWhateverTheShares) {
  // Only the wait is declared: a skewed share of turns is not graded.
  auto r = read("fairness", wait_variant(0.1), exited_ok(),
                json{{"waits", {0.002, 0.004, 0.003, 0.09}}, {"shares", {100000, 90000, 1, 1}}});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_TRUE(r.anomaly.empty());
}

TEST(FairnessDetector, ADeclaredCeilingWithoutWaitsIsAnAnomaly) {
  auto r = read("fairness", wait_variant(0.1), exited_ok(), json{{"shares", {1, 1}}});
  EXPECT_NE(r.anomaly.find("no per-thread waits"), std::string::npos) << r.anomaly;
}

TEST(PerfDetector, AppliesToBrokenVariantsWithAThreshold) {
  const Detector* d = find_detector("perf");
  EXPECT_TRUE(d->not_applicable(variant("broken", 0, 3)).empty());
  EXPECT_FALSE(d->not_applicable(variant("fixed", 0, 3)).empty());
  EXPECT_FALSE(d->not_applicable(variant("broken", 0, 0)).empty());
  EXPECT_EQ(d->traits().host_command, "compare");
}

TEST(PerfDetector, RatioAtOrAboveThresholdIsASlowdown) {
  json o = {{"metric", "seconds"},      {"rounds", 3},         {"ratio", 4.0},
            {"threshold", 3.0},         {"broken_best", 0.4},  {"fixed_best", 0.1},
            {"broken_median", 0.4},     {"fixed_median", 0.1}, {"broken", {0.4, 0.41, 0.39}},
            {"fixed", {0.1, 0.1, 0.11}}};
  auto r = read("perf", variant("broken", 0, 3), exited_ok(), o);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "slowdown");
  EXPECT_NE(r.findings[0].summary.find("4.0x"), std::string::npos) << r.findings[0].summary;
  o["ratio"] = 2.9;
  EXPECT_TRUE(read("perf", variant("broken", 0, 3), exited_ok(), o).findings.empty());
}

TEST(PerfDetector, AFailedComparisonIsAnAnomaly) {
  ProcessResult crashed = exited_ok();
  crashed.exited = false;
  crashed.signaled = true;
  crashed.term_signal = 11;
  auto r = read("perf", variant("broken", 0, 3), crashed, std::nullopt);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.anomaly.find("did not finish"), std::string::npos);
}

TEST(PerfDetector, AnOutcomeThatIsNoComparisonIsAnAnomaly) {
  auto r = read("perf", variant("broken", 0, 3), exited_ok(), json{{"holds", true}});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.anomaly.find("not a comparison"), std::string::npos) << r.anomaly;
}

}  // namespace
}  // namespace casebook
