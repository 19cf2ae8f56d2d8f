# Regenerates docs/api-coverage.md from the library and fails if the committed
# page differs: a function implemented, or dropped, without the page saying so.
execute_process(COMMAND bash ${SCRIPT} ${LIBRARY} ${WORK_DIR}/api-coverage.md RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "scripts/api-coverage failed")
endif()
execute_process(COMMAND diff -u ${DOC} ${WORK_DIR}/api-coverage.md OUTPUT_VARIABLE diff
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "docs/api-coverage.md is out of date; run scripts/api-coverage "
                      "<libxpctest_fakes.so> docs/api-coverage.md\n${diff}")
endif()
