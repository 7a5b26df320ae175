// The drd detector: the plain build run under Valgrind's DRD: races between segments of
// threads, pthread API misuse, condition variables signalled without their mutex.
#include "detectors/detector_impls.hpp"
#include "detectors/valgrind_run.hpp"

namespace casebook {

std::vector<std::string> DrdDetector::command_prefix(const std::string& log_prefix) const {
  // DRD ignores stack variables unless told: the catalog's shared data is often a local of
  // run() that its threads capture by reference.
  return valgrind_command("drd", log_prefix, {"--check-stack-var=yes"});
}

DetectorReading DrdDetector::read(const TrialEvidence& evidence) const {
  return read_valgrind_trial(evidence, "DRD");
}

}  // namespace casebook
