# warnings.cmake - the warning set for casebook's own code.
#
# casebook_warnings(target) turns on -Wall -Wextra and, under clang, the thread-safety analysis
# that checks the harness's annotated locked state. Case code gets the same warnings; its bugs
# are concurrency bugs, not warnings.
function(casebook_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # gcc 12 flags every member a C++20 designated initializer leaves out, although those
    # members have default initializers; CASEBOOK_VARIANT({.title = ..., .run = ...}) relies
    # on exactly that, so the warning says nothing useful here.
    target_compile_options(${target} PRIVATE -Wno-missing-field-initializers)
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

# casebook_harness_target(target): warnings plus the self-check sanitizer, for harness code.
function(casebook_harness_target target)
  casebook_warnings(${target})
  if(CASEBOOK_SELF_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CASEBOOK_SELF_SANITIZE}
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${CASEBOOK_SELF_SANITIZE})
  endif()
endfunction()
