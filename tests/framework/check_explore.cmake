# --xpctest_explore finds the seed that breaks ExploreTarget, and the seed it
# names replays the failure. Run as:
#   cmake -DTARGET=<explore_target_test> -DMODE=Flag|Env -P check_explore.cmake
set(test ExploreTarget.TwoServicesAnswerInTheOrderAsked)

if(MODE STREQUAL "Env")
  execute_process(COMMAND ${CMAKE_COMMAND} -E env XPCTEST_EXPLORE=50 ${TARGET}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
else()
  execute_process(COMMAND ${TARGET} --xpctest_explore=50
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
endif()
if(rc EQUAL 0)
  message(FATAL_ERROR "exploring 50 seeds found no failure:\n${out}${err}")
endif()
# (Counted by a fragment without ';', which would split a CMake list.)
string(REGEX MATCHALL "xpctest: [A-Za-z.]+ failed with seed" lines "${out}")
list(LENGTH lines count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one 'failed with seed' line, found ${count}:\n${out}")
endif()
if(NOT out MATCHES "\nxpctest: ${test} failed with seed ([0-9]+); replay with XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=([0-9]+)\n")
  message(FATAL_ERROR "the line names the wrong test or seeds:\n${out}")
endif()
set(seed ${CMAKE_MATCH_1})
if(NOT CMAKE_MATCH_2 STREQUAL seed)
  message(FATAL_ERROR "the replay command names another seed: ${lines}")
endif()
# The fixture's own report of the failure names the same seed.
if(NOT out MATCHES "xpctest: ${test} ran on the deterministic executor with seed ${seed};")
  message(FATAL_ERROR "the failure report does not name seed ${seed}:\n${out}")
endif()
# Stopped after the failing iteration: the seeds after it were not run.
if(NOT out MATCHES "explored seeds 1\\.\\.${seed}; stopped after seed ${seed} failed")
  message(FATAL_ERROR "exploring did not stop at seed ${seed}:\n${out}")
endif()
# Nothing is shown after the failing iteration: gtest's "Repeating all tests"
# banner appears once per iteration run (seeds 1..seed), never for the
# skipped ones.
string(REGEX MATCHALL "Repeating all tests \\(iteration [0-9]+\\)" banners "${out}")
list(LENGTH banners banner_count)
if(NOT banner_count EQUAL seed)
  message(FATAL_ERROR "expected ${seed} iteration banners (seeds 1..${seed}), found ${banner_count}:\n${out}")
endif()
if(out MATCHES "not run: seed")
  message(FATAL_ERROR "the skipped iterations after seed ${seed} were shown:\n${out}")
endif()
# The tests before the failure passed with every earlier seed.
string(REGEX MATCHALL "\\[  FAILED  \\] ${test} \\(" failures "${out}")
list(LENGTH failures failed_runs)
if(NOT failed_runs EQUAL 1)
  message(FATAL_ERROR "expected exactly one failed run of ${test}, found ${failed_runs}:\n${out}")
endif()

# --gtest_output keeps the failing iteration (the seeds after it, never run,
# do not overwrite it), with the seed among the test's properties.
set(xml ${CMAKE_CURRENT_BINARY_DIR}/explore_${MODE}.xml)
file(REMOVE ${xml})
execute_process(COMMAND ${TARGET} --xpctest_explore=50 --gtest_output=xml:${xml}
                OUTPUT_QUIET ERROR_QUIET)
file(READ ${xml} report)
if(NOT report MATCHES "name=\"TwoServicesAnswerInTheOrderAsked\"[^>]*>[ \n]*<failure" OR
   NOT report MATCHES "name=\"xpctest_seed\" value=\"${seed}\"")
  message(FATAL_ERROR "the XML report does not keep the failure with seed ${seed}:\n${report}")
endif()

# Replaying the named seed fails the same way.
execute_process(COMMAND ${CMAKE_COMMAND} -E env XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=${seed}
                        ${TARGET} --gtest_filter=${test}
                OUTPUT_VARIABLE replay ERROR_VARIABLE replay_err RESULT_VARIABLE replay_rc)
if(replay_rc EQUAL 0 OR NOT replay MATCHES "the second service answered first")
  message(FATAL_ERROR "replaying seed ${seed} did not fail:\n${replay}${replay_err}")
endif()
if(NOT replay MATCHES "with seed ${seed};")
  message(FATAL_ERROR "the replay did not run with seed ${seed}:\n${replay}")
endif()

# Seed 0 (FIFO) passes.
execute_process(COMMAND ${CMAKE_COMMAND} -E env XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=0
                        ${TARGET}
                OUTPUT_VARIABLE fifo ERROR_VARIABLE fifo_err RESULT_VARIABLE fifo_rc)
if(NOT fifo_rc EQUAL 0)
  message(FATAL_ERROR "seed 0 failed:\n${fifo}${fifo_err}")
endif()
message(STATUS "exploring found seed ${seed}; it replays; seed 0 passes")
