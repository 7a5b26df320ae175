// prepare_noise() of the configurations without schedule noise: nothing to start.
#include "noise_hook.hpp"

namespace casebook::casehost {

const char* prepare_noise(std::uint64_t) {
  return "";
}

}  // namespace casebook::casehost
