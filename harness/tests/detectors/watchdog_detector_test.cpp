// The watchdog reads a trial that outlived its timeout as a hang: with the stacks gdb took, or,
// for a later hang of a pair whose stacks were already taken, pointing at the trial that has
// them. The stacks themselves are parsed by parse/gdb_parser (tested on real gdb output).
#include <gtest/gtest.h>

#include "detectors/detector.hpp"
#include "finished_process.hpp"

namespace casebook {
namespace {

using test::exited_ok;

VariantDecl hanging_variant() {
  VariantDecl v;
  v.case_name = "some_case";
  v.variant = "broken";
  return v;
}

ProcessResult timed_out_after(std::chrono::milliseconds timeout, std::string stacks) {
  ProcessResult p;
  p.started = true;
  p.signaled = true;
  p.term_signal = 9;
  p.timed_out = true;
  p.timeout = timeout;
  p.timeout_evidence = std::move(stacks);
  return p;
}

TEST(WatchdogDetector, OnlyItReadsHangStacks) {
  for (const auto& d : all_detectors()) {
    EXPECT_EQ(d->traits().reads_hang_stacks, d->name() == "watchdog") << d->name();
  }
}

TEST(WatchdogDetector, AFinishedTrialIsNoHang) {
  const VariantDecl v = hanging_variant();
  const ProcessResult p = exited_ok();
  const DetectorReading r = find_detector("watchdog")->read(TrialEvidence{v, p, "", {}, "/src"});
  EXPECT_TRUE(r.findings.empty());
}

TEST(WatchdogDetector, AHangWithItsStacksCountsTheThreads) {
  const VariantDecl v = hanging_variant();
  const ProcessResult p = timed_out_after(std::chrono::milliseconds(3000),
                                          "Thread 1 (Thread 0x7f (LWP 10) \"host\"):\n"
                                          "#0  0x0000000000401000 in main () at /src/m.cpp:3\n");
  const DetectorReading r = find_detector("watchdog")->read(TrialEvidence{v, p, "", {}, "/src"});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "hang");
  EXPECT_EQ(r.findings[0].summary, "no exit within its 3.0 s timeout; 1 thread(s) captured");
}

TEST(WatchdogDetector, ALaterHangPointsAtTheTrialThatHasTheStacks) {
  const VariantDecl v = hanging_variant();
  const ProcessResult p = timed_out_after(std::chrono::milliseconds(2500), "");
  const DetectorReading r =
      find_detector("watchdog")->read(TrialEvidence{v, p, "", {}, "/src", /*stacks_in_trial=*/0});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "hang");
  EXPECT_EQ(r.findings[0].summary, "no exit within its 2.5 s timeout; stacks as in trial 1");
  EXPECT_TRUE(r.findings[0].stacks.empty());
}

}  // namespace
}  // namespace casebook
