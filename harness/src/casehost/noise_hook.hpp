// noise_hook.hpp - how the case host starts a run's schedule noise.
//
// In the `noise` configuration, prepare_noise() seeds the cb:: facade's noise
// (casebook/noise/injector.hpp) with the run's seed at the level named by the environment
// variable CASEBOOK_NOISE_LEVEL (1..10, default 3), so a trial's seed also fixes its noise
// decisions. In every other configuration it does nothing.
#pragma once

#include <cstdint>

namespace casebook::casehost {

// Returns "" or, when CASEBOOK_NOISE_LEVEL is not a level, a message saying so.
const char* prepare_noise(std::uint64_t seed);

}  // namespace casebook::casehost
