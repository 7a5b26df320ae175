// fuzz_checks.hpp - the properties every parser fuzz target checks on what a parser returned
// for an arbitrary input, beyond "it did not crash": what a parser reports must come from the
// input. A failed check aborts with the reason, which libFuzzer records as a crash with the
// input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "casebook fuzz check failed: %s\n", what.c_str());
  std::abort();
}

inline void check(bool holds, const std::string& what) {
  if (!holds) fail(what);
}

// A line or column a parser read is a number printed in the input (0: not known).
inline void check_number_in_input(int n, std::string_view input, const char* what) {
  check(n >= 0, std::string(what) + " is negative: " + std::to_string(n));
  if (n > 0) {
    check(input.find(std::to_string(n)) != std::string_view::npos,
          std::string(what) + " " + std::to_string(n) + " is not in the input");
  }
}

inline void check_frames(const std::vector<Stack>& stacks, std::string_view input) {
  for (const auto& s : stacks) {
    for (const auto& f : s.frames) {
      check_number_in_input(f.line, input, "a frame's line");
      check_number_in_input(f.column, input, "a frame's column");
      check(f.index >= 0, "a frame's index is negative");
    }
  }
}

// A finding's kind is a slug ("data-race", a new report type's banner slugged as
// parse_text::slugify does: lower-case letters, digits, '_' and '-'), never input bytes taken
// as they were.
inline void check_slug(const std::string& kind) {
  check(!kind.empty(), "a finding without a kind");
  for (const char c : kind) {
    check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_',
          "a finding's kind is not a slug: '" + kind + "'");
  }
}

// A finding: a slug for its kind, frames whose lines are in the input, and a raw report that
// is a piece of the input as it was written.
inline void check_findings(const std::vector<Finding>& findings, std::string_view input) {
  for (const auto& f : findings) {
    check_slug(f.kind);
    check(input.find(f.raw) != std::string_view::npos,
          "a finding's raw report is not a piece of the input");
    check_frames(f.stacks, input);
  }
}

}  // namespace casebook::fuzz
