// junit_writer.hpp - results.json -> JUnit XML for CI systems (GitLab, Jenkins, GitHub).
//
// One <testsuite> per case; one <testcase> per (variant, detector) with classname
// casebook.<detector>.<case> and name <variant>. A failed expectation is a <failure> (an
// <error> when the trial could not be judged) whose BODY holds the reason, the findings and
// the repro command, because GitLab shows the body and ignores the message attribute. Skips
// carry their reason. Times are seconds. Text is stripped of ANSI codes and made XML-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace casebook::reports {

// Renders a results.json document. Throws std::invalid_argument naming the missing field
// when the document is not a casebook results file.
std::string junit_from_results(const nlohmann::json& results);

}  // namespace casebook::reports
