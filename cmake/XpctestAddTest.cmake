# xpctest_add_test: a gtest program registered with ctest, every TEST its own
# ctest test, optionally on both executors. The same function builds
# xpctest's own suites and a consumer's (find_package or add_subdirectory):
#
#   enable_testing()
#   xpctest_add_test(calc_test FRAMEWORK EXECUTORS SOURCES calc_test.cc calc_service.c)
#   # ctest: CalcTest.Adds (deterministic executor)
#   #        Threaded.CalcTest.Adds (XPCTEST_EXECUTOR=threaded)
#
# xpctest_add_test(<name> SOURCES <files...> [LIBRARIES <targets...>] [LABEL <label>]
#                  [FRAMEWORK] [EXECUTORS] [TIMEOUT <seconds>])
#
#   FRAMEWORK links xpctest::framework with its main (the --xpctest_* flags);
#   without it the program links xpctest::fakes, gMock and GoogleTest's main.
#   EXECUTORS registers every test twice: as is (deterministic by default)
#   and with XPCTEST_EXECUTOR=threaded, its name prefixed "Threaded.".
#   LABEL (default: ${XPCTEST_LABEL_PREFIX}<name>) labels every test, so
#   `ctest -L <label>` runs one suite and ctest prints a time per label.
#   TIMEOUT (default 120 s) bounds each test: a hang kills one case only.
#
# Tests are discovered when the program is built (gtest_discover_tests), so
# `ctest -j` spreads them over cores.
function(xpctest_add_test name)
  # Here, not at file scope: gtest_discover_tests needs the module's
  # variables in the caller's scope, and an add_subdirectory consumer calls
  # this from a directory that never included GoogleTest.
  include(GoogleTest)
  cmake_parse_arguments(ARG "FRAMEWORK;EXECUTORS" "LABEL;TIMEOUT" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "xpctest_add_test(${name}): SOURCES is required")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  if(NOT ARG_LABEL)
    set(ARG_LABEL "${XPCTEST_LABEL_PREFIX}${name}")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  if(ARG_FRAMEWORK)
    target_link_libraries(${name} PRIVATE xpctest::framework xpctest::gtest_main ${ARG_LIBRARIES})
  else()
    target_link_libraries(${name} PRIVATE xpctest::fakes GTest::gmock GTest::gtest_main
                          ${ARG_LIBRARIES})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${ARG_TIMEOUT}
                       LABELS ${ARG_LABEL})
  if(ARG_EXECUTORS)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_PREFIX "Threaded."
                         PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS ${ARG_LABEL}
                         ENVIRONMENT XPCTEST_EXECUTOR=threaded)
  endif()
endfunction()
