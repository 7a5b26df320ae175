// The tsan detector: the case's tsan build, read through the TSan report parser.
#include <string>

#include "detectors/detector_impls.hpp"
#include "parse/tsan_parser.hpp"

namespace casebook {

std::vector<std::pair<std::string, std::string>> TsanDetector::environment(
    const std::string& log_prefix) const {
  // history_size=7 keeps both stacks of old accesses; second_deadlock_stack shows where the
  // other lock of an inversion was taken. halt_on_error=0 lets one run report every race.
  return {{"TSAN_OPTIONS", "halt_on_error=0 history_size=7 second_deadlock_stack=1 exitcode=" +
                               std::to_string(kSanitizerExitCode) + " log_path=" + log_prefix +
                               symbolizer_option(' ')}};
}

DetectorReading TsanDetector::read(const TrialEvidence& evidence) const {
  return read_sanitizer_reports(evidence, &parse_tsan, "ThreadSanitizer");
}

}  // namespace casebook
