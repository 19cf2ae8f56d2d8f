# A service that crashes on its first input: the crash report (libFuzzer's
# deadly signal, or ASan's SEGV) comes with the input printed as test code,
# once. Run as:
#   cmake -DPROGRAM=<fuzz_crash_target> -DSCRATCH=<dir> -P check_fuzz_crash.cmake
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH}/corpus)
execute_process(COMMAND ${PROGRAM} -runs=10 -artifact_prefix=${SCRATCH}/ ${SCRATCH}/corpus
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
set(log "${out}${err}")
if(status EQUAL 0)
  message(FATAL_ERROR "the crashing service did not crash:\n${log}")
endif()
string(REGEX MATCHALL "==== xpctest fuzz: the input running when it crashed" printed "${log}")
list(LENGTH printed count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "the input should be printed once, was printed ${count} times:\n${log}")
endif()
if(NOT log MATCHES "\n  client\\.SendSync\\(xpctest::Dict{{\"boom\", true}}\\);\n")
  message(FATAL_ERROR "the crashing input is not printed as test code:\n${log}")
endif()
if(NOT log MATCHES "SEGV|deadly signal")
  message(FATAL_ERROR "no crash report:\n${log}")
endif()
