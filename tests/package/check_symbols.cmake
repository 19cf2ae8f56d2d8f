# Fails if LIBRARY defines any symbol named like Apple's API (xpc_*, dispatch_*,
# _xpc_*, _dispatch_*): every such definition must carry the xpctest_ prefix.
execute_process(COMMAND ${NM} --defined-only --extern-only ${LIBRARY}
                OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "[^\n]* [A-Za-z] _?_?(xpc|dispatch)_[^\n]*" offenders "${symbols}")
if(offenders)
  list(JOIN offenders "\n" text)
  message(FATAL_ERROR "unprefixed symbols defined in ${LIBRARY}:\n${text}")
endif()
string(REGEX MATCHALL " [A-Za-z] xpctest_[^\n]*" prefixed "${symbols}")
list(LENGTH prefixed count)
if(count EQUAL 0)
  message(FATAL_ERROR "no xpctest_ symbols found in ${LIBRARY}: is it the right file?")
endif()
message(STATUS "${count} prefixed symbols, no unprefixed xpc_/dispatch_ symbol")
