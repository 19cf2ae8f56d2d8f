// Objects as C++ values: builders, accessors, ownership.
#include <fcntl.h>
#include <unistd.h>

#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

TEST(Objects, DictBuildsEveryKindAndReadsItBack) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  unsigned char uuid_bytes[16] = {1, 2, 3};
  Object message = Dict{{"op", "add"},
                        {"a", 2},
                        {"ratio", 0.5},
                        {"ok", true},
                        {"big", Uint64(1ull << 63)},
                        {"blob", Data(std::string_view("\x01\x02", 2))},
                        {"list", Array{1, "two"}},
                        {"when", Date(1000)},
                        {"id", Uuid(uuid_bytes)},
                        {"fd", Fd(fds[0])},
                        {"nothing", Null()}};
  EXPECT_EQ(message["op"].AsString(), "add");
  EXPECT_EQ(message["a"].AsInt64(), 2);
  EXPECT_EQ(message["ratio"].AsDouble(), 0.5);
  EXPECT_TRUE(message["ok"].AsBool());
  EXPECT_EQ(message["big"].AsUint64(), 1ull << 63);
  EXPECT_EQ(message["blob"].AsData(), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(message["list"][1].AsString(), "two");
  EXPECT_EQ(message["list"].size(), 2u);
  EXPECT_EQ(message["when"].AsDate(), 1000);
  EXPECT_TRUE(message["id"].is(XPC_TYPE_UUID));
  EXPECT_TRUE(message["nothing"].is(XPC_TYPE_NULL));
  int dup = message["fd"].DupFd();
  EXPECT_GE(dup, 0);
  close(dup);
  close(fds[0]);
  close(fds[1]);
  EXPECT_EQ(message.size(), 11u);
}

TEST(Objects, ShmemHoldsItsBytesInASharedMapping) {
  Object shmem = Shmem("shared bytes");
  ASSERT_TRUE(shmem.is(XPC_TYPE_SHMEM));
  std::vector<uint8_t> bytes = shmem.AsShmemBytes();
  ASSERT_GE(bytes.size(), 12u) << "S43: the mapping is whole pages";
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 12), "shared bytes");
  Object not_shmem = Dict{{"op", "x"}};
  EXPECT_TRUE(not_shmem.AsShmemBytes().empty());
}

TEST(Objects, FileFdReadsItsContentsFromTheStart) {
  Object file = FileFd(std::string_view("con\0tents", 9));
  int fd = file.DupFd();
  ASSERT_GE(fd, 0);
  char buffer[16] = {};
  EXPECT_EQ(read(fd, buffer, sizeof buffer), 9);
  EXPECT_EQ(std::string(buffer, 9), std::string("con\0tents", 9));
  EXPECT_EQ(lseek(fd, 0, SEEK_END), 9) << "a regular file";
  close(fd);
}

TEST(Objects, PipeFdReadsItsContentsThenEndOfFile) {
  Object pipe = PipeFd("through a pipe");
  int fd = pipe.DupFd();
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0) << "an ordinary, blocking pipe";
  char buffer[32] = {};
  EXPECT_EQ(read(fd, buffer, sizeof buffer), 14);
  EXPECT_STREQ(buffer, "through a pipe");
  EXPECT_EQ(read(fd, buffer, sizeof buffer), 0) << "its writer is gone";
  close(fd);
}

class ObjectsInMessagesTest : public xpctest::Test {};

// The receiver gets the shmem and the endpoint it was sent (S50).
TEST_F(ObjectsInMessagesTest, ShmemAndEndpointBuildersTravelInAMessage) {
  Service echo = Serve("echo", [](xpc_connection_t peer) {
    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      xpc_dictionary_set_value(reply, "shm", xpc_dictionary_get_value(message, "shm"));
      xpc_type_t back = xpc_get_type(xpc_dictionary_get_value(message, "back"));
      xpc_dictionary_set_bool(reply, "has_endpoint", back == XPC_TYPE_ENDPOINT);
      xpc_connection_send_message(peer, reply);
      xpc_release(reply);
    });
    xpc_connection_activate(peer);
  });
  Client client = Connect(echo);
  Object reply = client.SendSync(
      Dict{{"shm", Shmem("across")}, {"back", Endpoint(echo.listener())}});
  std::vector<uint8_t> bytes = reply["shm"].AsShmemBytes();
  ASSERT_GE(bytes.size(), 6u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 6), "across");
  EXPECT_THAT(reply, HasBool("has_endpoint", true));
}

TEST(Objects, MissingKeysAndWrongTypesReadAsDefaults) {
  Object message = Dict{{"a", "not a number"}};
  EXPECT_EQ(message["a"].AsInt64(), 0);
  EXPECT_EQ(message["missing"].AsString(), "");
  EXPECT_FALSE(message["missing"]);
  EXPECT_EQ(message["missing"]["deeper"].type_name(), "none");
}

TEST(Objects, CopiesShareTheObjectAndMovesTransferIt) {
  Object a = Dict{{"k", 1}};
  Object b = a;
  EXPECT_EQ(a.get(), b.get());
  Object c = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_EQ(c.get(), b.get());
}

TEST(Objects, EqualityIsXpcEqual) {
  EXPECT_EQ(Object(Dict{{"k", 1}}), Object(Dict{{"k", 1}}));
  EXPECT_FALSE(Object(Dict{{"k", 1}}) == Object(Dict{{"k", Uint64(1)}})) << "S45: no coercion";
}

TEST(Objects, PrintLikeXpcCopyDescription) {
  Object message = Dict{{"n", 1}};
  EXPECT_EQ(::testing::PrintToString(message), message.Description());
  EXPECT_NE(message.Description().find("\"n\" => <int64"), std::string::npos);
}

}  // namespace
}  // namespace xpctest::testing
