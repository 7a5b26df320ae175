# self_check.cmake - which test programs the harness's ThreadSanitizer self-check builds.
#
# ci/run-tests.sh rebuilds the harness with -DCASEBOOK_SELF_SANITIZE=thread and runs its tests
# again, so a race in the harness fails CI. TSan looks at the threads of one process: a test
# program whose process never starts a second thread, and runs no program built with the
# harness's flags, gives it nothing to look at (the parsers', readers', reports' and grader's
# tests: text in, text out). Such a program is marked with casebook_single_threaded(); a TSan
# self-check build leaves it out (CASEBOOK_THREADED_TESTS_ONLY) and the main build runs it.
#
# The mark is checked where the program runs: in an ordinary build the marked program is linked
# with cmake/single_threaded_guard.cpp, whose pthread_create stops the process with a message
# naming the mark, so a marked program that starts a thread fails its own tests instead of
# quietly escaping the self-check (tests/self_check/ shows the guard firing).

set(CASEBOOK_THREADED_TESTS_ONLY OFF)
if(CASEBOOK_SELF_SANITIZE STREQUAL "thread")
  set(CASEBOOK_THREADED_TESTS_ONLY ON)
endif()

# casebook_single_threaded(target): target is a test program whose process stays on one thread
# (see above). Under an ASan self-check the guard is left out: ASan's runtime defines
# pthread_create itself.
function(casebook_single_threaded target)
  if(CASEBOOK_THREADED_TESTS_ONLY)
    message(FATAL_ERROR "casebook_single_threaded(${target}): a TSan self-check build leaves "
                        "single-threaded test programs out; guard its folder with "
                        "if(NOT CASEBOOK_THREADED_TESTS_ONLY)")
  endif()
  if(NOT CASEBOOK_SELF_SANITIZE)
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/single_threaded_guard.cpp)
    target_compile_definitions(${target} PRIVATE CASEBOOK_SINGLE_THREADED_TARGET="${target}")
  endif()
endfunction()
