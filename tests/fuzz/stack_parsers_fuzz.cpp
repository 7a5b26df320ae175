// stack_parsers_fuzz.cpp - libFuzzer target: the hang-stack parsers, gdb's "thread apply all bt"
// and eu-stack's output, over any text, with fuzz_checks.hpp's frame properties.
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "parse/eu_stack_parser.hpp"
#include "parse/gdb_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  casebook::fuzz::check_frames(casebook::parse_gdb_backtrace(input, "/src/casebook"), input);
  casebook::fuzz::check_frames(casebook::parse_eu_stack(input, "/src/casebook"), input);
  return 0;
}
