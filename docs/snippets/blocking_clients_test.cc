// docs/blocking-clients.md: testing a client library that blocks. The test
// cannot act while the library's call blocks, so what must happen meanwhile
// (a crash, a lost message, a slow reply) is a fault rule set beforehand.
#include <xpctest/xpctest.h>

#include <dispatch/dispatch.h>

#include <chrono>

// --- the code under test: a vault client library, as many are ---

// Blocks in reply_sync until the vault answers; -1 when it cannot.
static int64_t vault_get(xpc_connection_t vault, const char* key) {
  xpc_object_t request = xpc_dictionary_create_empty();
  xpc_dictionary_set_string(request, "get", key);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(vault, request);
  int64_t value = xpc_get_type(reply) == XPC_TYPE_DICTIONARY
                      ? xpc_dictionary_get_int64(reply, "value")
                      : -1;
  xpc_release(reply);
  xpc_release(request);
  return value;
}

// Waits at most `seconds` on a semaphore for the answer; false on timeout.
static bool vault_get_within(xpc_connection_t vault, const char* key, int64_t seconds,
                             int64_t* value) {
  xpc_object_t request = xpc_dictionary_create_empty();
  xpc_dictionary_set_string(request, "get", key);
  dispatch_semaphore_t answered = dispatch_semaphore_create(0);
  __block int64_t got = -1;
  // The handler may run after a timeout (at the latest with INVALID when the
  // connection is cancelled, S69): it keeps the semaphore alive till then.
  dispatch_retain(answered);
  xpc_connection_send_message_with_reply(vault, request, NULL, ^(xpc_object_t reply) {
    if (xpc_get_type(reply) == XPC_TYPE_DICTIONARY) got = xpc_dictionary_get_int64(reply, "value");
    dispatch_semaphore_signal(answered);
    dispatch_release(answered);
  });
  xpc_release(request);
  long timed_out =
      dispatch_semaphore_wait(answered, dispatch_time(DISPATCH_TIME_NOW, seconds * NSEC_PER_SEC));
  dispatch_release(answered);
  *value = got;
  return timed_out == 0;
}

// The vault service: every key holds 42.
static void vault_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == NULL) return;
    xpc_dictionary_set_int64(reply, "value", 42);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

namespace {

using xpctest::Faults;
using xpctest::RepliesFrom;
using xpctest::RequestsTo;

class BlockingClients : public xpctest::Test {
 protected:
  bool deterministic() {
    return xpctest::Options().executor == xpctest::control::ExecutorKind::kDeterministic;
  }
  // A plain connection for the library, as the app would make it.
  xpc_connection_t VaultConnection() {
    xpc_connection_t vault = xpc_connection_create_mach_service("com.example.vault", NULL, 0);
    xpc_connection_set_event_handler(vault, ^(xpc_object_t event) {});
    xpc_connection_activate(vault);
    return vault;
  }
  void Close(xpc_connection_t vault) {
    xpc_connection_cancel(vault);
    xpc_release(vault);
  }
};

// The call blocks; the world runs on the test's stack until the reply comes.
TEST_F(BlockingClients, ABlockingCallRunsTheWorldUntilItsReplyComes) {
  xpctest::Service vault = Serve("vault", vault_handle_peer, {.mach_service = "com.example.vault"});
  xpc_connection_t connection = VaultConnection();
  EXPECT_EQ(vault_get(connection, "pin"), 42);
  Close(connection);
}

// "The service crashes while the library waits": the crash is a rule, so it
// happens at the request, inside the blocking call. S63: the reply is
// INTERRUPTED, which the library turns into -1.
TEST_F(BlockingClients, AServiceCrashDuringTheCallIsAFaultRule) {
  xpctest::Service vault = Serve("vault", vault_handle_peer, {.mach_service = "com.example.vault"});
  Faults(world()).On(RequestsTo("com.example.vault")).Times(1).CrashService();
  xpc_connection_t connection = VaultConnection();
  EXPECT_EQ(vault_get(connection, "pin"), -1);
  EXPECT_EQ(vault.process().state(), "crashed");
  Close(connection);
}

// The timeout path: the request is lost, so the wait can only end at its
// deadline. On the deterministic executor the world runs to that deadline
// (5 virtual seconds, every timer before it firing) in microseconds.
TEST_F(BlockingClients, ATimeoutIsTestedByDroppingTheRequest) {
  if (!deterministic()) GTEST_SKIP() << "on real threads this waits 5 real seconds";
  xpctest::Service vault = Serve("vault", vault_handle_peer, {.mach_service = "com.example.vault"});
  Faults(world()).On(RequestsTo("com.example.vault")).Drop();
  xpc_connection_t connection = VaultConnection();
  int64_t value = 0;
  EXPECT_FALSE(vault_get_within(connection, "pin", 5, &value));
  EXPECT_GE(world().Now(), std::chrono::seconds(5));
  Close(connection);
}

// A slow reply inside the deadline still arrives: 3 virtual seconds of 5.
TEST_F(BlockingClients, ASlowReplyWithinTheDeadlineArrives) {
  if (!deterministic()) GTEST_SKIP() << "on real threads this waits 3 real seconds";
  xpctest::Service vault = Serve("vault", vault_handle_peer, {.mach_service = "com.example.vault"});
  Faults(world()).On(RepliesFrom("com.example.vault")).Delay(std::chrono::seconds(3));
  xpc_connection_t connection = VaultConnection();
  int64_t value = 0;
  EXPECT_TRUE(vault_get_within(connection, "pin", 5, &value));
  EXPECT_EQ(value, 42);
  Close(connection);
}

}  // namespace
