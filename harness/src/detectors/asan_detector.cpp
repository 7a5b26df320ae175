// The asan detector: the case's ASan+UBSan build (LeakSanitizer included), read through the
// ASan/UBSan/LSan report parser.
#include <string>

#include "detectors/detector_impls.hpp"
#include "parse/asan_parser.hpp"

namespace casebook {

AsanDetector::AsanDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "asan";
        t.configuration = "asan";
        t.description =
            "AddressSanitizer + UBSan + LeakSanitizer: use-after-free, overflows, UB, leaks";
        // Open: the sanitizers name report types beyond our list (a newer runtime's, kept as a
        // slug of the banner).
        t.finding_kinds = {asan_known_kinds(), true};
        return t;
      }()) {}

std::vector<std::pair<std::string, std::string>> AsanDetector::environment(
    const ChildSettings& child) const {
  const std::string code = std::to_string(kSanitizerExitCode);
  // ASan stops at its first error (the build has no recovery for it); UBSan keeps going and
  // names each check (report_error_type) so findings get a precise kind.
  return {{"ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:print_summary=1:exitcode=" + code +
                               ":detect_stack_use_after_return=1:log_path=" + child.log_prefix +
                               symbolizer_option(':')},
          {"LSAN_OPTIONS", "exitcode=" + code},
          {"UBSAN_OPTIONS",
           "print_stacktrace=1:report_error_type=1:print_summary=1:"
           "halt_on_error=0:log_path=" +
               child.log_prefix + symbolizer_option(':')}};
}

DetectorReading AsanDetector::read(const TrialEvidence& evidence) const {
  return read_sanitizer_reports(evidence, &parse_asan, "AddressSanitizer");
}

}  // namespace casebook
