// errors.hpp - the two kinds of failure the runner reports by exit code.
//
// UsageError: the user asked for something that cannot be done as asked (unknown case or
// detector, bad flag value, bad case declaration): exit 2. InfraError: the machine or build
// let us down (case binary missing, output folder unwritable): exit 3. Both carry a message
// that names what was wrong and what to do.
#pragma once

#include <stdexcept>

namespace casebook {

inline constexpr int kExitOk = 0;
inline constexpr int kExitExpectationFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInfra = 3;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct InfraError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace casebook
