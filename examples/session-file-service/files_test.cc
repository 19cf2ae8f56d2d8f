// The file service (xpc_listener + peer sessions) and its client library
// (xpc_session), tested as they would run on macOS 14: the service in its own
// process, clients over sessions that never reconnect.
#include <atomic>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "xpctest/xpctest.h"

extern "C" {
#include "files_client.h"
#include "files_service.h"
}

namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using xpctest::Array;
using xpctest::CanRetry;
using xpctest::Client;
using xpctest::Dict;
using xpctest::HasData;
using xpctest::HasEntry;
using xpctest::HasInt64;
using xpctest::HasKey;
using xpctest::HasString;
using xpctest::IsInterrupted;
using xpctest::IsMessage;
using xpctest::IsReplyTo;
using xpctest::IsRichError;
using xpctest::Object;
using xpctest::PendingReply;
using xpctest::XpcEq;
using xpctest::control::Process;
using xpctest::control::ScopedProcess;

// What the service's peer session says when its client let go (S116).
constexpr const char* kPeerWentAway = "Session cancelled: the remote connection went away";

std::vector<uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

Dict Write(const char* name, std::string_view bytes) {
  return Dict{{"op", "write"}, {"name", name}, {"data", xpctest::Data(bytes)}};
}
Dict Read(const char* name) { return Dict{{"op", "read"}, {"name", name}}; }

// The file service in simulated processes of its own.
class FilesFixture : public xpctest::Test {
 protected:
  // Starts the service in a new process named "files".
  Process Start(files_reply_style_t style = FILES_REPLY_WITH_CREATE_REPLY) {
    Process process = world().Spawn("files");
    files_service_t service;
    {
      ScopedProcess as(process);
      service = files_service_start_with_reply_style(style);
    }
    EXPECT_NE(service, nullptr) << "the service could not listen";
    if (service != nullptr) started_.emplace_back(process, service);
    return process;
  }

  void TearDown() override {
    for (auto& [process, service] : started_) {
      if (!process.alive()) continue;  // what a dead process held went with it
      ScopedProcess as(process);
      files_service_stop(service);
    }
    xpctest::Test::TearDown();
  }

  // What the service says about its sessions, asked over a session of its own.
  Object Status() {
    Client observer = ConnectSession(FILES_MACH_SERVICE);
    return observer.SendSync(Dict{{"op", "status"}});
  }

  std::vector<std::pair<Process, files_service_t>> started_;
};

class FilesServiceTest : public FilesFixture {
 protected:
  FilesServiceTest() : files_(Start()) {}
  Process files_;
};

// S125: the reply is made with xpc_dictionary_create_reply and sent on the
// peer session; it reaches the request's reply handler.
TEST_F(FilesServiceTest, ReadsBackWhatWasWritten) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  EXPECT_THAT(session.SendSync(Write("notes.txt", "hello")),
              AllOf(HasString("name", "notes.txt"), HasInt64("size", 5)));
  EXPECT_THAT(session.SendSync(Read("notes.txt")), HasData("data", Bytes("hello")));
}

TEST_F(FilesServiceTest, AWriteReplacesTheFile) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  session.SendSync(Write("notes.txt", "first draft"));
  session.SendSync(Write("notes.txt", "final"));
  EXPECT_THAT(session.SendSync(Read("notes.txt")), HasData("data", Bytes("final")));
}

TEST_F(FilesServiceTest, ListsEveryFileSortedByName) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  EXPECT_THAT(session.SendSync(Dict{{"op", "list"}}), HasEntry("files", XpcEq(Array())));
  for (const char* name : {"b.txt", "c.txt", "a.txt"}) session.SendSync(Write(name, name));
  EXPECT_THAT(session.SendSync(Dict{{"op", "list"}}),
              HasEntry("files", XpcEq(Array{"a.txt", "b.txt", "c.txt"})));
}

// One store per service process, whichever session wrote.
TEST_F(FilesServiceTest, EverySessionSeesTheSameFiles) {
  Client writer = ConnectSession(FILES_MACH_SERVICE);
  Client reader = ConnectSession(FILES_MACH_SERVICE);
  writer.SendSync(Write("shared", "from the writer"));
  EXPECT_THAT(reader.SendSync(Read("shared")), HasData("data", Bytes("from the writer")));
}

// S123: each asynchronous reply answers its own request, in whatever order
// the replies come.
TEST_F(FilesServiceTest, AsynchronousRepliesAnswerTheirOwnRequests) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  session.SendSync(Write("a", "alpha"));
  session.SendSync(Write("b", "beta"));
  PendingReply a = session.SendAsync(Read("a"));
  PendingReply b = session.SendAsync(Read("b"));
  EXPECT_THAT(b.Wait(), HasData("data", Bytes("beta")));
  EXPECT_THAT(a.Wait(), HasData("data", Bytes("alpha")));
  EXPECT_THAT(session.Events(), Contains(IsReplyTo(HasString("name", "a"),
                                                   HasData("data", Bytes("alpha")))));
  EXPECT_THAT(session.Events(), Contains(IsReplyTo(HasString("name", "b"),
                                                   HasData("data", Bytes("beta")))));
}

TEST_F(FilesServiceTest, AMissingFileIsAnsweredWithAnError) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  EXPECT_THAT(session.SendSync(Read("nothing")), HasString("error", "no such file \"nothing\""));
}

TEST_F(FilesServiceTest, BadRequestsAreAnsweredWithErrorsAndTheServiceCarriesOn) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  EXPECT_THAT(session.SendSync(Dict{{"name", "x"}}), HasString("error", "missing string \"op\""));
  EXPECT_THAT(session.SendSync(Dict{{"op", "delete"}}), HasString("error", "unknown op \"delete\""));
  EXPECT_THAT(session.SendSync(Dict{{"op", "read"}}), HasString("error", "missing string \"name\""));
  EXPECT_THAT(session.SendSync(Dict{{"op", "write"}, {"name", "x"}, {"data", "not data"}}),
              HasString("error", "missing data \"data\""));
  EXPECT_THAT(session.SendSync(Dict{{"op", "write"}, {"name", ""}, {"data", xpctest::Data("x")}}),
              HasString("error", "missing string \"name\""));
  EXPECT_THAT(session.SendSync(Dict{{"op", "list"}}), HasEntry("files", XpcEq(Array())));
  EXPECT_EQ(files_.state(), "running");
}

// S85: a message sent without a reply handler cannot be answered; the
// service ignores it, write included.
TEST_F(FilesServiceTest, AWriteSentWithoutAReplyHandlerIsIgnored) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  session.Send(Write("fire-and-forget", "lost"));
  RunUntilIdle();
  EXPECT_THAT(session.SendSync(Dict{{"op", "list"}}), HasEntry("files", XpcEq(Array())));
  EXPECT_THAT(session.Events(), ElementsAre(IsReplyTo(HasString("op", "list"))));
}

// S124: cancelling fails the replies still pending and runs the cancel
// handler once, with a rich error that cannot be retried; S116: the
// service's peer session is cancelled too, and hears that its client left.
TEST_F(FilesServiceTest, CancellingASessionFailsItsPendingRepliesAndEndsThePeer) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  session.SendSync(Write("a", "alpha"));  // S91: the service has its peer now
  EXPECT_THAT(Status(), HasInt64("sessions", 2));
  files_.Hang();
  PendingReply pending = session.SendAsync(Read("a"));
  session.Cancel();
  EXPECT_THAT(pending.Wait(), AllOf(IsRichError(HasSubstr("cancelled by this process")),
                                    Not(CanRetry())));
  EXPECT_THAT(session.NextEvent(), AllOf(IsRichError(HasSubstr("cancelled by this process")),
                                         Not(CanRetry())));
  files_.Resume();
  RunUntilIdle();
  Object status = Status();
  EXPECT_THAT(status, HasInt64("sessions", 1)) << "only the one asking";
  // Two ended: the first Status() session, and the cancelled one.
  EXPECT_THAT(status, HasEntry("ended", XpcEq(Array{kPeerWentAway, kPeerWentAway})));
}

// S116: the service's process dies and the session is cancelled — never
// interrupted — with a rich error saying a new session may succeed. It does
// not reach the service started next under the same name; a new session does.
TEST_F(FilesServiceTest, AServiceCrashCancelsTheSessionForGood) {
  Client session = ConnectSession(FILES_MACH_SERVICE);
  session.SendSync(Write("a", "alpha"));
  files_.Crash();
  EXPECT_THAT(session.NextEvent(),
              AllOf(IsRichError(StartsWith("Session cancelled: the remote connection went away")),
                    CanRetry()));
  EXPECT_THAT(session.Events(), Not(Contains(IsMessage(IsInterrupted()))));

  Start();
  // S120: sending with a reply handler on a cancelled session is a simulated
  // crash on macOS, a warning here; the reply handler still gets its error.
  ExpectWarning("sent on a cancelled session");
  EXPECT_THAT(session.SendSync(Read("a")), IsRichError(StartsWith("Session cancelled")));
  Client fresh = ConnectSession(FILES_MACH_SERVICE);
  EXPECT_THAT(fresh.SendSync(Read("a")), HasString("error", "no such file \"a\""))
      << "the files died with the first process";
}

// The mistake S85/S125 warn about: a reply made with xpc_dictionary_create
// instead of xpc_dictionary_create_reply is not a reply. The client gets it
// as an ordinary incoming message, its request is never answered (P2), and
// the framework names the mistake.
class FreshDictionaryRepliesTest : public FilesFixture {
 protected:
  FreshDictionaryRepliesTest() { Start(FILES_REPLY_WITH_FRESH_DICTIONARY); }
};

TEST_F(FreshDictionaryRepliesTest, AreDeliveredAsMessagesAndLeaveTheRequestUnanswered) {
  ExpectWarning("a fresh dictionary was sent instead — replies must be made with "
                "xpc_dictionary_create_reply");
  Client session = ConnectSession(FILES_MACH_SERVICE);
  PendingReply listed = session.SendAsync(Dict{{"op", "list"}});
  EXPECT_TRUE(session.WaitFor(IsMessage(HasKey("files"))));
  RunUntilIdle();
  EXPECT_FALSE(listed.ready()) << "P2: the request waits until the session ends";
}

// The client library, against the service in its own process.
class FilesClientTest : public FilesServiceTest {};

// What an asynchronous write's completion reported.
struct WriteOutcome {
  std::atomic<bool> done{false};
  files_status_t status{};
};

// What the client's on_ended handler was told, and how often.
struct SessionEnd {
  void Record(const char* why, bool retry) {
    std::lock_guard lock(mutex);
    reason = why;
    can_retry = retry;
    calls++;
  }
  std::mutex mutex;
  std::string reason;
  bool can_retry = false;
  std::atomic<int> calls{0};
};

// Reads `name` through the library: its bytes, or "error: <why>".
std::string ReadText(files_client_t files, const char* name) {
  void* data = nullptr;
  size_t length = 0;
  files_status_t status = files_read(files, name, &data, &length);
  if (!status.ok) return std::string("error: ") + status.error;
  std::string text(static_cast<const char*>(data), length);
  free(data);
  return text;
}

// S123: the write's completion runs with the service's answer; S122: the
// read waits for its reply.
TEST_F(FilesClientTest, WritesAsynchronouslyAndReadsSynchronously) {
  char why[FILES_ERROR_MAX] = "";
  files_client_t files = files_client_create(FILES_MACH_SERVICE, nullptr, why);
  ASSERT_NE(files, nullptr) << why;
  WriteOutcome written;
  WriteOutcome* out = &written;
  files_write(files, "notes.txt", "hello", 5, ^(files_status_t status) {
    out->status = status;
    out->done = true;
  });
  ASSERT_TRUE(RunUntil([&] { return written.done.load(); }));
  EXPECT_TRUE(written.status.ok) << written.status.error;
  EXPECT_EQ(ReadText(files, "notes.txt"), "hello");
  files_client_destroy(files);
}

// S121: messages on a session are delivered in order, so a list sent after
// three writes sees all three, without waiting for their replies.
TEST_F(FilesClientTest, AListSeesEveryWriteSentBeforeIt) {
  files_client_t files = files_client_create(FILES_MACH_SERVICE, nullptr, nullptr);
  ASSERT_NE(files, nullptr);
  for (const char* name : {"c", "a", "b"}) files_write(files, name, name, 1, nullptr);
  char** names = nullptr;
  size_t count = 0;
  files_status_t status = files_list(files, &names, &count);
  ASSERT_TRUE(status.ok) << status.error;
  std::vector<std::string> listed(names, names + count);
  files_free_names(names, count);
  EXPECT_THAT(listed, ElementsAre("a", "b", "c"));
  files_client_destroy(files);
}

TEST_F(FilesClientTest, AReadOfAMissingFileReportsTheServicesError) {
  files_client_t files = files_client_create(FILES_MACH_SERVICE, nullptr, nullptr);
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(ReadText(files, "nothing"), "error: no such file \"nothing\"");
  files_client_destroy(files);
}

// S124: destroying the client cancels its session: the write in flight
// completes with the cancellation, on_ended runs once, and the service's
// peer session ends (S116).
TEST_F(FilesClientTest, DestroyingTheClientFailsItsPendingWritesAndEndsThePeer) {
  SessionEnd end;
  SessionEnd* ended = &end;
  files_client_t files = files_client_create(
      FILES_MACH_SERVICE, ^(const char* reason, bool can_retry) { ended->Record(reason, can_retry); },
      nullptr);
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(ReadText(files, "a"), "error: no such file \"a\"");  // S91: the peer exists now
  files_.Hang();
  WriteOutcome written;
  WriteOutcome* out = &written;
  files_write(files, "late", "never", 5, ^(files_status_t status) {
    out->status = status;
    out->done = true;
  });
  files_client_destroy(files);
  ASSERT_TRUE(RunUntil([&] { return written.done.load() && end.calls.load() == 1; }));
  EXPECT_FALSE(written.status.ok);
  EXPECT_THAT(written.status.error, HasSubstr("cancelled by this process"));
  EXPECT_FALSE(written.status.can_retry);
  {
    std::lock_guard lock(end.mutex);
    EXPECT_THAT(end.reason, HasSubstr("cancelled by this process"));
    EXPECT_FALSE(end.can_retry);
  }
  files_.Resume();
  RunUntilIdle();
  EXPECT_THAT(Status(), AllOf(HasInt64("sessions", 1), HasEntry("ended", XpcEq(Array{kPeerWentAway}))));
  EXPECT_EQ(end.calls.load(), 1);
}

// S117, S119: activation fails at lookup; the client is not made, and says why.
TEST_F(FilesClientTest, AClientOfANameNobodyServesIsNotCreated) {
  SessionEnd end;
  SessionEnd* ended = &end;
  char why[FILES_ERROR_MAX] = "";
  files_client_t files = files_client_create(
      "com.example.nobody", ^(const char* reason, bool can_retry) { ended->Record(reason, can_retry); },
      why);
  EXPECT_EQ(files, nullptr);
  EXPECT_THAT(why, HasSubstr("failed at lookup"));
  RunUntilIdle();
  EXPECT_EQ(end.calls.load(), 0) << "on_ended is for sessions that were made";
}

// The daemon's unmodified main, launched by name on demand (the launchd
// stand-in): what a crash does to sessions, and what a new session finds.
class FilesDaemonTest : public xpctest::Test {
 protected:
  FilesDaemonTest() { world().RegisterService(FILES_MACH_SERVICE, files_service_main); }
};

// S116: the daemon crashes. The client's session is cancelled with a rich
// error that can be retried — no INTERRUPTED, no reconnection: later calls
// fail, and nothing relaunches the daemon. A new client's session does, and
// finds an empty store in the new process.
TEST_F(FilesDaemonTest, ACrashEndsTheSessionAndOnlyANewSessionReachesTheRelaunchedDaemon) {
  SessionEnd end;
  SessionEnd* ended = &end;
  files_client_t files = files_client_create(
      FILES_MACH_SERVICE, ^(const char* reason, bool can_retry) { ended->Record(reason, can_retry); },
      nullptr);
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(ReadText(files, "a"), "error: no such file \"a\"");
  EXPECT_EQ(world().ServiceLaunches(FILES_MACH_SERVICE), 1);
  Process first = world().ServiceProcess(FILES_MACH_SERVICE);
  first.Crash();
  ASSERT_TRUE(RunUntil([&] { return end.calls.load() == 1; }));
  {
    std::lock_guard lock(end.mutex);
    EXPECT_EQ(end.reason, kPeerWentAway);
    EXPECT_TRUE(end.can_retry);
  }
  EXPECT_THAT(ReadText(files, "a"), StartsWith("error: Session cancelled"));
  WriteOutcome written;
  WriteOutcome* out = &written;
  files_write(files, "a", "alpha", 5, ^(files_status_t status) {
    out->status = status;
    out->done = true;
  });
  ASSERT_TRUE(RunUntil([&] { return written.done.load(); }));
  EXPECT_STREQ(written.status.error, kPeerWentAway);
  EXPECT_EQ(world().ServiceLaunches(FILES_MACH_SERVICE), 1) << "S116: the old session relaunched nothing";

  files_client_t again = files_client_create(FILES_MACH_SERVICE, nullptr, nullptr);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(ReadText(again, "a"), "error: no such file \"a\"");
  EXPECT_EQ(world().ServiceLaunches(FILES_MACH_SERVICE), 2);
  EXPECT_NE(world().ServiceProcess(FILES_MACH_SERVICE).pid(), first.pid());
  EXPECT_EQ(end.calls.load(), 1);
  files_client_destroy(again);
  files_client_destroy(files);
}

// The daemon's main takes the buggy variant from its arguments.
class FreshDictionaryDaemonTest : public xpctest::Test {
 protected:
  FreshDictionaryDaemonTest() {
    world().RegisterService(FILES_MACH_SERVICE, files_service_main,
                            {"--reply-with-fresh-dictionary"});
  }
};

TEST_F(FreshDictionaryDaemonTest, RepliesWithMessagesThatAnswerNothing) {
  ExpectWarning("replies must be made with xpc_dictionary_create_reply");
  Client session = ConnectSession(FILES_MACH_SERVICE);
  PendingReply listed = session.SendAsync(Dict{{"op", "list"}});
  EXPECT_TRUE(session.WaitFor(IsMessage(HasEntry("files", XpcEq(Array())))));
  RunUntilIdle();
  EXPECT_FALSE(listed.ready());
}

}  // namespace
