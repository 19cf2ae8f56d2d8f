// docs/load-testing.md: a load tool in five lines. In your tool, the function
// below is `main`; here it has a name of its own, so that the tests after it
// can run it with flags, as a shell would.
#include <xpctest/xpctest.h>

#include <vector>

// The code under test: replies to {data} with {length}.
static void length_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == NULL) return;
    size_t length = 0;
    xpc_dictionary_get_data(message, "data", &length);
    xpc_dictionary_set_int64(reply, "length", (int64_t)length);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

int length_load_main(int argc, char** argv) {
  return xpctest::RunLoadMain(argc, argv, length_handle_peer, [](int client, int request) {
    return xpctest::Object(xpctest::Dict{{"data", xpctest::Data("some bytes")}});
  });
}

namespace {

// Runs the tool as `length_load <flags>`.
int RunTool(std::vector<const char*> flags) {
  std::vector<char*> argv = {const_cast<char*>("length_load")};
  for (const char* flag : flags) argv.push_back(const_cast<char*>(flag));
  return length_load_main(static_cast<int>(argv.size()), argv.data());
}

TEST(LoadTool, ReturnsZeroWhenEveryRequestSucceededOnEitherExecutor) {
  EXPECT_EQ(RunTool({"--clients=4", "--requests=50", "--in_flight=2", "--executor=threaded"}), 0);
  EXPECT_EQ(RunTool({"--clients=4", "--requests=50", "--in_flight=2", "--executor=deterministic",
                     "--seed=3"}),
            0);
}

TEST(LoadTool, ReturnsTwoForBadFlags) {
  EXPECT_EQ(RunTool({"--clients=0"}), 2);
  EXPECT_EQ(RunTool({"--executor=sometimes"}), 2);
}

}  // namespace
