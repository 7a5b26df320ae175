// The watchdog: a plain build with a deadline. A child still running at its timeout is a
// hang; the stacks of all its threads, taken (eu-stack, or gdb) before it was killed, are the
// evidence.
#include <fmt/format.h>

#include <chrono>

#include "detectors/detector_impls.hpp"
#include "parse/hang_stacks.hpp"

namespace casebook {

WatchdogDetector::WatchdogDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "watchdog";
        t.configuration = "plain";
        t.description =
            "hang watchdog: a run past its timeout is a hang, with every thread's stack";
        t.finding_kinds = {{"hang"}, false};
        t.reads_hang_stacks = true;
        return t;
      }()) {}

DetectorReading WatchdogDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (!p.timed_out) return reading;  // crashes and wrong answers belong to other detectors

  Finding hang;
  hang.tool = "watchdog";
  hang.kind = "hang";
  hang.stacks = parse_hang_stacks(p.timeout_evidence, evidence.source_root);
  // The trial's own timeout, not its duration: the duration also holds the gdb capture and
  // the kill's grace period, which say nothing about the program.
  const double timeout_s = std::chrono::duration<double>(p.timeout).count();
  if (p.timeout_evidence.empty() && evidence.stacks_in_trial >= 0) {
    // The runner takes stacks once a pair: an earlier hang of this variant has them.
    hang.summary = fmt::format("no exit within its {:.1f} s timeout; stacks as in trial {}",
                               timeout_s, evidence.stacks_in_trial + 1);
  } else {
    hang.summary = fmt::format("no exit within its {:.1f} s timeout; {} thread(s) captured",
                               timeout_s, hang.stacks.size());
  }
  hang.raw = p.timeout_evidence;
  reading.findings.push_back(std::move(hang));
  return reading;
}

}  // namespace casebook
