// The tsan detector: the case's tsan build, read through the TSan report parser.
#include <string>

#include "detectors/detector_impls.hpp"
#include "parse/tsan_parser.hpp"

namespace casebook {

TsanDetector::TsanDetector(std::string compiler) {
  const std::string own = CASEBOOK_COMPILER_NAME;  // "clang" or "gcc": the project's compiler
  if (compiler.empty()) {
    name_ = "tsan";
    configuration_ = "tsan";
    description_ = "ThreadSanitizer (" + own +
                   "): data races, lock-order inversions, thread leaks, mutex misuse";
    return;
  }
  name_ = "tsan-" + compiler;
  if (compiler == own) {
    configuration_ = "tsan";
    description_ = "ThreadSanitizer of " + compiler + ": the same build as tsan";
    default_set_ = false;  // it would repeat tsan's trials
  } else {
    configuration_ = "tsan-" + compiler;
    description_ = "ThreadSanitizer of " + compiler +
                   ", the other compiler: the catalog built by it in a sub-build";
    default_set_ = CASEBOOK_OTHER_COMPILER_TSAN;
  }
}

std::vector<std::pair<std::string, std::string>> TsanDetector::environment(
    const ChildSettings& child) const {
  // history_size=7 keeps both stacks of old accesses; second_deadlock_stack shows where the
  // other lock of an inversion was taken. halt_on_error=0 lets one run report every race.
  return {{"TSAN_OPTIONS", "halt_on_error=0 history_size=7 second_deadlock_stack=1 exitcode=" +
                               std::to_string(kSanitizerExitCode) +
                               " log_path=" + child.log_prefix + symbolizer_option(' ')}};
}

DetectorReading TsanDetector::read(const TrialEvidence& evidence) const {
  return read_sanitizer_reports(evidence, &parse_tsan, "ThreadSanitizer");
}

}  // namespace casebook
