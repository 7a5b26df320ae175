# ccache.cmake - compile through ccache when the machine has it (Debian's ccache package), so a
# build folder made again, or a CI job that keeps ccache's folder between runs (ci/templates/),
# compiles only what changed. Never required: without ccache nothing changes. Off with
# -DCASEBOOK_CCACHE=OFF; a launcher the user sets (CMAKE_CXX_COMPILER_LAUNCHER) is left alone.
option(CASEBOOK_CCACHE "Compile through ccache when it is installed" ON)
if(CASEBOOK_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(CASEBOOK_CCACHE_PROGRAM ccache DOC "ccache, used when found (CASEBOOK_CCACHE)")
  if(CASEBOOK_CCACHE_PROGRAM)
    # The case variants' precompiled std headers (cmake/case_std_headers.hpp) are cacheable
    # only with this sloppiness (ccache's manual, "Precompiled headers"), and clang's only
    # without the timestamp it writes into a PCH, which a fresh checkout would change.
    # No CCACHE_BASEDIR: it would make the source paths in the debug info relative to a build
    # folder that may be another checkout's, and casebook reads the case's file and line from
    # those paths (sanitizer stacks, gdb, eu-stack). So entries are shared by build folders at
    # the same path: a CI job's workspace, a deleted and recreated build folder.
    set(CMAKE_C_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env
        CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
        ${CASEBOOK_CCACHE_PROGRAM})
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_C_COMPILER_LAUNCHER})
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      add_compile_options(-Xclang -fno-pch-timestamp)
    endif()
    message(STATUS "casebook: compiling through ${CASEBOOK_CCACHE_PROGRAM}")
  endif()
endif()
