# warnings.cmake - the warning set (warning_flags.cmake), the harness's self-check sanitizer, and
# its precompiled headers.
include(${CMAKE_CURRENT_LIST_DIR}/warning_flags.cmake)

# casebook_harness_pch(target): cmake/harness_pch_headers.hpp precompiled for target when it is a
# library or program of three source files or more; for fewer, compiling the PCH costs about what
# it saves. Each target gets its own PCH, built with its own flags and definitions, so no two
# targets' flags have to agree.
function(casebook_harness_pch target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  get_target_property(sources ${target} SOURCES)
  list(FILTER sources INCLUDE REGEX "\\.cpp$")
  list(LENGTH sources count)
  if(count GREATER_EQUAL 3)
    target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/harness_pch_headers.hpp)
  endif()
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

# casebook_harness_flags(target): warnings plus the self-check sanitizer, for harness code, and
# its thread-safety annotations turned on (casebook/annotations.hpp: for case code they are on
# only in the thread-safety configuration; the harness's locked state is analysed always).
function(casebook_harness_flags target)
  casebook_warnings(${target})
  target_compile_definitions(${target} PRIVATE CASEBOOK_ANNOTATE_HARNESS)
  if(CASEBOOK_SELF_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CASEBOOK_SELF_SANITIZE}
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${CASEBOOK_SELF_SANITIZE})
  endif()
endfunction()

# casebook_harness_target(target): casebook_harness_flags, and the precompiled third-party
# headers for a library of three files or more (casebook_harness_pch). Test programs use
# casebook_test_target (cmake/test_pch.cmake) instead.
function(casebook_harness_target target)
  casebook_harness_flags(${target})
  casebook_harness_pch(${target})
endfunction()
