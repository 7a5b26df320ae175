// harness_pch_headers.hpp - the heavy headers most of the harness's and the reports' files
// include (nlohmann/json and fmt, and the std headers under them), precompiled once for all of
// them instead of parsed by each of their files (casebook_harness_pch, cmake/warnings.cmake):
// parsing them was 2 to 2.5 s of every such file's compile. Only third-party and std headers
// belong here, never casebook's own, so no file's meaning depends on what the PCH holds.
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>
