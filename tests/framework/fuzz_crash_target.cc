// A fuzz target whose service crashes on {"boom": true}, its one seed: run
// only through check_fuzz_crash.cmake, which requires the crash report to
// come with the input printed as test code.
#include <xpctest/fuzz.h>

namespace {

void CrashOnBoom(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    if (xpc_dictionary_get_bool(message, "boom")) {
      volatile int* nowhere = nullptr;
      *nowhere = 1;
    }
  });
  xpc_connection_activate(peer);
}

}  // namespace

XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Serve(CrashOnBoom, {
    .seeds = {xpctest::Dict{{"boom", true}}},
}))
