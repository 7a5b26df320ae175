# case_binaries.cmake - compile case folders into one case binary per detector configuration.
#
# Used by this tree (cmake/cases.cmake: the catalog and the tests' fixture catalogs) and, from
# an install, by projects outside it (casebook_add_cases(), cmake/add_cases.cmake). Needs
# configurations.cmake, CASEBOOK_CMAKE_DIR (the templates and the precompiled header) and
# CASEBOOK_FACADE_INCLUDE_DIR (the cb:: facade's headers, for the generated compile scripts).

# The thread-safety detector compiles variants with Clang's analysis, whichever compiler builds
# casebook (ci/setup installs clang-14 beside gcc-12).
find_program(CASEBOOK_THREAD_SAFETY_CLANGXX NAMES clang++-14 clang++ PATHS /usr/lib/llvm-14/bin
             DOC "clang++ the thread-safety detector compiles variants with")
if(NOT CASEBOOK_THREAD_SAFETY_CLANGXX)
  message(WARNING "clang++ not found: the thread-safety detector's trials will fail "
                  "(apt-get install clang-14)")
endif()

# casebook_link_prebuilt_case_binaries(PREFIX OUTPUT_DIR CONFIGURATIONS): for a build that sets
# CASEBOOK_REUSE_CASES_FROM (cmake/cases.cmake says why), one target per configuration that
# makes <OUTPUT_DIR>/casebook-cases-<config> a hard link to the same file of that build
# (cmake/link_or_copy.cmake), again at every build, so a binary relinked there is used here.
function(casebook_link_prebuilt_case_binaries prefix output_dir configurations)
  file(RELATIVE_PATH rel ${PROJECT_BINARY_DIR} ${output_dir})
  foreach(config IN LISTS configurations)
    set(from ${CASEBOOK_REUSE_CASES_FROM}/${rel}/casebook-cases-${config})
    if(NOT EXISTS ${from})
      message(FATAL_ERROR "CASEBOOK_REUSE_CASES_FROM is '${CASEBOOK_REUSE_CASES_FROM}', which has "
                          "no ${rel}/casebook-cases-${config}: build that folder first (cmake "
                          "--build ${CASEBOOK_REUSE_CASES_FROM}) or leave the variable empty.")
    endif()
    add_custom_target(${prefix}-${config} ALL
                      COMMAND ${CMAKE_COMMAND} -E make_directory ${output_dir}
                      COMMAND ${CMAKE_COMMAND} -DFROM=${from}
                              -DTO=${output_dir}/casebook-cases-${config}
                              -P ${CASEBOOK_CMAKE_DIR}/link_or_copy.cmake
                      COMMENT "Linking ${rel}/casebook-cases-${config} to the reused build's"
                      VERBATIM)
  endforeach()
endfunction()

# casebook_add_case_binaries(PREFIX prefix OUTPUT_DIR dir CASES case_dirs...): one executable
# per configuration, <prefix>-<config>, written as <dir>/casebook-cases-<config>, holding the
# case host and every variant of the given case folders; <dir>/casebook-compile-probe,
# the compiler command the compile detector runs on must-not-compile probes; and
# <dir>/casebook-thread-safety, the analysis's compile for the thread-safety detector. The
# catalog uses the prefix casebook-cases and the build's bin/ folder; tests build fixture
# catalogs beside it. CONFIGURATIONS: a subset of CASEBOOK_CONFIGURATIONS (default: all).
function(casebook_add_case_binaries)
  cmake_parse_arguments(ARG "" "PREFIX;OUTPUT_DIR" "CASES;CONFIGURATIONS" ${ARGN})
  if(NOT ARG_CONFIGURATIONS)
    set(ARG_CONFIGURATIONS ${CASEBOOK_CONFIGURATIONS})
  endif()
  set(variant_sources "")
  get_property(extra_dirs GLOBAL PROPERTY CASEBOOK_EXTRA_CASE_DIRS)
  foreach(dir IN LISTS ARG_CASES)
    get_filename_component(name ${dir} NAME)
    set(root_definition "")
    if(dir IN_LIST extra_dirs)
      get_filename_component(cases_root ${dir} DIRECTORY)
      set(root_definition CASEBOOK_CASES_ROOT="${cases_root}")
    endif()
    foreach(variant broken fixed)
      set(src ${dir}/${variant}.cpp)
      set_property(SOURCE ${src} APPEND PROPERTY COMPILE_DEFINITIONS
                   CASEBOOK_CASE_NAME="${name}" CASEBOOK_VARIANT_NAME="${variant}"
                   ${root_definition})
      list(APPEND variant_sources ${src})
    endforeach()
  endforeach()
  if(CASEBOOK_REUSE_CASES_FROM)
    casebook_link_prebuilt_case_binaries(${ARG_PREFIX} ${ARG_OUTPUT_DIR} "${ARG_CONFIGURATIONS}")
    set(ARG_CONFIGURATIONS "")
  endif()
  foreach(config IN LISTS ARG_CONFIGURATIONS)
    set(target ${ARG_PREFIX}-${config})
    # The variants as an object library, so other programs (the property tests) link the very
    # objects the case binary holds.
    add_library(${target}-objects OBJECT ${variant_sources})
    target_link_libraries(${target}-objects PRIVATE casebook::case_api)
    # The std headers of the case API, parsed once per configuration instead of once per
    # variant (cmake/case_std_headers.hpp): the configuration's first case binary compiles
    # them, later ones (the tests' fixture catalogs, a project's second call) reuse that copy,
    # whose flags are the configuration's as theirs are.
    get_property(pch_owner GLOBAL PROPERTY CASEBOOK_CASE_PCH_OWNER_${config})
    if(pch_owner)
      target_precompile_headers(${target}-objects REUSE_FROM ${pch_owner})
    else()
      target_precompile_headers(${target}-objects PRIVATE
                                ${CASEBOOK_CMAKE_DIR}/case_std_headers.hpp)
      set_property(GLOBAL PROPERTY CASEBOOK_CASE_PCH_OWNER_${config} ${target}-objects)
    endif()
    casebook_apply_configuration(${target}-objects ${config})
    casebook_warnings(${target}-objects)
    add_executable(${target} $<TARGET_OBJECTS:${target}-objects>)
    target_link_libraries(${target} PRIVATE casebook::casehost_${config})
    set_target_properties(${target} PROPERTIES OUTPUT_NAME casebook-cases-${config}
                                               RUNTIME_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
    casebook_apply_configuration(${target} ${config})
    casebook_warnings(${target})
  endforeach()
  configure_file(${CASEBOOK_CMAKE_DIR}/compile-probe.sh.in
                 ${ARG_OUTPUT_DIR}/casebook-compile-probe @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
  configure_file(${CASEBOOK_CMAKE_DIR}/thread-safety.sh.in
                 ${ARG_OUTPUT_DIR}/casebook-thread-safety @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
endfunction()
