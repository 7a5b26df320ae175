// tsan_parser_fuzz.cpp - libFuzzer target: parse_tsan over any text (a case's stderr, where its
// own output and TSan's reports interleave, truncate and flood), with fuzz_checks.hpp's
// properties.
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "parse/tsan_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto findings = casebook::parse_tsan(input, "/src/casebook");
  casebook::fuzz::check_findings(findings, input);
  for (const auto& f : findings) {
    casebook::fuzz::check(f.tool == "tsan", "a TSan finding whose tool is " + f.tool);
  }
  return 0;
}
