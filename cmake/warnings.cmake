# warnings.cmake - the warning set (warning_flags.cmake) and the harness's self-check sanitizer.
include(${CMAKE_CURRENT_LIST_DIR}/warning_flags.cmake)

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
