# warnings.cmake - the warning set (warning_flags.cmake), the harness's self-check sanitizer, and
# its precompiled headers.
include(${CMAKE_CURRENT_LIST_DIR}/warning_flags.cmake)

# casebook_harness_pch(target): cmake/harness_pch_headers.hpp, precompiled once by
# casebook_harness_pch_owner (end of this file) and reused by every harness and report target,
# whatever its number of files. The owner has exactly the flags casebook_harness_flags gives
# (clang refuses a precompiled header whose macros or language options differ), and the
# headers' own libraries are linked here so every user defines what the owner did (fmt's
# FMT_SHARED). Before, each library of three files or more compiled its own copy: 13 copies of
# 2 to 3 s each, in the main build and again in the TSan self-check's.
function(casebook_harness_pch target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  target_link_libraries(${target} PRIVATE fmt::fmt nlohmann_json::nlohmann_json)
  target_precompile_headers(${target} REUSE_FROM casebook_harness_pch_owner)
endfunction()

# casebook_own_pch(target): the same headers precompiled for target alone, for harness code
# whose flags are not the harness's (a case host carries its configuration's sanitizer).
function(casebook_own_pch target)
  target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/harness_pch_headers.hpp)
endfunction()

# The harness is itself concurrent code (worker threads, a shared progress line, children
# reaped from several threads), so it is also built and tested under a sanitizer of its own:
# configure with -DCASEBOOK_SELF_SANITIZE=thread (or address) in a separate build folder.
# Only the harness and its tests get the flag; case binaries keep their own configurations.
set(CASEBOOK_SELF_SANITIZE "" CACHE STRING
    "Build the harness itself with this sanitizer: '', thread or address")
set_property(CACHE CASEBOOK_SELF_SANITIZE PROPERTY STRINGS "" thread address)
if(NOT CASEBOOK_SELF_SANITIZE MATCHES "^(|thread|address)$")
  message(FATAL_ERROR "CASEBOOK_SELF_SANITIZE is '${CASEBOOK_SELF_SANITIZE}'; use thread, "
                      "address or leave it empty.")
endif()

# How much debug information the harness's and the tests' code carries. "backtraces": what a
# stack trace needs (casebook_backtrace_debug_flags, cmake/configurations.cmake), which is all
# the TSan self-check's reports and a crash's backtrace read, and a fifth to a quarter less
# compile (programs/build.cpp 4.7 s -> 3.3 s, section_benchmarks.cpp 5.1 s -> 3.7 s under the
# self-check's TSan; docs/measured.md, 2026-12-07). "full": the build type's own -g, for
# stepping through the harness in a debugger; the default of a Debug build.
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(casebook_default_debug_info full)
else()
  set(casebook_default_debug_info backtraces)
endif()
set(CASEBOOK_HARNESS_DEBUG_INFO ${casebook_default_debug_info} CACHE STRING
    "Debug information of the harness and its tests: backtraces or full")
set_property(CACHE CASEBOOK_HARNESS_DEBUG_INFO PROPERTY STRINGS backtraces full)
if(NOT CASEBOOK_HARNESS_DEBUG_INFO MATCHES "^(backtraces|full)$")
  message(FATAL_ERROR "CASEBOOK_HARNESS_DEBUG_INFO is '${CASEBOOK_HARNESS_DEBUG_INFO}'; use "
                      "backtraces (stack traces only, the default) or full (for a debugger).")
endif()

# casebook_harness_flags(target): warnings plus the self-check sanitizer, for harness code, and
# its thread-safety annotations turned on (casebook/annotations.hpp: for case code they are on
# only in the thread-safety configuration; the harness's locked state is analysed always).
function(casebook_harness_flags target)
  casebook_warnings(${target})
  target_compile_definitions(${target} PRIVATE CASEBOOK_ANNOTATE_HARNESS)
  if(CASEBOOK_HARNESS_DEBUG_INFO STREQUAL "backtraces")
    casebook_backtrace_debug_flags(${CASEBOOK_COMPILER_FAMILY} debug)
    target_compile_options(${target} PRIVATE ${debug})
  endif()
  if(CASEBOOK_SELF_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CASEBOOK_SELF_SANITIZE}
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${CASEBOOK_SELF_SANITIZE})
  endif()
endfunction()

# casebook_harness_target(target): casebook_harness_flags, and the shared precompiled
# third-party headers (casebook_harness_pch). Test programs use casebook_test_target
# (cmake/test_pch.cmake) instead.
function(casebook_harness_target target)
  casebook_harness_flags(${target})
  casebook_harness_pch(${target})
endfunction()

# The target that owns the harness's precompiled header (casebook_harness_pch). It has no code.
add_library(casebook_harness_pch_owner OBJECT ${CMAKE_CURRENT_LIST_DIR}/harness_pch.cpp)
target_link_libraries(casebook_harness_pch_owner PRIVATE fmt::fmt nlohmann_json::nlohmann_json)
casebook_harness_flags(casebook_harness_pch_owner)
target_precompile_headers(casebook_harness_pch_owner
                          PRIVATE ${CMAKE_CURRENT_LIST_DIR}/harness_pch_headers.hpp)
