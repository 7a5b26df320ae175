// compiler_diagnostics_fuzz.cpp - libFuzzer target: parse_compiler_diagnostics over any text
// (clang's and gcc's output for a program that does not build), checking that each diagnostic's
// line and column are numbers in the input, its severity one the parser names, and its message
// a piece of the input.
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "parse/compiler_diagnostics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const auto& d : casebook::parse_compiler_diagnostics(input, "/src/casebook")) {
    casebook::fuzz::check_number_in_input(d.line, input, "a diagnostic's line");
    casebook::fuzz::check_number_in_input(d.column, input, "a diagnostic's column");
    casebook::fuzz::check(d.severity == "error" || d.severity == "fatal error" ||
                              d.severity == "warning" || d.severity == "note",
                          "a diagnostic of severity '" + d.severity + "'");
    casebook::fuzz::check(input.find(d.message) != std::string_view::npos,
                          "a diagnostic's message is not a piece of the input");
  }
  return 0;
}
