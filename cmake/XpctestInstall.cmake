# Installs the drop-in headers, the libraries and xpctest-config.cmake.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
