# The stats fuzzer finds the planted bug within a bounded run with a fixed
# seed (-seed=1 finds it in a few hundred inputs; at most 20,000 are run),
# prints the message that triggers it as a Dict literal, saves the input,
# and replaying the saved input finds it again. Run as:
#   cmake -DPROGRAM=<stats_fuzzer> -DSCRATCH=<dir> -P check_fuzzer_finds_bug.cmake
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH}/corpus)
execute_process(COMMAND ${PROGRAM} -seed=1 -runs=20000 -artifact_prefix=${SCRATCH}/
                        ${SCRATCH}/corpus
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
set(log "${out}${err}")
if(status EQUAL 0)
  message(FATAL_ERROR "20000 inputs did not find the planted bug:\n${log}")
endif()
set(finding "xpctest fuzz: finding: XPC API Misuse: Index ([0-9]+) is out of bounds for an array of count ([0-9]+)")
if(NOT log MATCHES "${finding}")
  message(FATAL_ERROR "the fuzzer stopped, but not at the planted bug:\n${log}")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL CMAKE_MATCH_2)
  message(FATAL_ERROR "the planted bug reads at index == count, not ${CMAKE_MATCH_1} of ${CMAKE_MATCH_2}:\n${log}")
endif()
set(index ${CMAKE_MATCH_1})
# The message that did it, as a literal to paste: a "pick" at that index.
if(NOT log MATCHES "\n  client[0-9]*\\.SendSync\\(xpctest::Dict{[^\n]*{\"op\", \"pick\"}[^\n]*\\);\n")
  message(FATAL_ERROR "no pick request printed as a Dict literal:\n${log}")
endif()
if(NOT log MATCHES "{\"index\", ${index}}")
  message(FATAL_ERROR "the printed messages do not hold index ${index}:\n${log}")
endif()
file(GLOB crashes ${SCRATCH}/crash-*)
list(LENGTH crashes count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one saved crash input, found ${count}:\n${log}")
endif()

# Replayed, the saved input prints its messages first and fails the same way.
execute_process(COMMAND ${PROGRAM} ${crashes}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
set(replay "${out}${err}")
if(status EQUAL 0 OR NOT replay MATCHES "xpctest fuzz: running [0-9]+ message\\(s\\):\n"
   OR NOT replay MATCHES "${finding}")
  message(FATAL_ERROR "replaying ${crashes} did not find the bug again:\n${replay}")
endif()
string(REGEX MATCH "#[0-9]+[^\n]*DONE|Test unit written to [^\n]*" where "${log}")
message(STATUS "found index ${index} out of bounds; ${where}")
