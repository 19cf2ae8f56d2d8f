# The pages a user reads name only public API: nothing of the fakes' internal
# namespaces (runtime::, dispatch::, objects::, base::, xpctest::fakes::),
# which no installed header declares. (The snippets are compiled without the
# fakes' sources on the include path, so their code is held to the same.)
# architecture.md and performance.md describe the internals and are exempt.
cmake_minimum_required(VERSION 3.25)
file(GLOB pages ${ROOT}/docs/*.md ${ROOT}/examples/*/README.md)
list(APPEND pages ${ROOT}/README.md)
list(REMOVE_ITEM pages ${ROOT}/docs/architecture.md ${ROOT}/docs/performance.md)
set(found "")
foreach(page IN LISTS pages)
  file(STRINGS ${page} lines)
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(line MATCHES "(^|[^A-Za-z0-9_:])(runtime|dispatch|objects|base|fakes)::|xpctest::fakes::")
      file(RELATIVE_PATH shown ${ROOT} ${page})
      list(APPEND found "${shown}:${number}: ${line}")
    endif()
  endforeach()
endforeach()
if(found)
  list(JOIN found "\n  " report)
  message(FATAL_ERROR "pages that name the fakes' internals (use xpctest::, xpctest::control:: "
                      "and the headers under include/):\n  ${report}")
endif()
message(STATUS "the pages name only public API")
