// Services built as modules get fresh globals per process: a relaunch after a
// crash starts from zero, as on macOS, and two processes share nothing. A
// service linked into the test program shares the program's globals instead
// (the documented contract of RegisterService).
#include "xpctest/xpctest.h"

extern "C" int counter_service_main(int argc, char** argv);

namespace xpctest::testing {
namespace {

int64_t Count(Client& client) {
  return xpc_dictionary_get_int64(client.SendSync(Dict{{"op", "count"}}).get(), "count");
}

class ServiceModuleTest : public xpctest::Test {};

TEST_F(ServiceModuleTest, AModuleServiceRestartsFromZeroAfterACrash) {
  world().RegisterServiceModule("com.example.counter", COUNTER_SERVICE_MODULE);
  Client client = ConnectTo("com.example.counter");
  EXPECT_EQ(Count(client), 1);
  EXPECT_EQ(Count(client), 2);
  world().ServiceProcess("com.example.counter").Crash();
  EXPECT_THAT(client.NextEvent(), IsInterrupted()) << "S62";
  EXPECT_EQ(Count(client), 1) << "the relaunched process starts from zero";
  EXPECT_EQ(world().ServiceLaunches("com.example.counter"), 2);
}

TEST_F(ServiceModuleTest, TwoProcessesOfAModuleDoNotShareItsGlobals) {
  world().RegisterServiceModule("com.example.counter.a", COUNTER_SERVICE_MODULE);
  world().RegisterServiceModule("com.example.counter.b", COUNTER_SERVICE_MODULE);
  Client a = ConnectTo("com.example.counter.a");
  Client b = ConnectTo("com.example.counter.b");
  EXPECT_EQ(Count(a), 1);
  EXPECT_EQ(Count(a), 2);
  EXPECT_EQ(Count(b), 1);
  EXPECT_EQ(Count(a), 3);
}

TEST_F(ServiceModuleTest, AModuleServiceSeesItsOwnPid) {
  world().RegisterServiceModule("com.example.counter", COUNTER_SERVICE_MODULE);
  Client client = ConnectTo("com.example.counter");
  Object reply = client.SendSync(Dict{{"op", "count"}});
  EXPECT_THAT(reply, HasInt64("pid", world().ServiceProcess("com.example.counter").pid()));
}

// The contract for services linked into the program: one set of globals.
TEST_F(ServiceModuleTest, ALinkedServiceKeepsItsGlobalsAcrossARelaunch) {
  world().RegisterService("com.example.counter", counter_service_main);
  Client client = ConnectTo("com.example.counter");
  int64_t first = Count(client);
  world().ServiceProcess("com.example.counter").Crash();
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_EQ(Count(client), first + 1) << "the relaunch sees the old process's counter";
}

TEST_F(ServiceModuleTest, AModuleThatCannotBeLoadedCrashesItsProcessAtLaunch) {
  ExpectWarning("cannot be read");
  ExpectWarning("could not start");
  world().RegisterServiceModule("com.example.missing", "/nonexistent/missing_service.so");
  Client client = ConnectTo("com.example.missing");
  EXPECT_THAT(client.NextEvent(), IsInvalid()) << "nobody ever served the name";
  EXPECT_EQ(world().ServiceProcess("com.example.missing").state(), "crashed");
}

}  // namespace
}  // namespace xpctest::testing
