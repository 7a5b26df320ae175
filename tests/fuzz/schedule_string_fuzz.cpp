// schedule_string_fuzz.cpp - libFuzzer target: the model's schedule strings ("0x5.1.0x3"), which
// people paste into replay commands. Any text either is refused with std::invalid_argument or
// parses to decisions that print back to a string that parses to the same decisions.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "casebook/model/explore.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<int> decisions;
  try {
    decisions = cb::model::parse_schedule(input);
  } catch (const std::invalid_argument&) {
    return 0;  // refused, with a message: what a pasted typo must get
  }
  for (const int thread : decisions) casebook::fuzz::check(thread >= 0, "a negative thread id");
  const std::string printed = cb::model::format_schedule(decisions);
  casebook::fuzz::check(cb::model::parse_schedule(printed) == decisions,
                        "a schedule does not parse back from its own string: " + printed);
  return 0;
}
