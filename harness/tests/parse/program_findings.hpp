// program_findings.hpp - test-only checks shared by the real-output tests: where the buggy
// programs in programs/ live, which line their markers name, and whether parsed findings
// point there.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "parse/finding.hpp"
#include "run_program.hpp"

namespace casebook::testing {

// The repo-relative source of one of the programs in programs/.
inline std::string relative_source(const std::string& program) {
  return "harness/tests/parse/programs/" + program + ".cpp";
}

// The line of `program`'s source holding `marker` (under the repo root `root`).
inline int expected_line(const std::string& root, const std::string& program,
                         const std::string& marker = "RACE-LINE") {
  int line = marker_line(root + "/" + relative_source(program), marker);
  EXPECT_GT(line, 0) << marker << " not found in " << program;
  return line;
}

inline const Finding* find_kind(const std::vector<Finding>& findings, const std::string& kind) {
  for (const auto& f : findings) {
    if (f.kind == kind) return &f;
  }
  return nullptr;
}

inline bool stack_has_frame_at(const Stack& stack, const std::string& file, int line) {
  return std::any_of(stack.frames.begin(), stack.frames.end(),
                     [&](const Frame& f) { return f.file == file && f.line == line; });
}

inline bool has_frame_at(const Finding& finding, const std::string& file, int line) {
  return std::any_of(finding.stacks.begin(), finding.stacks.end(),
                     [&](const Stack& s) { return stack_has_frame_at(s, file, line); });
}

}  // namespace casebook::testing
