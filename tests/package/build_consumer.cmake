# Builds and runs a tiny consumer of xpctest, either against an installed tree
# (MODE=find_package) or with add_subdirectory on the source tree (MODE=
# add_subdirectory). KIND=cxx builds the C and C++ consumer (the fakes and the
# gtest framework); KIND=c builds a project that enables C only.
set(work ${WORK_DIR}/${MODE}-${KIND})
file(REMOVE_RECURSE ${work})
set(flags "")
if(SANITIZE)
  list(JOIN SANITIZE "," joined)
  set(flags "-fsanitize=${joined}")
endif()
set(configure_args -G Ninja -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_C_FLAGS=${flags}" "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

if(KIND STREQUAL "c")
  set(source_dirs c_consumer subdirectory_c_consumer)
  set(programs c_consumer)
else()
  set(source_dirs consumer subdirectory_consumer)
  set(programs consumer consumer_framework_test)
endif()
list(GET source_dirs 0 installed_source)
list(GET source_dirs 1 subdirectory_source)

if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${work}/prefix)
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/${installed_source} -B ${work}/build
      ${configure_args} -DCMAKE_PREFIX_PATH=${work}/prefix)
else()
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/${subdirectory_source} -B ${work}/build
      ${configure_args} -DXPCTEST_SOURCE_DIR=${SOURCE_DIR} "-DXPCTEST_SANITIZE=${SANITIZE}")
endif()
run(${CMAKE_COMMAND} --build ${work}/build)
foreach(program IN LISTS programs)
  run(${work}/build/${program})
endforeach()
if(EXISTS ${work}/build/consumer_fuzzer)
  run(${work}/build/consumer_fuzzer -runs=200 -seed=1)
endif()
message(STATUS "consumer (${MODE}, ${KIND}) built and ran")
