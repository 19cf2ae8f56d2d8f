# Installs the drop-in headers, the libraries and xpctest-config.cmake, so that
# consumers can write find_package(xpctest CONFIG REQUIRED) and link
# xpctest::fakes (and xpctest::framework once it exists).
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
