# cases.cmake - find every case folder and compile the catalog once per configuration.
#
# A case is a folder holding broken.cpp and fixed.cpp; its folder name is the case's name,
# passed to the code as CASEBOOK_CASE_NAME, so adding a case is adding a folder and nothing
# else. Folders outside the tree come in through CASEBOOK_EXTRA_CASES (a ;-list of folders,
# each either one case folder or a folder of case folders).

set(CASEBOOK_EXTRA_CASES "" CACHE STRING
    "Extra case folders (;-list): each a case folder, or a folder holding case folders")

# casebook_collect_cases(out_var): fills out_var with absolute case folder paths, checked.
function(casebook_collect_cases out_var)
  file(GLOB in_tree LIST_DIRECTORIES true CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/cases/*)
  set(candidates "")
  foreach(dir IN LISTS in_tree)
    if(IS_DIRECTORY ${dir})
      list(APPEND candidates ${dir})
    endif()
  endforeach()
  foreach(extra IN LISTS CASEBOOK_EXTRA_CASES)
    get_filename_component(extra ${extra} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
    if(NOT IS_DIRECTORY ${extra})
      message(FATAL_ERROR "CASEBOOK_EXTRA_CASES names '${extra}', which is not a folder. "
                          "Give case folders (holding broken.cpp and fixed.cpp) or their parent.")
    endif()
    if(EXISTS ${extra}/broken.cpp OR EXISTS ${extra}/fixed.cpp)
      list(APPEND candidates ${extra})
    else()
      file(GLOB children LIST_DIRECTORIES true CONFIGURE_DEPENDS ${extra}/*)
      set(found FALSE)
      foreach(child IN LISTS children)
        if(IS_DIRECTORY ${child} AND (EXISTS ${child}/broken.cpp OR EXISTS ${child}/fixed.cpp))
          list(APPEND candidates ${child})
          set(found TRUE)
        endif()
      endforeach()
      if(NOT found)
        message(FATAL_ERROR "CASEBOOK_EXTRA_CASES names '${extra}', which holds no case: a case "
                            "folder has broken.cpp and fixed.cpp.")
      endif()
    endif()
  endforeach()

  set(cases "")
  set(names "")
  foreach(dir IN LISTS candidates)
    get_filename_component(name ${dir} NAME)
    if(NOT EXISTS ${dir}/broken.cpp AND NOT EXISTS ${dir}/fixed.cpp)
      continue()  # not a case (e.g. a shared helper folder)
    endif()
    if(NOT name MATCHES "^[a-z][a-z0-9_]*$")
      message(FATAL_ERROR "case folder '${dir}': the name must match [a-z][a-z0-9_]* "
                          "(it becomes the case's name).")
    endif()
    foreach(file broken.cpp fixed.cpp README.md)
      if(NOT EXISTS ${dir}/${file})
        message(FATAL_ERROR "case folder '${dir}' has no ${file}: a case is a broken.cpp, a "
                            "fixed.cpp and a README.md explaining the bug.")
      endif()
    endforeach()
    if(name IN_LIST names)
      message(FATAL_ERROR "two case folders are named '${name}' (one is '${dir}'); rename one.")
    endif()
    list(APPEND names ${name})
    list(APPEND cases ${dir})
    # Remembered so casebook_add_case_binaries names this case's files relative to the folder
    # holding it, not to the repository (results say "<case>/broken.cpp" under that folder).
    if(NOT dir MATCHES "^${PROJECT_SOURCE_DIR}/cases/[^/]+$")
      set_property(GLOBAL APPEND PROPERTY CASEBOOK_EXTRA_CASE_DIRS ${dir})
    endif()
  endforeach()
  set(${out_var} ${cases} PARENT_SCOPE)
endfunction()

# The thread-safety detector compiles variants with Clang's analysis, whichever compiler builds
# casebook (ci/setup installs clang-14 beside gcc-12).
find_program(CASEBOOK_THREAD_SAFETY_CLANGXX NAMES clang++-14 clang++ PATHS /usr/lib/llvm-14/bin
             DOC "clang++ the thread-safety detector compiles variants with")
if(NOT CASEBOOK_THREAD_SAFETY_CLANGXX)
  message(WARNING "clang++ not found: the thread-safety detector's trials will fail "
                  "(apt-get install clang-14)")
endif()

# casebook_add_case_binaries(PREFIX prefix OUTPUT_DIR dir CASES case_dirs...): one executable
# per configuration, <prefix>-<config>, written as <dir>/casebook-cases-<config>, holding the
# case host and every variant of the given case folders; <dir>/casebook-compile-probe,
# the compiler command the compile detector runs on must-not-compile probes; and
# <dir>/casebook-thread-safety, the analysis's compile for the thread-safety detector. The catalog uses the default prefix
# casebook-cases and the build's bin/ folder; tests build fixture catalogs beside it.
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
  foreach(config IN LISTS ARG_CONFIGURATIONS)
    set(target ${ARG_PREFIX}-${config})
    # The variants as an object library, so other programs (the property tests) link the very
    # objects the case binary holds.
    add_library(${target}-objects OBJECT ${variant_sources})
    target_link_libraries(${target}-objects PRIVATE casebook_case_api)
    # The std headers of the case API, parsed once per configuration instead of once per
    # variant (cmake/case_std_headers.hpp).
    target_precompile_headers(${target}-objects PRIVATE
                              ${PROJECT_SOURCE_DIR}/cmake/case_std_headers.hpp)
    casebook_apply_configuration(${target}-objects ${config})
    casebook_warnings(${target}-objects)
    add_executable(${target} $<TARGET_OBJECTS:${target}-objects>)
    target_link_libraries(${target} PRIVATE casebook_casehost_${config})
    set_target_properties(${target} PROPERTIES OUTPUT_NAME casebook-cases-${config}
                                               RUNTIME_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
    casebook_apply_configuration(${target} ${config})
    casebook_warnings(${target})
  endforeach()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/compile-probe.sh.in
                 ${ARG_OUTPUT_DIR}/casebook-compile-probe @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/thread-safety.sh.in
                 ${ARG_OUTPUT_DIR}/casebook-thread-safety @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
endfunction()
