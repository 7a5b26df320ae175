# case_folders.cmake - find and check case folders: the catalog's, CASEBOOK_EXTRA_CASES', and
# the folders a project outside this tree passes to casebook_add_cases() (installed with the
# casebook CMake package).
#
# A case is a folder holding broken.cpp, fixed.cpp and README.md; its folder name is the case's
# name, passed to the code as CASEBOOK_CASE_NAME.

# casebook_expand_case_folders(out_var WHAT BASE folders...): each folder (relative ones under
# BASE) is one case folder or a folder holding case folders; out_var gets the case folders,
# absolute. WHAT names where the folders came from in error messages ("CASEBOOK_EXTRA_CASES",
# "casebook_add_cases(FOLDERS)").
# Every folder found is recorded as coming from outside the catalog, so its files are named
# relative to the folder holding it (results say "<case>/broken.cpp").
function(casebook_expand_case_folders out_var what base)
  set(found "")
  foreach(folder IN LISTS ARGN)
    get_filename_component(folder ${folder} ABSOLUTE BASE_DIR ${base})
    if(NOT IS_DIRECTORY ${folder})
      message(FATAL_ERROR "${what} names '${folder}', which is not a folder. "
                          "Give case folders (holding broken.cpp and fixed.cpp) or their parent.")
    endif()
    if(EXISTS ${folder}/broken.cpp OR EXISTS ${folder}/fixed.cpp)
      list(APPEND found ${folder})
    else()
      file(GLOB children LIST_DIRECTORIES true CONFIGURE_DEPENDS ${folder}/*)
      set(any FALSE)
      foreach(child IN LISTS children)
        if(IS_DIRECTORY ${child} AND (EXISTS ${child}/broken.cpp OR EXISTS ${child}/fixed.cpp))
          list(APPEND found ${child})
          set(any TRUE)
        endif()
      endforeach()
      if(NOT any)
        message(FATAL_ERROR "${what} names '${folder}', which holds no case: a case folder has "
                            "broken.cpp and fixed.cpp.")
      endif()
    endif()
  endforeach()
  foreach(dir IN LISTS found)
    set_property(GLOBAL APPEND PROPERTY CASEBOOK_EXTRA_CASE_DIRS ${dir})
  endforeach()
  set(${out_var} ${found} PARENT_SCOPE)
endfunction()

# casebook_check_case_folders(out_var dirs...): out_var gets the dirs that are cases (folders
# with neither broken.cpp nor fixed.cpp, e.g. a shared helper folder, are left out), after
# checking each: a name usable as the case's name, all three files, no two cases of one name.
function(casebook_check_case_folders out_var)
  set(cases "")
  set(names "")
  foreach(dir IN LISTS ARGN)
    get_filename_component(name ${dir} NAME)
    if(NOT EXISTS ${dir}/broken.cpp AND NOT EXISTS ${dir}/fixed.cpp)
      continue()
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
  endforeach()
  set(${out_var} ${cases} PARENT_SCOPE)
endfunction()
