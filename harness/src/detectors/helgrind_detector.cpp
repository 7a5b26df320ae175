// The helgrind detector: the plain build run under Valgrind's Helgrind, which tracks the
// happens-before relation of pthread calls: races (with both accesses), lock-order
// inversions from its lock graph (no deadlock needed), and pthread API misuse.
#include "detectors/detector_impls.hpp"
#include "detectors/valgrind_run.hpp"

namespace casebook {

std::vector<std::string> HelgrindDetector::command_prefix(const std::string& log_prefix) const {
  // Helgrind's defaults already keep full history (both stacks of a race) and track lock
  // orders.
  return valgrind_command("helgrind", log_prefix, {});
}

DetectorReading HelgrindDetector::read(const TrialEvidence& evidence) const {
  return read_valgrind_trial(evidence, "Helgrind");
}

}  // namespace casebook
