// A fuzz target whose service raises SIGALRM, libFuzzer's timeout alarm, from
// inside its handler: run by FuzzTarget.TheTimeoutAlarmReadsTheRealClock,
// which requires no timeout report. Without real_os::ScopedRealOs around
// libFuzzer's handler, the alarm read the service's virtual clock and every
// tick that landed in simulated code reported a timeout.
#include <signal.h>

#include <xpctest/fuzz.h>

namespace {

void RaiseAlarm(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    raise(SIGALRM);
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

}  // namespace

XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Serve(RaiseAlarm, {
    .seeds = {xpctest::Dict{{"tick", true}}},
}))
