# cases.cmake - find every case folder and compile the catalog once per configuration.
#
# A case is a folder holding broken.cpp and fixed.cpp; its folder name is the case's name,
# passed to the code as CASEBOOK_CASE_NAME, so adding a case is adding a folder and nothing
# else. Folders outside the tree come in through CASEBOOK_EXTRA_CASES (a ;-list of folders,
# each either one case folder or a folder of case folders).

set(CASEBOOK_EXTRA_CASES "" CACHE STRING
    "Extra case folders (;-list): each a case folder, or a folder holding case folders")

include(${CMAKE_CURRENT_LIST_DIR}/case_folders.cmake)

# casebook_collect_cases(out_var): fills out_var with absolute case folder paths, checked: the
# folders of cases/ and those CASEBOOK_EXTRA_CASES names.
function(casebook_collect_cases out_var)
  file(GLOB in_tree LIST_DIRECTORIES true CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/cases/*)
  set(candidates "")
  foreach(dir IN LISTS in_tree)
    if(IS_DIRECTORY ${dir})
      list(APPEND candidates ${dir})
    endif()
  endforeach()
  casebook_expand_case_folders(extra CASEBOOK_EXTRA_CASES ${PROJECT_SOURCE_DIR}
                               ${CASEBOOK_EXTRA_CASES})
  casebook_check_case_folders(cases ${candidates} ${extra})
  set(${out_var} ${cases} PARENT_SCOPE)
endfunction()

# The self-check builds of ci/run-tests.sh rebuild the harness with a sanitizer; the case code
# is not built any differently there (case targets take casebook_warnings, never the harness's
# sanitizer), so compiling the catalog and the test fixture catalogs again would cost minutes
# and check nothing new. Such a build names the main build here and links to its case binaries
# (cmake/case_binaries.cmake).
set(CASEBOOK_REUSE_CASES_FROM "" CACHE PATH
    "A build folder of this tree whose case binaries this build links to instead of compiling")

# Where case_binaries.cmake finds its templates and the facade's headers: in this tree here; in
# an installed package, the package's folders (cmake/casebookConfig.cmake.in).
set(CASEBOOK_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(CASEBOOK_FACADE_INCLUDE_DIR ${PROJECT_SOURCE_DIR}/harness/include)
include(${CMAKE_CURRENT_LIST_DIR}/case_binaries.cmake)
