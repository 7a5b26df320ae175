// asan_parser_fuzz.cpp - libFuzzer target: parse_asan (ASan, LSan and UBSan reports) over any
// text, with fuzz_checks.hpp's properties.
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "parse/asan_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto findings = casebook::parse_asan(input, "/src/casebook");
  casebook::fuzz::check_findings(findings, input);
  for (const auto& f : findings) {
    casebook::fuzz::check(f.tool == "asan" || f.tool == "lsan" || f.tool == "ubsan",
                          "a sanitizer finding whose tool is " + f.tool);
  }
  return 0;
}
