# Installs the drop-in headers, the libraries, xpctest-config.cmake and the
# pkg-config files, so that consumers can write find_package(xpctest CONFIG
# REQUIRED) and link xpctest::fakes and xpctest::framework, or ask pkg-config
# for xpctest and xpctest-framework.
#
# A project that adds xpctest with add_subdirectory installs none of it with
# its own product: XPCTEST_INSTALL is off there unless it turns it on.
option(XPCTEST_INSTALL "Install xpctest's headers, libraries and package files" ${XPCTEST_TOP_LEVEL})
if(NOT XPCTEST_INSTALL)
  return()
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(XPCTEST_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/xpctest)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/fakes/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(_xpctest_targets xpctest_fakes)
if(TARGET xpctest_framework)
  list(APPEND _xpctest_targets xpctest_framework xpctest_gtest_main xpctest_fuzz xpctest_libfuzzer)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/framework/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  file(WRITE ${PROJECT_BINARY_DIR}/xpctest-framework-deps.cmake "find_dependency(GTest)\n")
  install(FILES ${PROJECT_BINARY_DIR}/xpctest-framework-deps.cmake DESTINATION ${XPCTEST_INSTALL_CMAKEDIR})
endif()
install(TARGETS ${_xpctest_targets} EXPORT xpctest-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT xpctest-targets NAMESPACE xpctest:: DESTINATION ${XPCTEST_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/xpctest-config.cmake.in
  ${PROJECT_BINARY_DIR}/xpctest-config.cmake INSTALL_DESTINATION ${XPCTEST_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/xpctest-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/xpctest-config.cmake
              ${PROJECT_BINARY_DIR}/xpctest-config-version.cmake
              ${PROJECT_SOURCE_DIR}/cmake/XpctestServiceModule.cmake
              ${PROJECT_SOURCE_DIR}/cmake/XpctestAddTest.cmake
        DESTINATION ${XPCTEST_INSTALL_CMAKEDIR})

# pkg-config: relocatable (the prefix is found from the .pc file's own place,
# so `cmake --install --prefix` anywhere works). A sanitized build's programs
# need the sanitizer runtime at link time, as the CMake targets say too.
file(RELATIVE_PATH XPCTEST_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" XPCTEST_PC_TO_PREFIX "${XPCTEST_PC_TO_PREFIX}")
set(XPCTEST_PC_SANITIZE "")
set(XPCTEST_PC_SANITIZE_LIBS "")
if(XPCTEST_SANITIZE)
  list(JOIN XPCTEST_SANITIZE "," _xpctest_sanitizers)
  set(XPCTEST_PC_SANITIZE " -fsanitize=${_xpctest_sanitizers}")
  set(XPCTEST_PC_SANITIZE_LIBS " -fsanitize=${_xpctest_sanitizers} -fsanitize-link-c++-runtime -lstdc++")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/xpctest.pc.in ${PROJECT_BINARY_DIR}/xpctest.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/xpctest.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(TARGET xpctest_framework)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/xpctest-framework.pc.in
                 ${PROJECT_BINARY_DIR}/xpctest-framework.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/xpctest-framework.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
