// Unmodified service mains, launched on demand by name (P11, S62, S112).
#include <atomic>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

std::atomic<bool> g_code_after_dispatch_main_ran{false};

// A launchd-style Mach service, written as on macOS.
int AdderDaemonMain(int argc, char** argv) {
  ListenAsAdder("com.example.adderd");
  dispatch_main();
  g_code_after_dispatch_main_ran = true;  // P11: never reached
  return 0;
}

// A bundled XPC service, written as on macOS.
void AdderServicePeer(xpc_connection_t peer) { AdderHandlePeer(peer); }
int AdderXpcServiceMain(int argc, char** argv) {
  xpc_main(AdderServicePeer);
}

class ServiceMainTest : public xpctest::Test {};

TEST_F(ServiceMainTest, AMachServiceIsLaunchedWhenAClientFirstConnects) {
  world().RegisterService("com.example.adderd", AdderDaemonMain);
  EXPECT_EQ(world().ServiceLaunches("com.example.adderd"), 0);
  Client client = ConnectTo("com.example.adderd");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 20}, {"b", 22}}), HasInt64("sum", 42));
  EXPECT_EQ(world().ServiceLaunches("com.example.adderd"), 1);
  EXPECT_FALSE(g_code_after_dispatch_main_ran) << "P11: dispatch_main never returns";
  EXPECT_EQ(world().ServiceProcess("com.example.adderd").name(), "com.example.adderd");
}

TEST_F(ServiceMainTest, ACrashedServiceIsRelaunchedWithANewPidOnTheNextSend) {
  world().RegisterService("com.example.adderd", AdderDaemonMain);
  Client client = ConnectTo("com.example.adderd");
  client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 1}});
  control::Process first = world().ServiceProcess("com.example.adderd");
  first.Crash();
  EXPECT_THAT(client.NextEvent(), IsInterrupted()) << "S62";
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 2}}), HasInt64("sum", 4));
  control::Process second = world().ServiceProcess("com.example.adderd");
  EXPECT_EQ(world().ServiceLaunches("com.example.adderd"), 2);
  EXPECT_NE(second.pid(), first.pid()) << "S62: a new process";
}

TEST_F(ServiceMainTest, AnXpcServiceServesItsNameThroughXpcMain) {
  world().RegisterService("com.example.adder-xpc", AdderXpcServiceMain);
  Client client = ConnectToXpcService("com.example.adder-xpc");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 3}, {"b", 4}}), HasInt64("sum", 7));
}

TEST_F(ServiceMainTest, AServiceWhoseMainReturnsHasExited) {
  world().RegisterService("com.example.quitter", [](int, char**) { return 0; });
  Client client = ConnectTo("com.example.quitter");
  EXPECT_THAT(client.NextEvent(), IsInvalid()) << "S64: nobody serves the name";
  EXPECT_EQ(world().ServiceProcess("com.example.quitter").state(), "exited");
}

}  // namespace
}  // namespace xpctest::testing
