// valgrind_run.hpp - what the helgrind and drd detectors share: the valgrind command line their
// trials run under, and reading a finished trial's XML into findings. Internal to detectors/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "detectors/detector.hpp"

namespace casebook {

// The exit status Valgrind is told to use when its tool reported an error (--error-exitcode):
// the sanitizers' code, so every report detector reads exit statuses alike.
inline constexpr int kValgrindExitCode = kSanitizerExitCode;

// {"valgrind", "--tool=<tool>", XML to "<log_prefix>.<pid>" (one file per process), exit code
// kValgrindExitCode on errors, <suppcounts> in the XML, forked children silent, deep stacks,
// fair thread scheduling, "--suppressions=F" for each of valgrind_suppressions()} followed by
// tool_options.
std::vector<std::string> valgrind_command(std::string_view tool, const std::string& log_prefix,
                                          const std::vector<std::string>& tool_options);

// Reads the XML the trial left (evidence.sanitizer_log) with parse_valgrind_xml, with the
// suppressions that fired. Valgrind's
// own failure (no XML at all, an internal panic on stderr) is an infrastructure error; a
// child that timed out, died by a signal or exited oddly without a report, and XML that is
// cut off or malformed in a run that ended normally, are anomalies. A run cut off by its
// timeout keeps the errors written before it (Valgrind writes each as it finds it).
DetectorReading read_valgrind_trial(const TrialEvidence& evidence, std::string_view tool_name);

}  // namespace casebook
