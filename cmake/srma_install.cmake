# Install rules: public headers, the static and shared libraries of every component built, the CLI,
# and a relocatable package configuration, so that consumers write
#   find_package(srma 0.1 REQUIRED COMPONENTS core)   target_link_libraries(app PRIVATE srma::core)
# (tests/package/ builds such a consumer against an installed tree).
include(CMakePackageConfigHelpers)

# The headers of components that were not built (figures, plans) are left out with them.
set(_srma_header_excludes "")
# component -> its header folders
set(_srma_dirs_plot plot)
set(_srma_dirs_run run)
set(_srma_dirs_project records project)
foreach(_c plot run project)
  get_property(_built GLOBAL PROPERTY SRMA_COMPONENT_${_c}_TARGETS)
  if(NOT _built)
    foreach(_d ${_srma_dirs_${_c}})
      list(APPEND _srma_header_excludes PATTERN "${_d}" EXCLUDE)
    endforeach()
  endif()
endforeach()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/srma" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT devel FILES_MATCHING PATTERN "*.hpp" ${_srma_header_excludes})

# One export set per component, so that loading core never reads the targets of plot or run.
get_property(SRMA_BUILT_COMPONENTS GLOBAL PROPERTY SRMA_COMPONENTS)
set(SRMA_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/srma")
foreach(_c ${SRMA_BUILT_COMPONENTS})
  get_property(_targets GLOBAL PROPERTY SRMA_COMPONENT_${_c}_TARGETS)
  install(TARGETS ${_targets} EXPORT srma_${_c}_targets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  install(EXPORT srma_${_c}_targets NAMESPACE srma:: DESTINATION "${SRMA_CMAKE_DIR}")
endforeach()
if(TARGET srma_cli)
  install(TARGETS srma_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  # The program's figure module (cli/figures.cpp looks for it here, relative to the program).
  install(TARGETS srma_figures LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/srma")
endif()

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/srmaConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/srmaConfig.cmake" INSTALL_DESTINATION "${SRMA_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/srmaConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/srmaConfig.cmake" "${PROJECT_BINARY_DIR}/srmaConfigVersion.cmake"
        DESTINATION "${SRMA_CMAKE_DIR}")
