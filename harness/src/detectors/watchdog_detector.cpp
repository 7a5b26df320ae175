// The watchdog: a plain build with a deadline. A child still running at its timeout is a
// hang; the stacks of all its threads, taken with gdb before it was killed, are the evidence.
#include <fmt/format.h>

#include <chrono>

#include "detectors/detector_impls.hpp"
#include "parse/gdb_parser.hpp"

namespace casebook {

DetectorReading WatchdogDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (!p.timed_out) return reading;  // crashes and wrong answers belong to other detectors

  Finding hang;
  hang.tool = "watchdog";
  hang.kind = "hang";
  hang.stacks = parse_gdb_backtrace(p.timeout_evidence, evidence.source_root);
  hang.summary = fmt::format("no exit after {:.1f} s; {} thread(s) captured",
                             std::chrono::duration<double>(p.duration).count(), hang.stacks.size());
  hang.raw = p.timeout_evidence;
  reading.findings.push_back(std::move(hang));
  return reading;
}

}  // namespace casebook
