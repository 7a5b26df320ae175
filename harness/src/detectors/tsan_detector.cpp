// The tsan detector: the case's tsan build, read through the TSan report parser.
#include <string>

#include "detectors/detector_impls.hpp"
#include "parse/tsan_parser.hpp"

namespace casebook {

namespace {

DetectorTraits tsan_traits(std::string_view compiler) {
  const std::string own = CASEBOOK_COMPILER_NAME;  // "clang" or "gcc": the project's compiler
  DetectorTraits t;
  // TSan names report types beyond our list (a newer runtime's, kept as a slug of the
  // banner), so the vocabulary is open.
  t.finding_kinds = {tsan_known_kinds(), true};
  const std::string family = compiler.empty() ? own : std::string(compiler);
  if (family == "gcc") {
    t.blind_to_openmp =
        "gcc's OpenMP runtime (libgomp) is not built with TSan, so its own "
        "synchronisation would show as races";
  }
  if (compiler.empty()) {
    t.name = "tsan";
    t.configuration = "tsan";
    t.description = "ThreadSanitizer (" + own +
                    "): data races, lock-order inversions, thread leaks, mutex misuse";
    return t;
  }
  t.name = "tsan-" + family;
  t.expectations_of = "tsan";  // what one TSan must see, the other must see too
  if (family == own) {
    t.configuration = "tsan";
    t.description = "ThreadSanitizer of " + family + ": the same build as tsan";
    t.in_default_set = false;  // it would repeat tsan's trials
  } else {
    t.configuration = "tsan-" + family;
    t.description = "ThreadSanitizer of " + family +
                    ", the other compiler: the catalog built by it in a sub-build";
    t.in_default_set = CASEBOOK_OTHER_COMPILER_TSAN;
    t.optional_build =
        "a build configured with -DCASEBOOK_OTHER_COMPILER_TSAN=ON (the default) builds it";
  }
  return t;
}

}  // namespace

TsanDetector::TsanDetector(std::string_view compiler) : Detector(tsan_traits(compiler)) {}

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
