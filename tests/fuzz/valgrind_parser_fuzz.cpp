// valgrind_parser_fuzz.cpp - libFuzzer target: parse_valgrind_xml over any text (Helgrind's and
// DRD's XML, cut off when a trial is killed, or not XML at all), with fuzz_checks.hpp's
// properties; a document it cannot read is a `problem`, never an exception.
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "parse/valgrind_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const casebook::ValgrindOutput out = casebook::parse_valgrind_xml(input, "/src/casebook");
  casebook::fuzz::check_findings(out.findings, input);
  for (const auto& s : out.suppressed) {
    casebook::fuzz::check(s.count >= 0, "a negative suppression count");
  }
  return 0;
}
