# Failures name the test's own lines, and --gtest_output=xml keeps what a CI
# reporter needs to replay one: the seed, the replay command and the trace.
# Run as: cmake -DTARGET=<report_target_test> -DSOURCE=<report_target_test.cc>
#               -DWORK=<scratch dir> -P check_reports.cmake
file(READ ${SOURCE} source)
# The line of each "// REPORTED: <what>" marker.
function(marked_line what out)
  string(FIND "${source}" "// REPORTED: ${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no '// REPORTED: ${what}' marker in ${SOURCE}")
  endif()
  string(SUBSTRING "${source}" 0 ${at} before)
  string(REGEX MATCHALL "\n" newlines "${before}")
  list(LENGTH newlines count)
  math(EXPR line "${count} + 1")
  set(${out} ${line} PARENT_SCOPE)
endfunction()
marked_line(send send_line)
marked_line(made made_line)

file(MAKE_DIRECTORY ${WORK})
set(xml ${WORK}/report_target.xml)
file(REMOVE ${xml})
execute_process(COMMAND ${TARGET} --gtest_output=xml:${xml}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(rc EQUAL 0)
  message(FATAL_ERROR "the report target passed:\n${out}${err}")
endif()

# Misuse in the service, reported at the line that sent; the client left
# active, reported at the line that made it, with its label.
if(NOT out MATCHES "report_target_test\\.cc:${send_line}: Failure\nFailed\nxpctest: XPC API Misuse: Over-release of object\\.")
  message(FATAL_ERROR "the misuse is not reported at report_target_test.cc:${send_line}:\n${out}")
endif()
if(NOT out MATCHES "report_target_test\\.cc:${made_line}: Failure\nFailed\nxpctest: unfinished at the end of the test: [^\n]*connection never cancelled: [^\n]*\\(vault-1, made here\\)")
  message(FATAL_ERROR "the active client is not reported at report_target_test.cc:${made_line}:\n${out}")
endif()
if(out MATCHES "framework/src/[a-z_]+\\.cc:[0-9]+: Failure")
  message(FATAL_ERROR "a failure points into xpctest's own source:\n${out}")
endif()

# The XML keeps the failure's place, the seed, the replay command and the trace.
file(READ ${xml} report)
set(test ReportTarget.MisuseInAServiceFailsAtTheSendLine)
foreach(expected
    "report_target_test.cc:${send_line}"
    "name=\"xpctest_executor\" value=\"deterministic\""
    "name=\"xpctest_seed\" value=\"0\""
    "name=\"xpctest_replay\" value=\"XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=0 ${TARGET} --gtest_filter=${test}\""
    "name=\"xpctest_trace\" value=\"[^\"]*send: endpoint-client sloppy-1: { op = &quot;go&quot; }")
  if(NOT report MATCHES "${expected}")
    message(FATAL_ERROR "the XML report lacks ${expected}:\n${report}")
  endif()
endforeach()

# The replay command replays it.
execute_process(COMMAND ${CMAKE_COMMAND} -E env XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=0
                        ${TARGET} --gtest_filter=${test}
                OUTPUT_VARIABLE replay RESULT_VARIABLE replay_rc)
if(replay_rc EQUAL 0 OR NOT replay MATCHES "report_target_test\\.cc:${send_line}: Failure")
  message(FATAL_ERROR "the replay command did not fail the same way:\n${replay}")
endif()
# Forty unexpected warnings: three in full, then one summary of the rest.
execute_process(COMMAND ${TARGET} --gtest_filter=ReportTarget.ManyUnexpectedWarningsEndInOneSummary
                OUTPUT_VARIABLE many)
string(REGEX MATCHALL "xpctest: unexpected xpctest warning" full "${many}")
list(LENGTH full shown)
if(NOT shown EQUAL 3 OR NOT many MATCHES "xpctest: 37 more unexpected warnings:\n  37 x [^\n]*released without a reply")
  message(FATAL_ERROR "forty warnings are not three failures and a summary (${shown} in full):\n${many}")
endif()
message(STATUS "failures at lines ${send_line} and ${made_line}; the XML keeps seed, replay and trace")
