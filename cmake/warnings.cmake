# warnings.cmake - the warning set for casebook's own code.
#
# casebook_warnings(target) turns on -Wall -Wextra and, under clang, the thread-safety analysis
# that checks the harness's annotated locked state. Case code gets the same warnings; its bugs
# are concurrency bugs, not warnings.
function(casebook_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  endif()
endfunction()
