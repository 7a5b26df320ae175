// seed_flag.hpp - the case host's reading of --seed: every value of a uint64, in decimal.
//
// The runner hands each trial a seed anywhere in [0, 2^64) (`casebook run --seed S`, and
// seed + i for trial i, wrapping), so the host must not read it as a signed number: values
// at or above 2^63 would be refused and every trial would end as an error.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace casebook::casehost {

// The seed written in text (decimal digits only, no sign), or nullopt when it is not a
// number in [0, 2^64).
inline std::optional<std::uint64_t> parse_seed(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}

}  // namespace casebook::casehost
