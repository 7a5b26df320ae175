# warning_flags.cmake - the warning set for casebook's own code and for case code (installed
# with the CMake package, whose case binaries get the same set).
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

