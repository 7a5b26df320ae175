// test_pch_headers.hpp - the headers nearly every GoogleTest file of casebook includes
// (GoogleTest itself, nlohmann/json, fmt and the std headers under them), precompiled once for
// the whole build and reused by every test program (casebook_test_target, cmake/test_pch.cmake):
// parsing them was 2 to 4 s of each test file's compile, and most test programs have too few
// files for a PCH of their own to pay. Only third-party and std headers belong here, never
// casebook's own, so no test's meaning depends on what the PCH holds.
#pragma once

#include <gtest/gtest.h>

#include "harness_pch_headers.hpp"

#include <cstdint>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
