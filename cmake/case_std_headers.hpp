// case_std_headers.hpp - the standard headers casebook's case API pulls into every variant,
// precompiled once per configuration (cmake/cases.cmake): parsing them was about a third to
// a half of each variant's compile. Only std headers belong here, never casebook's own, whose
// contents depend on each variant's CASEBOOK_CASE_NAME and the configuration's facade.
#pragma once

#include <atomic>
#include <barrier>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <latch>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <sstream>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>
