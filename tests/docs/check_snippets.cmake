# Each docs/*.md that names a snippet with "<!-- snippet: NAME.c -->" or
# "<!-- snippet: NAME.cc -->" must be followed by a fenced block (```c for .c,
# ```cpp for .cc) holding exactly that file. And every ```c or ```cpp block in
# docs/*.md must be such a quoted snippet: C and C++ on a page is code the
# test suite compiles and runs, never a fragment nobody built.
cmake_minimum_required(VERSION 3.25)  # script mode: today's if()/while() rules
file(GLOB pages ${DOCS}/*.md)
set(checked 0)
set(unchecked "")
foreach(page IN LISTS pages)
  file(READ ${page} text)
  string(REGEX MATCHALL "<!-- snippet: [A-Za-z0-9_]+\\.cc? -->" markers "${text}")
  foreach(marker IN LISTS markers)
    string(REGEX REPLACE "<!-- snippet: ([A-Za-z0-9_]+\\.cc?) -->" "\\1" name "${marker}")
    if(name MATCHES "\\.cc$")
      set(fence "cpp")
    else()
      set(fence "c")
    endif()
    if(NOT EXISTS ${DOCS}/snippets/${name})
      message(FATAL_ERROR "${page}: ${marker} names a file that is not in docs/snippets/")
    endif()
    file(READ ${DOCS}/snippets/${name} code)
    string(FIND "${text}" "${marker}\n```${fence}\n${code}```" found)
    if(found EQUAL -1)
      message(FATAL_ERROR "${page}: the block after ${marker} is not docs/snippets/${name} "
                          "in a ```${fence} fence")
    endif()
    math(EXPR checked "${checked} + 1")
  endforeach()

  # Walk the fence lines in order. Outside a block a fence line opens one; a
  # ```c or ```cpp opener must come right after a snippet marker line. Inside
  # a block only a bare ``` closes it, so fences quoted within text blocks
  # are not openers. The text is never split into a CMake list: C code is
  # full of the semicolons and brackets that lists mangle.
  string(PREPEND text "\n")
  set(rest "${text}")
  set(line 0)           # newlines consumed so far = number of the last line consumed
  set(previous "")      # the line before the next fence line
  set(inside FALSE)
  string(REGEX MATCH "\n[ ]*```[^\n]*" fence_line "${rest}")
  while(NOT fence_line STREQUAL "")
    string(FIND "${rest}" "${fence_line}" at)
    string(SUBSTRING "${rest}" 0 ${at} before)
    string(REGEX MATCHALL "\n" newlines "${before}")
    list(LENGTH newlines skipped)
    math(EXPR line "${line} + ${skipped} + 1")
    if(before MATCHES "\n$")
      set(previous "")
    elseif(NOT before STREQUAL "")
      string(REGEX MATCH "[^\n]+$" previous "${before}")
    endif()
    string(LENGTH "${fence_line}" length)
    math(EXPR after "${at} + ${length}")
    string(SUBSTRING "${rest}" ${after} -1 rest)

    string(REGEX REPLACE "^\n[ ]*```[ ]*" "" info "${fence_line}")
    string(STRIP "${info}" info)
    if(inside)
      if(info STREQUAL "")
        set(inside FALSE)
      endif()
    else()
      set(inside TRUE)
      if(info MATCHES "^(c|cpp|c\\+\\+)$" AND
         NOT previous MATCHES "^<!-- snippet: [A-Za-z0-9_]+\\.cc? -->$")
        file(RELATIVE_PATH shown ${DOCS}/.. ${page})
        list(APPEND unchecked "${shown}:${line}: a ```${info} block with no snippet marker above it")
      endif()
    endif()
    string(SUBSTRING "${fence_line}" 1 -1 previous)
    string(REGEX MATCH "\n[ ]*```[^\n]*" fence_line "${rest}")
  endwhile()
endforeach()
if(unchecked)
  list(JOIN unchecked "\n" report)
  message(FATAL_ERROR "C/C++ blocks in docs/ that no test builds:\n${report}\n"
                      "Put the code in docs/snippets/ and quote it after a "
                      "<!-- snippet: NAME --> line, or fence it as ```text if it is not code.")
endif()
if(checked EQUAL 0)
  message(FATAL_ERROR "no snippet markers found in ${DOCS}")
endif()
message(STATUS "${checked} snippets quoted exactly; every C/C++ block in docs/ is one of them")
