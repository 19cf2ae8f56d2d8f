# Builds the consumer projects of docs/getting-started.md from the page's own
# text, as a newcomer would, and runs their tests:
#
#   <!-- consumer: file P -->         the fenced block below is the file P
#   <!-- consumer: run -->            run the block (bash) in the workspace
#   <!-- consumer: run in xpctest --> run the block in the xpctest checkout
#   <!-- consumer: add_subdirectory -->  the line that replaces find_package
#
# MODE=find_package: HOME is the workspace, the install command runs in a
# "checkout" whose build/default is this tree's build, then every run block.
# MODE=add_subdirectory: each project in PROJECTS gets the page's
# add_subdirectory line instead of find_package and the source tree as its
# xpctest/; only the run blocks that cd into PROJECTS run. Installing the
# project must install nothing of xpctest. In both modes the commands'
# output must hold no CMake warning.
#
# EXTRAS (a directory) is added to the C++ project EXTRAS_PROJECT: the
# package suite's own checks (a service module, a fuzzer) in the same build.
# Sanitizer builds pass their flags as CFLAGS/CXXFLAGS/LDFLAGS, which CMake
# reads at a first configure, so the page's commands stay as written.
cmake_minimum_required(VERSION 3.25)
set(work ${WORK_DIR}/docs-${MODE}-${NAME})
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

file(READ ${DOC} rest)
set(files "")
set(runs 0)
set(replacement "")
while(TRUE)
  string(FIND "${rest}" "<!-- consumer: " at)
  if(at EQUAL -1)
    break()
  endif()
  math(EXPR at "${at} + 15")
  string(SUBSTRING "${rest}" ${at} -1 rest)
  string(FIND "${rest}" " -->" end)
  string(SUBSTRING "${rest}" 0 ${end} directive)
  # The block: from the line after the next opening fence to the closing one.
  string(FIND "${rest}" "\n```" open)
  math(EXPR open "${open} + 4")
  string(SUBSTRING "${rest}" ${open} -1 rest)
  string(FIND "${rest}" "\n" eol)
  math(EXPR eol "${eol} + 1")
  string(SUBSTRING "${rest}" ${eol} -1 rest)
  string(FIND "${rest}" "\n```" close)
  math(EXPR close_end "${close} + 1")
  string(SUBSTRING "${rest}" 0 ${close_end} block)
  math(EXPR close "${close} + 4")
  string(SUBSTRING "${rest}" ${close} -1 rest)

  if(directive MATCHES "^file (.+)$")
    file(WRITE ${work}/${CMAKE_MATCH_1} "${block}")
    list(APPEND files ${CMAKE_MATCH_1})
  elseif(directive MATCHES "^run( in xpctest)?$")
    set(run_${runs}_block "${block}")
    if(CMAKE_MATCH_1)
      set(run_${runs}_dir xpctest)
    else()
      set(run_${runs}_dir "")
    endif()
    math(EXPR runs "${runs} + 1")
  elseif(directive STREQUAL "add_subdirectory")
    string(STRIP "${block}" replacement)
  else()
    message(FATAL_ERROR "${DOC}: unknown directive <!-- consumer: ${directive} -->")
  endif()
endwhile()
if(NOT files OR runs EQUAL 0)
  message(FATAL_ERROR "${DOC}: no consumer files or commands found")
endif()

math(EXPR last "${runs} - 1")
if(EXTRAS)
  file(APPEND ${work}/${EXTRAS_PROJECT}/CMakeLists.txt
       "# Added by the package test, not by the page:\nadd_subdirectory(${EXTRAS} extras)\n")
endif()
if(MODE STREQUAL "find_package")
  # The page's checkout: the build directory its install command names
  # (build/libs, say) is this tree's build.
  file(MAKE_DIRECTORY ${work}/xpctest/build)
  foreach(index RANGE ${last})
    if(run_${index}_dir STREQUAL "xpctest" AND run_${index}_block MATCHES "build/([A-Za-z0-9_-]+)")
      file(CREATE_LINK ${BUILD_DIR} ${work}/xpctest/build/${CMAKE_MATCH_1} SYMBOLIC)
    endif()
  endforeach()
else()
  if(replacement STREQUAL "")
    message(FATAL_ERROR "${DOC}: no <!-- consumer: add_subdirectory --> block")
  endif()
  foreach(project IN LISTS PROJECTS)
    file(READ ${work}/${project}/CMakeLists.txt lists)
    string(REPLACE "find_package(xpctest CONFIG REQUIRED)" "${replacement}" replaced "${lists}")
    if(replaced STREQUAL lists)
      message(FATAL_ERROR "${project}/CMakeLists.txt: no find_package line to replace")
    endif()
    file(WRITE ${work}/${project}/CMakeLists.txt "${replaced}")
    file(CREATE_LINK ${SOURCE_DIR} ${work}/${project}/xpctest SYMBOLIC)
  endforeach()
endif()

set(flags "")
set(link_flags "")
if(SANITIZE)
  list(JOIN SANITIZE "," joined)
  set(flags "-fsanitize=${joined}")
  # As xpctest::fakes says when built sanitized: a C program's link needs
  # the sanitizers' C++ runtime (the subdirectory is configured as the page
  # says, without XPCTEST_SANITIZE).
  set(link_flags "${flags} -fsanitize-link-c++-runtime -lstdc++")
endif()
set(environment HOME=${work} "CFLAGS=${flags}" "CXXFLAGS=${flags}" "LDFLAGS=${link_flags}")
set(ran 0)
foreach(index RANGE ${last})
  set(block "${run_${index}_block}")
  set(dir "${run_${index}_dir}")
  if(MODE STREQUAL "add_subdirectory")
    if(dir STREQUAL "xpctest")
      continue()  # the install step
    endif()
    string(REGEX MATCH "^cd ([^\n]+)\n" cd "${block}")
    if(NOT CMAKE_MATCH_1 IN_LIST PROJECTS)
      continue()
    endif()
  endif()
  message(STATUS "running, in ${work}/${dir}:\n${block}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${environment} bash -e -c "${block}"
                  WORKING_DIRECTORY ${work}/${dir}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the page's commands failed (${status}):\n${block}\n${out}\n${err}")
  endif()
  if("${out}${err}" MATCHES "CMake (Deprecation )?Warning")
    message(FATAL_ERROR "the page's commands make CMake warn:\n${out}\n${err}")
  endif()
  math(EXPR ran "${ran} + 1")
endforeach()
if(ran EQUAL 0)
  message(FATAL_ERROR "no command of the page ran")
endif()

if(MODE STREQUAL "add_subdirectory")
  foreach(project IN LISTS PROJECTS)
    execute_process(COMMAND ${CMAKE_COMMAND} --install ${work}/${project}/build
                            --prefix ${work}/product RESULT_VARIABLE status ERROR_VARIABLE err)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "installing ${project} failed:\n${err}")
    endif()
  endforeach()
  file(GLOB_RECURSE installed RELATIVE ${work}/product ${work}/product/*)
  if(installed)
    message(FATAL_ERROR "installing the consumer installed xpctest's files too:\n${installed}")
  endif()
endif()
message(STATUS "the page's consumer projects (${MODE}: ${PROJECTS}) built and passed")
