# add_cases.cmake - casebook_add_cases(): a project's own case pairs in its own build.
#
# Installed with the CMake package (find_package(casebook)); see docs/package.md. The folders
# follow the catalog's layout: one folder per case, holding broken.cpp, fixed.cpp (each with a
# CASEBOOK_VARIANT) and README.md.
#
#   casebook_add_cases(<name> FOLDERS <folder>...
#                      [CONFIGURATIONS <config>...]  # default: every one casebook has
#                      [OUTPUT_DIR <dir>]            # default: <current binary dir>/<name>
#                      [TEST_ARGS <arg>...]          # more arguments for `casebook run`
#                      [NO_TEST])
#
# builds the target <name>: one case binary per configuration in OUTPUT_DIR, which is what
# `casebook run --bin-dir` takes, and sets <name>_BIN_DIR to that folder in the caller's scope.
# Unless NO_TEST, it also adds the ctest test <name>: `casebook run --bin-dir <OUTPUT_DIR> --out
# <OUTPUT_DIR>/results <TEST_ARGS>`, which passes when every variant is graded as it declares.
function(casebook_add_cases name)
  cmake_parse_arguments(ARG "NO_TEST" "OUTPUT_DIR" "FOLDERS;CONFIGURATIONS;TEST_ARGS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "casebook_add_cases(${name}): unknown arguments "
                        "'${ARG_UNPARSED_ARGUMENTS}'; it takes FOLDERS, CONFIGURATIONS, "
                        "OUTPUT_DIR, TEST_ARGS and NO_TEST.")
  endif()
  if(NOT name MATCHES "^[A-Za-z][A-Za-z0-9_.-]*$")
    message(FATAL_ERROR "casebook_add_cases: '${name}' cannot name a target; use letters, "
                        "digits, '_', '-' and '.'.")
  endif()
  if(NOT ARG_FOLDERS)
    message(FATAL_ERROR "casebook_add_cases(${name}) needs FOLDERS: case folders (broken.cpp, "
                        "fixed.cpp, README.md) or folders holding them.")
  endif()
  foreach(config IN LISTS ARG_CONFIGURATIONS)
    if(NOT config IN_LIST CASEBOOK_CONFIGURATIONS)
      message(FATAL_ERROR "casebook_add_cases(${name}): no configuration '${config}'; "
                          "casebook has ${CASEBOOK_CONFIGURATIONS}.")
    endif()
  endforeach()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/${name})
  endif()
  get_filename_component(ARG_OUTPUT_DIR ${ARG_OUTPUT_DIR} ABSOLUTE BASE_DIR
                         ${CMAKE_CURRENT_BINARY_DIR})

  casebook_expand_case_folders(found "casebook_add_cases(${name} FOLDERS)"
                               ${CMAKE_CURRENT_SOURCE_DIR} ${ARG_FOLDERS})
  casebook_check_case_folders(cases ${found})
  casebook_add_case_binaries(PREFIX ${name} OUTPUT_DIR ${ARG_OUTPUT_DIR} CASES ${cases}
                             CONFIGURATIONS ${ARG_CONFIGURATIONS})
  set(configs ${ARG_CONFIGURATIONS})
  if(NOT configs)
    set(configs ${CASEBOOK_CONFIGURATIONS})
  endif()
  set(binaries "")
  foreach(config IN LISTS configs)
    list(APPEND binaries ${name}-${config})
  endforeach()
  add_custom_target(${name} ALL DEPENDS ${binaries})
  set(${name}_BIN_DIR ${ARG_OUTPUT_DIR} PARENT_SCOPE)

  if(NOT ARG_NO_TEST)
    add_test(NAME ${name}
             COMMAND casebook::casebook run --bin-dir ${ARG_OUTPUT_DIR}
                     --out ${ARG_OUTPUT_DIR}/results ${ARG_TEST_ARGS})
  endif()
endfunction()
