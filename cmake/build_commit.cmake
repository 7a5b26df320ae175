# build_commit.cmake - run with `cmake -P` at every build (not at configure time, which would go
# stale after the next commit): writes OUT, a header naming the git commit the binaries are
# built from and whether tracked files had uncommitted changes. The file is rewritten only when
# that changes, so an unchanged tree rebuilds nothing.
#   -DSOURCE_DIR=<source tree> -DOUT=<header to write>
set(commit "")
set(dirty false)
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rev_parse_failed ERROR_QUIET)
  if(rev_parse_failed)
    set(commit "")  # not a git checkout: say nothing rather than something wrong
  else()
    # --no-optional-locks: a build must not take the index lock from a git command the user
    # is running at the same time.
    execute_process(COMMAND ${GIT_EXECUTABLE} --no-optional-locks -C ${SOURCE_DIR} status
                            --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT changes STREQUAL "")
      set(dirty true)
    endif()
  endif()
endif()
string(CONCAT text "// Generated at build time by cmake/build_commit.cmake; do not edit.\n"
                   "#pragma once\n"
                   "#define CASEBOOK_BUILD_COMMIT \"${commit}\"\n"
                   "#define CASEBOOK_BUILD_DIRTY ${dirty}\n")
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
