# package.cmake - `cmake --install`: the runner, the catalog, and the CMake package with which
# a project outside this tree builds its own case pairs (find_package(casebook) and
# casebook_add_cases(), docs/package.md).
#
# <prefix>/bin                      casebook, the catalog's case binaries and compile scripts
# <prefix>/include/casebook         the case API (cb:: facade, CASEBOOK_VARIANT, the model's)
# <prefix>/lib/casebook             the case host, model and noise libraries, per configuration
# <prefix>/lib/cmake/casebook       casebookConfig.cmake, the exported targets, the functions
# <prefix>/share/casebook/valgrind  the Valgrind suppressions (harness/valgrind/)
include(CMakePackageConfigHelpers)

set(casebook_exported casebook_case_api casebook_model casebook_noise)
foreach(config IN LISTS CASEBOOK_CONFIGURATIONS)
  list(APPEND casebook_exported casebook_casehost_${config})
endforeach()
install(TARGETS ${casebook_exported} EXPORT casebookTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}/casebook)
install(TARGETS casebook EXPORT casebookTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set(casebook_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/casebook)
install(EXPORT casebookTargets NAMESPACE casebook:: DESTINATION ${casebook_package_dir})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/harness/include/casebook
                  ${PROJECT_SOURCE_DIR}/harness/model/include/casebook
                  ${PROJECT_SOURCE_DIR}/harness/noise/include/casebook
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/casebookConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/casebookConfig.cmake
                              INSTALL_DESTINATION ${casebook_package_dir}
                              PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/casebookConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/casebookConfig.cmake
              ${PROJECT_BINARY_DIR}/package/casebookConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/warning_flags.cmake
              ${PROJECT_SOURCE_DIR}/cmake/configurations.cmake
              ${PROJECT_SOURCE_DIR}/cmake/case_folders.cmake
              ${PROJECT_SOURCE_DIR}/cmake/case_binaries.cmake
              ${PROJECT_SOURCE_DIR}/cmake/add_cases.cmake
              ${PROJECT_SOURCE_DIR}/cmake/link_or_copy.cmake
              ${PROJECT_SOURCE_DIR}/cmake/case_std_headers.hpp
              ${PROJECT_SOURCE_DIR}/cmake/compile-probe.sh.in
              ${PROJECT_SOURCE_DIR}/cmake/thread-safety.sh.in
        DESTINATION ${casebook_package_dir})

# The catalog's compile scripts, generated again at install time so that they name the
# installed headers (the build tree's name the source tree's), wherever --prefix puts them;
# written under $DESTDIR when a packager stages the install there.
install(CODE "
  set(CASEBOOK_FACADE_INCLUDE_DIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_INCLUDEDIR}\")
  set(CMAKE_CXX_COMPILER \"${CMAKE_CXX_COMPILER}\")
  set(CASEBOOK_THREAD_SAFETY_CLANGXX \"${CASEBOOK_THREAD_SAFETY_CLANGXX}\")
  foreach(script compile-probe thread-safety)
    configure_file(\"${PROJECT_SOURCE_DIR}/cmake/\${script}.sh.in\"
                   \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/casebook-\${script}\" @ONLY
                   FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                                    GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
  message(STATUS \"Generated: \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/casebook-{compile-probe,thread-safety}\")
")

# The other compiler's TSan catalog (cmake/other_compiler_tsan.cmake), beside the rest.
if(TARGET casebook-tsan-${CASEBOOK_OTHER_COMPILER})
  install(PROGRAMS ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/casebook-cases-tsan-${CASEBOOK_OTHER_COMPILER}
          DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
