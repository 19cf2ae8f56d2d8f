// The metadata daemon and its client library, tested as they would run on
// macOS: an unmodified main launched on demand by its Mach-service name,
// real file descriptors carried in messages, and a client that restores its
// state when the daemon is relaunched.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "xpctest/xpctest.h"

extern "C" {
#include "metadata_client.h"
#include "metadata_server.h"
}

namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using xpctest::Client;
using xpctest::Dict;
using xpctest::Faults;
using xpctest::FaultHandle;
using xpctest::HasData;
using xpctest::HasInt64;
using xpctest::HasString;
using xpctest::IsInterrupted;
using xpctest::PendingReply;
using xpctest::RequestsTo;

std::vector<uint8_t> Bytes(const std::string& text) { return {text.begin(), text.end()}; }

// Descriptors a test opens; all closed when it ends.
class Descriptors {
 public:
  ~Descriptors() {
    for (int fd : fds_) close(fd);
  }
  // A new temporary file holding `contents`, with permission bits `mode`.
  int File(const std::string& contents, mode_t mode = 0600) {
    std::string path = ::testing::TempDir() + "metadata-XXXXXX";
    int fd = mkstemp(path.data());
    EXPECT_GE(fd, 0) << "mkstemp " << path;
    unlink(path.c_str());
    EXPECT_EQ(write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
    EXPECT_EQ(fchmod(fd, mode), 0);
    return Keep(fd);
  }
  // A pipe: {read end, write end}.
  std::pair<int, int> Pipe() {
    int ends[2];
    EXPECT_EQ(pipe(ends), 0);
    return {Keep(ends[0]), Keep(ends[1])};
  }
  int Directory() { return Keep(open(::testing::TempDir().c_str(), O_RDONLY | O_DIRECTORY)); }

 private:
  int Keep(int fd) {
    fds_.push_back(fd);
    return fd;
  }
  std::vector<int> fds_;
};

class MetadataServerTest : public xpctest::Test {
 protected:
  // launchd's part: the daemon's main runs when a client first looks the
  // name up, and again after it died.
  MetadataServerTest() { world().RegisterService(METADATA_MACH_SERVICE, metadata_server_main); }

  xpctest::Object Stat(Client& client, int fd, int head = 0) {
    return client.SendSync(Dict{{"op", "stat"}, {"fd", xpctest::Fd(fd)}, {"head", head}});
  }

  Descriptors fds_;
};

TEST_F(MetadataServerTest, IsLaunchedWhenAClientFirstSendsToItsName) {
  int file = fds_.File("twelve bytes");
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 0);
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(Stat(client, file), HasInt64("size", 12));
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 1);
  EXPECT_EQ(world().ServiceProcess(METADATA_MACH_SERVICE).state(), "running")
      << "P11: parked in dispatch_main";
}

// S51: the descriptor arrives as an equivalent one, open on the same file.
TEST_F(MetadataServerTest, DescribesTheFileBehindTheDescriptorItIsSent) {
  int file = fds_.File("hello, metadata\n", 0640);
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(Stat(client, file, 5), AllOf(HasInt64("size", 16), HasString("type", "regular"),
                                           HasInt64("mode", 0640), HasData("head", Bytes("hello"))));
}

TEST_F(MetadataServerTest, ReadsAtMostMaxHeadBytes) {
  int file = fds_.File(std::string(METADATA_MAX_HEAD + 100, 'x'));
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  xpctest::Object reply = Stat(client, file, METADATA_MAX_HEAD * 2);
  EXPECT_EQ(reply["size"].AsInt64(), METADATA_MAX_HEAD + 100);
  EXPECT_EQ(reply["head"].AsData().size(), static_cast<size_t>(METADATA_MAX_HEAD));
}

// S40: the daemon's duplicate shares the file offset with ours.
TEST_F(MetadataServerTest, ReadsTheHeadWithoutMovingTheSharedOffset) {
  int file = fds_.File("0123456789");
  ASSERT_EQ(lseek(file, 3, SEEK_SET), 3);
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(Stat(client, file, 4), HasData("head", Bytes("0123")));
  EXPECT_EQ(lseek(file, 0, SEEK_CUR), 3);
}

TEST_F(MetadataServerTest, ReadsWhatIsWaitingInAPipe) {
  auto [read_end, write_end] = fds_.Pipe();
  ASSERT_EQ(write(write_end, "ping", 4), 4);
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(Stat(client, read_end, 16), AllOf(HasString("type", "fifo"),
                                                 HasData("head", Bytes("ping"))));
}

TEST_F(MetadataServerTest, AnswersAtOnceForAnEmptyPipe) {
  auto [read_end, write_end] = fds_.Pipe();
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(Stat(client, read_end, 16), AllOf(HasString("type", "fifo"),
                                                 HasData("head", IsEmpty())));
  (void)write_end;
}

TEST_F(MetadataServerTest, DescribesADirectory) {
  int directory = fds_.Directory();
  ASSERT_GE(directory, 0);
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(Stat(client, directory, 16),
              AllOf(HasString("type", "directory"), HasData("head", IsEmpty())));
}

TEST_F(MetadataServerTest, AStatWithoutAnFdIsAnsweredWithAnError) {
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(client.SendSync(Dict{{"op", "stat"}}), HasString("error", "missing fd \"fd\""));
}

TEST_F(MetadataServerTest, AnFdOfTheWrongTypeIsAnsweredWithAnError) {
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(client.SendSync(Dict{{"op", "stat"}, {"fd", "/etc/passwd"}}),
              HasString("error", "\"fd\" is a string, not an fd"));
  EXPECT_THAT(client.SendSync(Dict{{"op", "stat"}, {"fd", 0}}),
              HasString("error", "\"fd\" is a int64, not an fd"));
}

TEST_F(MetadataServerTest, AHeadOfTheWrongTypeOrSignIsAnsweredWithAnError) {
  int file = fds_.File("abc");
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(client.SendSync(Dict{{"op", "stat"}, {"fd", xpctest::Fd(file)}, {"head", "all"}}),
              HasString("error", "\"head\" is a string, not an int64"));
  EXPECT_THAT(client.SendSync(Dict{{"op", "stat"}, {"fd", xpctest::Fd(file)}, {"head", -1}}),
              HasString("error", "\"head\" must not be negative"));
}

TEST_F(MetadataServerTest, AMissingOrUnknownOpIsAnsweredWithAnError) {
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(client.SendSync(Dict{{"fd", 1}}), HasString("error", "missing string \"op\""));
  EXPECT_THAT(client.SendSync(Dict{{"op", "chmod"}}), HasString("error", "unknown op \"chmod\""));
}

TEST_F(MetadataServerTest, TheDaemonKeepsServingAfterBadRequests) {
  int file = fds_.File("still here");
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  client.SendSync(Dict{{"op", "stat"}});
  client.SendSync(Dict{{"op", "watch"}, {"fd", xpctest::Fd(file)}});
  client.SendSync(Dict{{"op", "unwatch"}, {"tag", "never watched"}});
  EXPECT_THAT(Stat(client, file), HasInt64("size", 10));
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 1);
  EXPECT_EQ(world().ServiceProcess(METADATA_MACH_SERVICE).state(), "running");
  EXPECT_THAT(client.Events(), ::testing::Each(xpctest::IsReply(::testing::_))) << "no errors";
}

TEST_F(MetadataServerTest, PollReportsTheCurrentSizeOfEveryWatchedFile) {
  int notes = fds_.File("abc");
  auto [read_end, write_end] = fds_.Pipe();
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(client.SendSync(Dict{{"op", "watch"}, {"tag", "notes"}, {"fd", xpctest::Fd(notes)}}),
              HasInt64("watching", 1));
  EXPECT_THAT(client.SendSync(Dict{{"op", "watch"}, {"tag", "pipe"}, {"fd", xpctest::Fd(read_end)}}),
              HasInt64("watching", 2));
  ASSERT_EQ(write(notes, "defg", 4), 4);
  xpctest::Object files = client.SendSync(Dict{{"op", "poll"}})["files"];
  EXPECT_THAT(files.Keys(), UnorderedElementsAre("notes", "pipe"));
  EXPECT_THAT(files["notes"], AllOf(HasInt64("size", 7), HasString("type", "regular")));
  EXPECT_THAT(files["pipe"], HasString("type", "fifo"));
  (void)write_end;
}

TEST_F(MetadataServerTest, UnwatchRemovesATagAndRefusesAnUnknownOne) {
  int notes = fds_.File("abc");
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  client.SendSync(Dict{{"op", "watch"}, {"tag", "notes"}, {"fd", xpctest::Fd(notes)}});
  EXPECT_THAT(client.SendSync(Dict{{"op", "unwatch"}, {"tag", "notes"}}), HasInt64("watching", 0));
  EXPECT_THAT(client.SendSync(Dict{{"op", "unwatch"}, {"tag", "notes"}}),
              HasString("error", "not watching \"notes\""));
  EXPECT_THAT(client.SendSync(Dict{{"op", "poll"}})["files"].Keys(), IsEmpty());
}

// S92: every client connection is its own peer, with its own watch list.
TEST_F(MetadataServerTest, EachClientConnectionHasItsOwnWatchList) {
  int notes = fds_.File("abc");
  Client first = ConnectTo(METADATA_MACH_SERVICE);
  Client second = ConnectTo(METADATA_MACH_SERVICE);
  first.SendSync(Dict{{"op", "watch"}, {"tag", "notes"}, {"fd", xpctest::Fd(notes)}});
  EXPECT_THAT(first.SendSync(Dict{{"op", "poll"}})["files"].Keys(), ElementsAre("notes"));
  EXPECT_THAT(second.SendSync(Dict{{"op", "poll"}})["files"].Keys(), IsEmpty());
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 1) << "one daemon serves both";
}

// S62: INTERRUPTED, then the next send relaunches the daemon in a new process.
TEST_F(MetadataServerTest, ACrashedDaemonIsRelaunchedWithANewPidOnTheNextSend) {
  int file = fds_.File("abc");
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  Stat(client, file);
  xpctest::control::Process first = world().ServiceProcess(METADATA_MACH_SERVICE);
  first.Crash();
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(Stat(client, file), HasInt64("size", 3));
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 2);
  EXPECT_NE(world().ServiceProcess(METADATA_MACH_SERVICE).pid(), first.pid());
  EXPECT_EQ(first.state(), "crashed");
}

// S62: the new process starts from nothing, which is why clients resend state.
TEST_F(MetadataServerTest, TheRelaunchedDaemonHasForgottenTheWatchList) {
  int notes = fds_.File("abc");
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  client.SendSync(Dict{{"op", "watch"}, {"tag", "notes"}, {"fd", xpctest::Fd(notes)}});
  world().ServiceProcess(METADATA_MACH_SERVICE).Crash();
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.SendSync(Dict{{"op", "poll"}})["files"].Keys(), IsEmpty());
}

// S63: the daemon dies at the second stat, which it never sees; its reply
// handler gets INTERRUPTED, and so does the connection (S62).
TEST_F(MetadataServerTest, ACrashAtARequestInterruptsItsReplyHandler) {
  int file = fds_.File("abc");
  FaultHandle crash =
      Faults(world()).On(RequestsTo(METADATA_MACH_SERVICE).Matching(HasString("op", "stat")))
          .Nth(2)
          .CrashService();
  Client client = ConnectTo(METADATA_MACH_SERVICE);
  EXPECT_THAT(Stat(client, file), HasInt64("size", 3));
  PendingReply lost = client.SendAsync(Dict{{"op", "stat"}, {"fd", xpctest::Fd(file)}});
  EXPECT_THAT(lost.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_EQ(crash.Applied(), 1);
  EXPECT_EQ(world().ServiceProcess(METADATA_MACH_SERVICE).state(), "crashed");
  EXPECT_THAT(Stat(client, file), HasInt64("size", 3)) << "the third stat relaunches it";
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 2);
}

// The client library, running in the test's (host) process.
class MetadataClientTest : public MetadataServerTest {
 protected:
  struct Destroy {
    void operator()(metadata_client_s* client) const { metadata_client_destroy(client); }
  };
  using ClientPtr = std::unique_ptr<metadata_client_s, Destroy>;

  ClientPtr Create() { return ClientPtr(metadata_client_create(METADATA_MACH_SERVICE)); }

  // What the daemon watches for `client`, as "tag=size" strings.
  std::vector<std::string> Polled(metadata_client_t client) {
    metadata_watch_t files[8];
    char error[128] = "";
    int count = metadata_client_poll(client, files, 8, error);
    EXPECT_GE(count, 0) << error;
    std::vector<std::string> polled;
    for (int i = 0; i < count && i < 8; i++) {
      polled.push_back(std::string(files[i].tag) + "=" + std::to_string(files[i].size));
    }
    return polled;
  }
};

TEST_F(MetadataClientTest, StatsAFileThroughTheDaemonItLaunchesByName) {
  int file = fds_.File("#!/bin/sh\necho hi\n", 0755);
  ClientPtr metadata = Create();
  metadata_t info = metadata_client_stat(metadata.get(), file, 9);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.size, 18);
  EXPECT_STREQ(info.type, "regular");
  EXPECT_EQ(info.mode, 0755);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(info.head), info.head_length), "#!/bin/sh");
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 1);
}

// S38: a closed descriptor cannot be boxed, so the request carries none.
TEST_F(MetadataClientTest, AClosedDescriptorGetsTheDaemonsError) {
  int file = fds_.File("abc");
  int closed = dup(file);
  close(closed);
  ClientPtr metadata = Create();
  metadata_t info = metadata_client_stat(metadata.get(), closed, 0);
  EXPECT_FALSE(info.ok);
  EXPECT_STREQ(info.error, "missing fd \"fd\"");
  char error[128] = "";
  EXPECT_FALSE(metadata_client_watch(metadata.get(), "gone", closed, error));
  EXPECT_STREQ(error, "not an open file descriptor");
}

TEST_F(MetadataClientTest, PollsTheFilesItWatches) {
  int notes = fds_.File("abc");
  int log = fds_.File("");
  ClientPtr metadata = Create();
  char error[128] = "";
  ASSERT_TRUE(metadata_client_watch(metadata.get(), "notes", notes, error)) << error;
  ASSERT_TRUE(metadata_client_watch(metadata.get(), "log", log, error)) << error;
  ASSERT_EQ(write(log, "12345", 5), 5);
  EXPECT_THAT(Polled(metadata.get()), UnorderedElementsAre("notes=3", "log=5"));
  ASSERT_TRUE(metadata_client_unwatch(metadata.get(), "notes", error)) << error;
  EXPECT_THAT(Polled(metadata.get()), ElementsAre("log=5"));
  EXPECT_EQ(metadata_client_resyncs(metadata.get()), 0);
}

// S62: the INTERRUPTED event is the client's signal to send its watch list
// again; sending it relaunches the daemon, which then knows every file.
TEST_F(MetadataClientTest, ResendsItsWatchListToTheRelaunchedDaemon) {
  int notes = fds_.File("abc");
  int log = fds_.File("");
  ClientPtr metadata = Create();
  char error[128] = "";
  ASSERT_TRUE(metadata_client_watch(metadata.get(), "notes", notes, error)) << error;
  ASSERT_TRUE(metadata_client_watch(metadata.get(), "log", log, error)) << error;
  xpctest::control::Process first = world().ServiceProcess(METADATA_MACH_SERVICE);
  first.Crash();
  ASSERT_TRUE(RunUntil([&] { return metadata_client_resyncs(metadata.get()) == 1; }));
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 2) << "the resync relaunched it";
  EXPECT_NE(world().ServiceProcess(METADATA_MACH_SERVICE).pid(), first.pid());
  ASSERT_EQ(write(log, "after the crash", 15), 15);
  EXPECT_THAT(Polled(metadata.get()), UnorderedElementsAre("notes=3", "log=15"));
}

TEST_F(MetadataClientTest, ResynchronizesAfterEveryCrash) {
  int notes = fds_.File("abc");
  ClientPtr metadata = Create();
  ASSERT_TRUE(metadata_client_watch(metadata.get(), "notes", notes, nullptr));
  for (int crash = 1; crash <= 3; crash++) {
    world().ServiceProcess(METADATA_MACH_SERVICE).Crash();
    ASSERT_TRUE(RunUntil([&] { return metadata_client_resyncs(metadata.get()) == crash; }))
        << "crash " << crash;
  }
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 4);
  EXPECT_THAT(Polled(metadata.get()), ElementsAre("notes=3"));
}

// A client with nothing to restore does not relaunch the daemon: only its
// next request does (S62).
TEST_F(MetadataClientTest, AClientWithoutWatchesLeavesTheDaemonDownUntilItsNextRequest) {
  int file = fds_.File("abc");
  ClientPtr metadata = Create();
  ASSERT_TRUE(metadata_client_stat(metadata.get(), file, 0).ok);
  world().ServiceProcess(METADATA_MACH_SERVICE).Crash();
  ASSERT_TRUE(RunUntil([&] { return metadata_client_resyncs(metadata.get()) == 1; }));
  RunUntilIdle();
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 1);
  EXPECT_TRUE(metadata_client_stat(metadata.get(), file, 0).ok);
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 2);
}

// S63: the daemon dies at the watch request itself. The request is lost, but
// the client recorded the watch before sending it, so the resync restores it.
TEST_F(MetadataClientTest, AWatchLostInACrashIsRestoredByTheResync) {
  int notes = fds_.File("abc");
  int log = fds_.File("12345");
  FaultHandle crash =
      Faults(world()).On(RequestsTo(METADATA_MACH_SERVICE).Matching(HasString("tag", "log")))
          .Nth(1)
          .CrashService();
  ClientPtr metadata = Create();
  char error[128] = "";
  ASSERT_TRUE(metadata_client_watch(metadata.get(), "notes", notes, error)) << error;
  EXPECT_TRUE(metadata_client_watch(metadata.get(), "log", log, error)) << error;
  EXPECT_EQ(crash.Applied(), 1);
  ASSERT_TRUE(RunUntil([&] { return metadata_client_resyncs(metadata.get()) == 1; }));
  EXPECT_THAT(Polled(metadata.get()), UnorderedElementsAre("notes=3", "log=5"));
  EXPECT_EQ(world().ServiceLaunches(METADATA_MACH_SERVICE), 2);
}

// S63: a stat in flight at the crash is not resent; the caller sees why.
TEST_F(MetadataClientTest, AStatInFlightAtACrashFailsWithConnectionInterrupted) {
  int file = fds_.File("abc");
  Faults(world()).On(RequestsTo(METADATA_MACH_SERVICE).Matching(HasString("op", "stat")))
      .Nth(1)
      .CrashService();
  ClientPtr metadata = Create();
  metadata_t info = metadata_client_stat(metadata.get(), file, 0);
  EXPECT_FALSE(info.ok);
  EXPECT_STREQ(info.error, "Connection interrupted");
  EXPECT_TRUE(metadata_client_stat(metadata.get(), file, 0).ok) << "the next one relaunches it";
}

}  // namespace
