// Sending, copying, FIFO, barriers and replies (S48–S51, S80–S88, P2).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <vector>

#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ConnectionMessages : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionMessages);

// S48/P6: only dictionaries may be sent.
TEST_P(ConnectionMessages, S48SendingANonDictionaryIsMisuse) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  xpc_object_t number = xpc_int64_create(5);
  xpc_connection_send_message(client, number);
  xpc_release(number);
  EXPECT_THAT(misuse_.Headlines(), ElementsAre("XPC API Misuse: Messages must be dictionaries."));
  RunUntilIdle();
  EXPECT_EQ(log_.CountFor("peer"), 0u);
}

// S49: the receiver gets a private copy; changing the sender's dictionary
// after the send changes nothing.
TEST_P(ConnectionMessages, S49MessagesAreCopiedOnSend) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  xpc_object_t message = Message("original");
  xpc_connection_send_message(client, message);
  xpc_dictionary_set_string(message, "op", "changed");
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_object_t received = log_.For("peer").at(0);
  EXPECT_NE(received, message);
  EXPECT_EQ(OpOf(received), "original");
  xpc_release(message);
}

// S49: the receiver never sees an object of the sender's. Every value
// arrives as a distinct object, equal to the original where equality is by
// value (S41: not fds and shmem); only the bool and null singletons are the
// same object, as they are in every process (S5, S6).
TEST_P(ConnectionMessages, S49ReceiverNeverSeesTheSendersObjects) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* region = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  const uuid_t uuid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  xpc_object_t message = Message("values");
  xpc_dictionary_set_string(message, "string", "text");
  xpc_dictionary_set_data(message, "data", "bytes", 5);
  xpc_dictionary_set_int64(message, "int64", -5);
  xpc_dictionary_set_uint64(message, "uint64", 5);
  xpc_dictionary_set_double(message, "double", 2.5);
  xpc_dictionary_set_date(message, "date", 1000);
  xpc_dictionary_set_uuid(message, "uuid", uuid);
  xpc_dictionary_set_fd(message, "fd", fd);
  xpc_object_t shmem = xpc_shmem_create(region, page);
  xpc_dictionary_set_value(message, "shmem", shmem);
  xpc_release(shmem);
  xpc_dictionary_set_connection(message, "endpoint", listener);
  xpc_object_t array = xpc_array_create_empty();
  xpc_array_set_int64(array, XPC_ARRAY_APPEND, 1);
  xpc_dictionary_set_value(message, "array", array);
  xpc_release(array);
  xpc_dictionary_set_bool(message, "bool", true);
  xpc_dictionary_set_value(message, "null", xpc_null_create());
  xpc_connection_send_message(client, message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_object_t received = log_.For("peer").at(0);
  for (const char* key : {"op", "string", "data", "int64", "uint64", "double", "date", "uuid",
                          "fd", "shmem", "endpoint", "array"}) {
    xpc_object_t sent = xpc_dictionary_get_value(message, key);
    xpc_object_t arrived = xpc_dictionary_get_value(received, key);
    ASSERT_NE(arrived, nullptr) << key;
    EXPECT_NE(arrived, sent) << key << ": the receiver holds the sender's object";
    EXPECT_EQ(xpc_get_type(arrived), xpc_get_type(sent)) << key;
    bool by_value = std::string(key) != "fd" && std::string(key) != "shmem";
    if (by_value) EXPECT_TRUE(xpc_equal(arrived, sent)) << key;
  }
  EXPECT_NE(xpc_array_get_value(xpc_dictionary_get_value(received, "array"), 0),
            xpc_array_get_value(xpc_dictionary_get_value(message, "array"), 0));
  EXPECT_EQ(xpc_dictionary_get_value(received, "bool"), XPC_BOOL_TRUE);
  EXPECT_EQ(xpc_dictionary_get_value(received, "null"), xpc_null_create());
  void* mapped = nullptr;
  size_t size = xpc_shmem_map(xpc_dictionary_get_value(received, "shmem"), &mapped);
  EXPECT_EQ(size, page) << "the receiver's shmem maps the same pages";
  if (mapped != nullptr) {
    static_cast<char*>(region)[0] = 'S';
    EXPECT_EQ(static_cast<char*>(mapped)[0], 'S');
    munmap(mapped, size);
  }
  xpc_release(message);
  munmap(region, page);
  close(fd);
}

// S50/P6: a raw connection may not travel; set_connection boxes it as an
// endpoint, from which the receiver can connect (S23, S34).
TEST_P(ConnectionMessages, S50RawConnectionsAreRefusedButEndpointsTravel) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("raw");
  xpc_dictionary_set_value(message, "conn", listener);
  xpc_connection_send_message(client, message);
  ASSERT_EQ(misuse_.Reports().size(), 1u);
  EXPECT_THAT(misuse_.Headlines().at(0), HasSubstr("Connections cannot be directly embedded"));
  xpc_dictionary_set_connection(message, "conn", listener);
  EXPECT_EQ(xpc_get_type(xpc_dictionary_get_value(message, "conn")), XPC_TYPE_ENDPOINT);
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_connection_t second = xpc_dictionary_create_connection(log_.For("peer").at(0), "conn");
  ASSERT_NE(second, nullptr);
  xpc_connection_set_event_handler(second, ^(xpc_object_t) {});
  xpc_connection_activate(second);
  xpc_object_t ping = Message("via-endpoint");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(second, ping);
  EXPECT_EQ(OpOf(reply), "via-endpoint");
  xpc_release(reply);
  xpc_release(ping);
  xpc_connection_cancel(second);
  RunUntilIdle();
  xpc_release(second);
}

// S51: a descriptor arrives as an equivalent, distinct descriptor.
TEST_P(ConnectionMessages, S51FileDescriptorsArriveDuplicated) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  xpc_object_t message = Message("fd");
  xpc_dictionary_set_fd(message, "fd", fds[1]);
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  int received = xpc_dictionary_dup_fd(log_.For("peer").at(0), "fd");
  ASSERT_GE(received, 0);
  EXPECT_NE(received, fds[1]);
  ASSERT_EQ(write(received, "x", 1), 1);
  char byte = 0;
  ASSERT_EQ(read(fds[0], &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
  close(received);
  close(fds[0]);
  close(fds[1]);
}

// S80: messages on one connection arrive in the order sent.
TEST_P(ConnectionMessages, S80MessagesArriveInFifoOrder) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  constexpr int kCount = 200;
  for (int i = 0; i < kCount; ++i) {
    xpc_object_t message = Message(std::to_string(i).c_str());
    xpc_connection_send_message(client, message);
    xpc_release(message);
  }
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == kCount; }));
  std::vector<xpc_object_t> received = log_.For("peer");
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(OpOf(received[i]), std::to_string(i));
}

// S81: a barrier runs after every message queued before it has been sent.
TEST_P(ConnectionMessages, S81BarrierRunsAfterEarlierMessagesLeft) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  Cell<int> sent_before_barrier;
  sent_before_barrier.set(-1);
  auto* sent_cell = &sent_before_barrier;
  xpc_object_t message = Message("before");
  xpc_connection_send_message(client, message);
  xpc_connection_send_message(client, message);
  EventLog* log = &log_;
  xpc_connection_send_barrier(client, ^{
    // Both messages have left; delivery to the peer may still be under way.
    sent_cell->set(2);
    log->Add("barrier", XPC_BOOL_TRUE);
  });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("barrier") == 1 && log_.CountFor("peer") == 2; }));
  EXPECT_EQ(sent_before_barrier.get(), 2);
}

// S82/S83: a reply goes to the reply handler on the reply queue, never to the
// event handler.
TEST_P(ConnectionMessages, S82ReplyGoesToReplyHandlerNotEventHandler) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  dispatch_queue_t reply_queue = dispatch_queue_create("test.replies", DISPATCH_QUEUE_SERIAL);
  static int key;
  dispatch_queue_set_specific(reply_queue, &key, &key, nullptr);
  Cell<xpc_object_t> reply;
  Cell<bool> on_reply_queue;
  auto* reply_cell = &reply;
  auto* queue_cell = &on_reply_queue;
  xpc_object_t message = Message("ask");
  xpc_connection_send_message_with_reply(client, message, reply_queue, ^(xpc_object_t r) {
    queue_cell->set(dispatch_get_specific(&key) == &key);
    reply_cell->set(xpc_retain(r));
  });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return reply.get() != nullptr; }));
  EXPECT_EQ(OpOf(reply.get()), "ask");
  EXPECT_TRUE(on_reply_queue.get());
  EXPECT_EQ(log_.CountFor("client"), 0u);
  xpc_release(reply.get());
  dispatch_release(reply_queue);
}

// S84/S20: reply_sync returns the reply with a reference for the caller.
TEST_P(ConnectionMessages, S84ReplySyncReturnsOwnedReply) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  xpc_object_t message = Message("sync");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(message);
  ASSERT_EQ(xpc_get_type(reply), XPC_TYPE_DICTIONARY);
  EXPECT_EQ(OpOf(reply), "sync");
  // S87: a reply knows the connection it arrived on.
  EXPECT_EQ(xpc_dictionary_get_remote_connection(reply), client);
  xpc_release(reply);
}

// S85: create_reply only for messages that want one, and only once; S87: the
// remote connection of a received message is the peer.
TEST_P(ConnectionMessages, S85CreateReplyOnlyOnceAndOnlyForRequests) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service"), false));
  xpc_object_t message = Message("plain");
  xpc_connection_send_message(client, message);
  EXPECT_EQ(xpc_dictionary_create_reply(message), nullptr) << "never received";
  Cell<xpc_object_t> reply;
  auto* reply_cell = &reply;
  xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t r) {
    reply_cell->set(xpc_retain(r));
  });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 2; }));
  xpc_object_t plain = log_.For("peer").at(0);
  xpc_object_t request = log_.For("peer").at(1);
  EXPECT_EQ(xpc_dictionary_get_remote_connection(request), peers().at(0));
  EXPECT_EQ(xpc_dictionary_create_reply(plain), nullptr);
  xpc_object_t first = xpc_dictionary_create_reply(request);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(xpc_dictionary_create_reply(request), nullptr);
  xpc_dictionary_set_string(first, "reply", "late");
  xpc_connection_send_message(peers().at(0), first);
  xpc_release(first);
  ASSERT_TRUE(RunUntil([&] { return reply.get() != nullptr; }));
  EXPECT_EQ(OpOf(reply.get()), "late");
  xpc_release(reply.get());
}

// S86: a reply carries its way back to its requester. Sent on another peer
// of the same service by mistake, it still reaches the requester's reply
// handler (as libxpc's reply port does), not the other peer's client, and no
// warning claims it was never sent.
TEST_P(ConnectionMessages, S86ReplySentOnAnotherPeerStillReachesItsRequester) {
  xpc_connection_t listener = nullptr;
  auto* peers = new std::vector<xpc_connection_t>;
  auto* peers_mutex = new std::mutex;
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    listener = xpc_connection_create(nullptr, nullptr);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
      auto peer = static_cast<xpc_connection_t>(object);
      {
        std::lock_guard lock(*peers_mutex);
        peers->push_back(peer);
      }
      xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
        if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
        xpc_object_t reply = xpc_dictionary_create_reply(message);
        if (reply == nullptr) return;
        xpc_dictionary_set_string(reply, "reply", xpc_dictionary_get_string(message, "op"));
        xpc_connection_t wrong;
        {
          std::lock_guard lock(*peers_mutex);
          wrong = peers->at(0) == peer ? peers->at(1) : peers->at(0);
        }
        xpc_connection_send_message(wrong, reply);  // the mistake
        xpc_release(reply);
      });
      xpc_connection_activate(peer);
    });
    xpc_connection_activate(listener);
  }
  xpc_connection_t asking = ConnectClient(listener);
  xpc_connection_t other = ConnectClient(listener);
  for (xpc_connection_t client : {asking, other}) {
    xpc_object_t hello = Message("hello");
    xpc_connection_send_message(client, hello);
    xpc_release(hello);
  }
  ASSERT_TRUE(RunUntil([&] {
    std::lock_guard lock(*peers_mutex);
    return peers->size() == 2;
  }));
  xpc_object_t question = Message("question");
  xpc_object_t answer = xpc_connection_send_message_with_reply_sync(asking, question);
  xpc_release(question);
  EXPECT_EQ(OpOf(answer), "question");
  xpc_release(answer);
  RunUntilIdle();
  EXPECT_EQ(log_.CountFor("client"), 0u) << "the other client received someone else's reply";
  EXPECT_TRUE(misuse_.Reports().empty()) << misuse_.Reports().at(0).ToString();
  xpc_connection_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
  delete peers;
  delete peers_mutex;
}

// P2: a request released without a reply while its requester waits is a warning
// that names the request and the likely mistake.
TEST_P(ConnectionMessages, P2RequestReleasedUnansweredWarns) {
  xpc_connection_t listener = nullptr;
  fakes::runtime::Process& service = Spawn("service");
  {
    fakes::runtime::ScopedProcess as(service);
    listener = xpc_connection_create(nullptr, nullptr);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
      xpc_connection_t peer = static_cast<xpc_connection_t>(object);
      xpc_connection_set_event_handler(peer, ^(xpc_object_t request) {
        // The mistake: a fresh dictionary instead of xpc_dictionary_create_reply.
        xpc_object_t wrong = xpc_dictionary_create_empty();
        xpc_connection_send_message(peer, wrong);
        xpc_release(wrong);
      });
      xpc_connection_activate(peer);
    });
    xpc_connection_activate(listener);
  }
  xpc_connection_t client = ConnectClient(listener);
  Cell<bool> answered;
  auto* answered_cell = &answered;
  xpc_object_t message = Message("needs-reply");
  xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t r) {
    if (xpc_get_type(r) == XPC_TYPE_DICTIONARY) answered_cell->set(true);
  });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return !misuse_.Reports().empty(); }));
  EXPECT_FALSE(answered.get()) << "P2: the reply stays pending while the peer lives";
  ASSERT_EQ(misuse_.Reports().size(), 1u);
  EXPECT_THAT(misuse_.Headlines().at(0), HasSubstr("released without a reply"));
  EXPECT_THAT(misuse_.Headlines().at(0), HasSubstr("xpc_dictionary_create_reply"));
  EXPECT_THAT(misuse_.Reports().at(0).object, HasSubstr("needs-reply"));
  xpc_connection_cancel(listener);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(listener);
}

}  // namespace
}  // namespace xpctest::testing
