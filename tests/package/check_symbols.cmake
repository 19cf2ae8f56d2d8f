# Checks what LIBRARY (libxpctest_fakes.so) exports to the program:
#  - no symbol named like Apple's API (xpc_*, dispatch_*, _xpc_*, _dispatch_*):
#    every such definition carries the xpctest_ prefix;
#  - besides prefixed and C++ (mangled) symbols, exactly the libc functions the
#    library interposes for the whole program (fakes/os,
#    docs/processes-and-the-os.md), and nothing else.
set(interposed
  clock_gettime getegid geteuid getgid getpid getppid gettimeofday getuid nanosleep sleep time
  usleep)
# Made by the linker for every shared object.
set(linker_made __bss_start _edata _end _init _fini)

execute_process(COMMAND ${NM} --dynamic --defined-only ${LIBRARY}
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

string(REGEX MATCHALL "[^\n ]+\n" names "${symbols}\n")
set(unprefixed "")
foreach(name IN LISTS names)
  string(STRIP "${name}" name)
  if(name MATCHES "^_Z" OR name MATCHES "^_?xpctest_")
    continue()
  endif()
  list(FIND linker_made "${name}" made)
  if(made EQUAL -1)
    list(APPEND unprefixed "${name}")
  endif()
endforeach()
list(SORT unprefixed)
list(REMOVE_DUPLICATES unprefixed)
set(expected ${interposed})
list(SORT expected)
if(NOT unprefixed STREQUAL expected)
  set(extra ${unprefixed})
  list(REMOVE_ITEM extra ${expected})
  set(missing ${expected})
  if(unprefixed)
    list(REMOVE_ITEM missing ${unprefixed})
  endif()
  message(FATAL_ERROR "${LIBRARY} must define, unprefixed, exactly the interposed libc "
                      "functions (${expected}).\nAlso defined: ${extra}\nMissing: ${missing}")
endif()
message(STATUS "${count} prefixed symbols, no unprefixed xpc_/dispatch_ symbol, and "
               "exactly the interposed libc functions: ${expected}")
