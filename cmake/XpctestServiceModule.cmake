# Service modules: an unmodified service built as a shared object that
# xpctest loads once per launch (World::RegisterServiceModule), so every
# simulated process of it starts with fresh globals, as on macOS
# (docs/processes-and-the-os.md).
#
# xpctest_add_service_module(<target> SOURCES <files...> [LIBRARIES <targets...>])
#
#   Builds <target> from the service's sources (its main included) against
#   xpctest::fakes. Calls and references inside the module bind to its own
#   definitions (-Bsymbolic), so a test program that also links the same
#   service source does not lend the module its globals.
#
# xpctest_use_service_module(<target> <module> [DEFINE <macro>])
#
#   Builds <module> before <target> and defines <macro> (default:
#   <MODULE>_PATH, upper case) as the module file's path in <target>'s code:
#
#     xpctest_add_service_module(calc_service SOURCES calc_service.c)
#     xpctest_use_service_module(calc_test calc_service)
#     // calc_test.cc: world().RegisterServiceModule("com.example.calc", CALC_SERVICE_PATH);
function(xpctest_add_service_module target)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "xpctest_add_service_module(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE xpctest::fakes ${ARG_LIBRARIES})
  target_link_options(${target} PRIVATE -Wl,-Bsymbolic)
endfunction()

function(xpctest_use_service_module target module)
  cmake_parse_arguments(ARG "" "DEFINE" "" ${ARGN})
  if(NOT ARG_DEFINE)
    string(MAKE_C_IDENTIFIER "${module}_PATH" ARG_DEFINE)
    string(TOUPPER "${ARG_DEFINE}" ARG_DEFINE)
  endif()
  add_dependencies(${target} ${module})
  target_compile_definitions(${target} PRIVATE "${ARG_DEFINE}=\"$<TARGET_FILE:${module}>\"")
endfunction()
