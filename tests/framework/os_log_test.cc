// <os/log.h>: what a service logs lands in the world's trace, with its process.
#include <os/log.h>

#include "framework/os_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::AllOf;

// The "log" entries of the trace, as "[pid] text".
std::vector<std::string> Logs(control::World& world) {
  std::vector<std::string> lines;
  for (const TraceEntry& entry : world.Trace()) {
    if (entry.kind == TraceKind::kLog) lines.push_back(std::to_string(entry.pid) + " " + entry.text);
  }
  return lines;
}

class OsLogTest : public xpctest::Test {};

TEST_F(OsLogTest, AServicesLogLinesAreTracedWithItsPid) {
  control::Process app = world().Spawn("app");
  xpctest::Service report = Serve("report", os_services_report_peer);
  Client client = ConnectFrom(app, report);
  client.SendSync(Dict{{"op", "report"}});
  std::string pid = std::to_string(report.process().pid());
  EXPECT_THAT(Logs(world()),
              ::testing::ElementsAre(
                  pid + " error [com.example.os:report]: report for pid " +
                      std::to_string(app.pid()) +
                      ": ok=true why=[2: No such file or directory] secret=42",
                  pid + " default: default line"));
}

TEST_F(OsLogTest, TheHostLogsAsTheHost) {
  os_log_info(OS_LOG_DEFAULT, "%{public}s of %d", "one", 2);
  os_log_debug(os_log_create("com.example.test", "host"), "%{BOOL}d %5.2f %llx %zu %%", 0, 2.5,
               0xabcULL, static_cast<size_t>(7));
  std::string pid = std::to_string(world().host().pid());
  EXPECT_THAT(Logs(world()), ::testing::ElementsAre(
                                 pid + " info: one of 2",
                                 pid + " debug [com.example.test:host]: NO  2.50 abc 7 %"));
}

TEST_F(OsLogTest, EveryTypeIsEnabledButADisabledLogRecordsNothing) {
  EXPECT_TRUE(os_log_type_enabled(OS_LOG_DEFAULT, OS_LOG_TYPE_DEBUG));
  EXPECT_TRUE(os_log_type_enabled(os_log_create("a", "b"), OS_LOG_TYPE_INFO));
  EXPECT_FALSE(os_log_type_enabled(OS_LOG_DISABLED, OS_LOG_TYPE_FAULT));
  os_log_fault(OS_LOG_DISABLED, "never %d", 1);
  EXPECT_THAT(Logs(world()), ::testing::IsEmpty());
  EXPECT_EQ(os_log_create("com.example.same", "c"), os_log_create("com.example.same", "c"));
}

}  // namespace
}  // namespace xpctest::testing
