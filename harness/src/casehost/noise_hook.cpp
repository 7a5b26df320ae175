// prepare_noise() of the `noise` configuration (see noise_hook.hpp).
#include "noise_hook.hpp"

#include <cstdlib>
#include <string>

#include "casebook/noise/injector.hpp"

namespace casebook::casehost {

const char* prepare_noise(std::uint64_t seed) {
  int level = 3;
  if (const char* text = std::getenv("CASEBOOK_NOISE_LEVEL"); text != nullptr && *text != '\0') {
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < 0 || value > 10) {
      return "CASEBOOK_NOISE_LEVEL must be an integer in 0..10";
    }
    level = static_cast<int>(value);
  }
  cb::noise::configure(level, seed);
  return "";
}

}  // namespace casebook::casehost
