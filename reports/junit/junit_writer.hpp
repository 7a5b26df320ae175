// junit_writer.hpp - results.json -> JUnit XML for CI systems (GitLab, Jenkins, GitHub).
//
// One <testsuite> per case; one <testcase> per (variant, detector) with classname
// casebook.<detector>.<case> and name <variant>. A failed expectation is a <failure> (an
// <error> when the trial could not be judged) whose BODY holds the reason, the findings and
// the repro command, because GitLab shows the body and ignores the message attribute. Skips
// carry their reason. Times are seconds. Text is stripped of ANSI codes and made XML-safe.
#pragma once

#include <string>

#include "results/results_model.hpp"

namespace casebook::reports {

// Renders a results document (read with results::read_results, or filled by the harness).
std::string junit_from_results(const results::Results& results);

}  // namespace casebook::reports
