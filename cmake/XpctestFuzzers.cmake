# xpctest's own fuzz targets (fuzz/, examples/fuzzing/): libFuzzer programs
# linked with xpctest::libfuzzer.
#
#   xpctest_add_fuzzer(<name> SOURCES <files...> [LIBRARIES <targets...>]
#                      [CORPUS <dir>] [DICT <file>] [ARGS <libFuzzer flags...>]
#                      [SMOKE_RUNS <n>] [DEMO])
#
# DEMO marks a target with a planted bug (examples/fuzzing): built, but left
# out of the manifest and the tests below, which would all find it.
#
# Each fuzzer joins the `xpctest_fuzzers` target (what the `fuzz` build
# preset builds) and the manifest ${PROJECT_BINARY_DIR}/fuzzers.tsv that
# scripts/run-fuzzers reads: name, program, corpus, dictionary, flags. With
# tests enabled, two ctest tests guard it:
#   Fuzz.<name>.CorpusPasses  every checked-in input (CORPUS and
#                             fuzz/regressions/<name>/) runs once, cleanly;
#   Fuzz.<name>.SmokeRun      SMOKE_RUNS (default 2000) fresh inputs, -seed=1:
#                             a short, reproducible run finds nothing.
#
# XPCTEST_FUZZ_COVERAGE (the `fuzz` preset) instruments every target, the
# fakes and the framework included, so libFuzzer sees their branches too;
# otherwise only the fuzzer's own sources are instrumented.

if(XPCTEST_FUZZ_COVERAGE)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

add_custom_target(xpctest_fuzzers)
set(XPCTEST_FUZZ_MANIFEST ${PROJECT_BINARY_DIR}/fuzzers.tsv)
file(WRITE ${XPCTEST_FUZZ_MANIFEST} "")

function(xpctest_add_fuzzer name)
  cmake_parse_arguments(ARG "DEMO" "CORPUS;DICT;SMOKE_RUNS" "SOURCES;LIBRARIES;ARGS" ${ARGN})
  if(NOT ARG_SMOKE_RUNS)
    set(ARG_SMOKE_RUNS 2000)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE xpctest::libfuzzer ${ARG_LIBRARIES})
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  add_dependencies(xpctest_fuzzers ${name})
  if(ARG_DEMO)
    return()
  endif()

  set(flags ${ARG_ARGS})
  if(ARG_DICT)
    list(APPEND flags -dict=${ARG_DICT})
  endif()
  list(JOIN flags " " joined_flags)
  # (Single-config generators put the program in the current binary dir.)
  file(APPEND ${XPCTEST_FUZZ_MANIFEST}
       "${name}\t${CMAKE_CURRENT_BINARY_DIR}/${name}\t${ARG_CORPUS}\t${joined_flags}\n")

  if(NOT BUILD_TESTING AND NOT XPCTEST_BUILD_TESTS)
    return()
  endif()
  set(regressions ${PROJECT_SOURCE_DIR}/fuzz/regressions/${name})
  set(inputs "")
  foreach(dir ${ARG_CORPUS} ${regressions})
    if(IS_DIRECTORY ${dir})
      list(APPEND inputs ${dir})
    endif()
  endforeach()
  if(inputs)
    add_test(NAME Fuzz.${name}.CorpusPasses COMMAND ${name} ${flags} -runs=0 ${inputs})
    set_tests_properties(Fuzz.${name}.CorpusPasses PROPERTIES TIMEOUT 300 LABELS fuzz)
  endif()
  # An empty corpus directory of its own, so the run starts from scratch
  # and never writes into the source tree.
  set(scratch ${CMAKE_CURRENT_BINARY_DIR}/${name}.smoke)
  add_test(NAME Fuzz.${name}.SmokeRun
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${name}> -DSCRATCH=${scratch}
            -DRUNS=${ARG_SMOKE_RUNS} "-DFLAGS=${flags}"
            -P ${PROJECT_SOURCE_DIR}/fuzz/smoke_run.cmake)
  set_tests_properties(Fuzz.${name}.SmokeRun PROPERTIES TIMEOUT 300 LABELS fuzz)
endfunction()
