# A short, reproducible fuzzing run from an empty corpus: -runs=RUNS -seed=1.
# Fails, with libFuzzer's output, if the run found anything. Run as:
#   cmake -DPROGRAM=<fuzzer> -DSCRATCH=<dir> -DRUNS=<n> -DFLAGS=<flags> -P smoke_run.cmake
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH}/corpus)
execute_process(COMMAND ${PROGRAM} ${FLAGS} -runs=${RUNS} -seed=1 -print_final_stats=1
                        -artifact_prefix=${SCRATCH}/ ${SCRATCH}/corpus
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the fuzzer found something in ${RUNS} runs (exit ${status}):\n${out}${err}")
endif()
string(REGEX MATCH "stat::number_of_executed_units: [0-9]+" executed "${err}")
string(REGEX MATCH "stat::average_exec_per_sec: [0-9]+" speed "${err}")
message(STATUS "${executed}, ${speed}")
