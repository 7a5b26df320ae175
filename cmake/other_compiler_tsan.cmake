# other_compiler_tsan.cmake - the case catalog's tsan build by the other compiler, for the
# tsan-gcc / tsan-clang detectors (harness/src/detectors/tsan_detector.cpp).
#
# CMake fixes one C++ compiler per project, so the other compiler's build is a sub-build of
# this same source tree (ExternalProject), configured with CASEBOOK_COMPILER set to the other
# compiler and CASEBOOK_SUBBUILD on (no tests, no benchmarks, no further sub-build), of which
# only casebook-cases-tsan is built; it is copied next to casebook as
# casebook-cases-tsan-<other>. It builds whenever casebook does, so edited cases stay in step.

option(CASEBOOK_OTHER_COMPILER_TSAN
       "Also build the catalog with the other compiler's TSan (the tsan-gcc/tsan-clang detector)"
       ON)

if(CASEBOOK_COMPILER STREQUAL "clang")
  set(CASEBOOK_OTHER_COMPILER gcc)
else()
  set(CASEBOOK_OTHER_COMPILER clang)
endif()

if(CASEBOOK_OTHER_COMPILER_TSAN AND NOT CASEBOOK_SUBBUILD)
  include(ExternalProject)
  set(other_dir ${PROJECT_BINARY_DIR}/tsan-${CASEBOOK_OTHER_COMPILER})
  ExternalProject_Add(casebook-tsan-${CASEBOOK_OTHER_COMPILER}
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${other_dir}
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    CMAKE_CACHE_ARGS
      -DCASEBOOK_COMPILER:STRING=${CASEBOOK_OTHER_COMPILER}
      -DCASEBOOK_SUBBUILD:BOOL=ON
      -DCMAKE_BUILD_TYPE:STRING=${CMAKE_BUILD_TYPE}
      -DCASEBOOK_EXTRA_CASES:STRING=${CASEBOOK_EXTRA_CASES}
      -DCASEBOOK_CCACHE:BOOL=${CASEBOOK_CCACHE}
    BUILD_COMMAND ${CMAKE_COMMAND} --build ${other_dir} --target casebook-cases-tsan
    INSTALL_COMMAND ${CMAKE_COMMAND} -E copy_if_different ${other_dir}/bin/casebook-cases-tsan
                    ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/casebook-cases-tsan-${CASEBOOK_OTHER_COMPILER}
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)
endif()
