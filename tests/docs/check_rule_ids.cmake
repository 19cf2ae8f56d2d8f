# Every rule id (S62, S115c, P3) cited in the source tree must be a rule of
# docs/semantics.md, where each rule is a line opening with its anchor:
#   <a id="s62"></a>**S62** ...
# An id is an S or P, digits and an optional lower-case letter, standing
# alone or at the start of a test name (S62NamedClientIs...): it follows no
# letter, digit or underscore, and no digit or lower-case letter follows it.
cmake_minimum_required(VERSION 3.25)
file(STRINGS ${RULES} rule_lines REGEX "^<a id=\"[sp][0-9]+[a-z]?\"></a>\\*\\*[SP][0-9]+[a-z]?\\*\\* ")
set(defined "")
foreach(line IN LISTS rule_lines)
  string(REGEX MATCH "^<a id=\"([sp][0-9]+[a-z]?)\"></a>\\*\\*([SP][0-9]+[a-z]?)\\*\\*" _ "${line}")
  string(TOLOWER "${CMAKE_MATCH_2}" lowered)
  if(NOT lowered STREQUAL CMAKE_MATCH_1)
    message(FATAL_ERROR "${RULES}: the anchor ${CMAKE_MATCH_1} is not the rule's id ${CMAKE_MATCH_2}")
  endif()
  list(APPEND defined ${CMAKE_MATCH_2})
endforeach()
list(LENGTH defined count)
if(count EQUAL 0)
  message(FATAL_ERROR "${RULES} defines no rules")
endif()

# DIRS is comma-separated (a ctest command line keeps no list intact).
string(REPLACE "," ";" DIRS "${DIRS}")
set(files "")
foreach(dir IN LISTS DIRS)
  file(GLOB_RECURSE found ${ROOT}/${dir}/*.md ${ROOT}/${dir}/*.c ${ROOT}/${dir}/*.cc
       ${ROOT}/${dir}/*.h ${ROOT}/${dir}/*.txt ${ROOT}/${dir}/*.cmake)
  if(NOT found)
    message(FATAL_ERROR "no source files in ${ROOT}/${dir}: nothing would be checked")
  endif()
  list(APPEND files ${found})
endforeach()
list(APPEND files ${ROOT}/README.md)
set(missing "")
foreach(file IN LISTS files)
  file(STRINGS ${file} lines REGEX "[SP][0-9]")
  foreach(line IN LISTS lines)
    # Each match also takes the character after the id, so every separator is
    # doubled first: "S62,S63" still yields both.
    string(REGEX REPLACE "([^A-Za-z0-9_])" "\\1\\1" spaced " ${line} ")
    string(REGEX MATCHALL "[^A-Za-z0-9_][SP][0-9]+[a-z]?[^a-z0-9]" cited "${spaced}")
    string(REGEX MATCHALL "[SP][0-9]+[a-z]?" ids "${cited}")
    foreach(id IN LISTS ids)
      if(NOT id IN_LIST defined)
        file(RELATIVE_PATH shown ${ROOT} ${file})
        list(APPEND missing "${shown}: ${id}")
      endif()
    endforeach()
  endforeach()
endforeach()
if(missing)
  list(REMOVE_DUPLICATES missing)
  list(JOIN missing "\n  " report)
  message(FATAL_ERROR "rule ids cited but not defined in docs/semantics.md:\n  ${report}")
endif()
list(LENGTH files scanned)
message(STATUS "${count} rules in docs/semantics.md; every id cited in ${scanned} files is one of them")
