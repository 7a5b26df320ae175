# test_pch.cmake - how a GoogleTest program of casebook is compiled: its own files unoptimised,
# and one precompiled header (cmake/test_pch_headers.hpp) shared by every test program. The test
# programs are most of the files a `ci/run-tests.sh` build compiles, so both are build time that
# CI pays on every run.

# casebook_test_flags(target): casebook_harness_flags, and -O0 for the test program's own files.
# A test file is assertions and drivers; at -O2 optimising GoogleTest's and nlohmann/json's
# expanded templates was two thirds of its compile (e2e_test.cpp: 20.8 s at -O2, 6.1 s at -O0).
# The code under test is the harness's libraries and the real CLI, which keep the build type's
# optimisation, so the tests still test what ships.
function(casebook_test_flags target)
  casebook_harness_flags(${target})
  target_compile_options(${target} PRIVATE -O0)
endfunction()

# The target that owns the PCH, built once instead of parsed by each test file (each test program
# has too few files for a PCH of its own to pay; the harness's is built with -O2, a test
# program's files with -O0, so they cannot share it). It is compiled with exactly the flags a
# test program gets, so clang accepts the PCH in every test program; the
# test programs' own definitions (CASEBOOK_BIN, ...) only add macros the PCH never mentions.
add_library(casebook_test_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/test_pch.cpp)
target_link_libraries(casebook_test_pch PRIVATE GTest::gtest nlohmann_json::nlohmann_json fmt::fmt)
casebook_test_flags(casebook_test_pch)
target_precompile_headers(casebook_test_pch PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_pch_headers.hpp)

# casebook_test_target(target): what casebook_harness_target is for harness code, for a test
# program: casebook_test_flags and the shared test PCH. The PCH's libraries are linked here as
# casebook_harness_pch does, so every test program defines what the PCH's owner did: gcc
# refuses a precompiled header compiled with a macro the user lacks ("not used because
# `FMT_SHARED' not defined"), and every test program that linked no fmt went without it.
function(casebook_test_target target)
  casebook_test_flags(${target})
  target_link_libraries(${target} PRIVATE fmt::fmt nlohmann_json::nlohmann_json)
  target_precompile_headers(${target} REUSE_FROM casebook_test_pch)
endfunction()
