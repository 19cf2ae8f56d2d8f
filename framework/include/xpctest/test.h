// xpctest/test.h — the fixture: a fresh simulated world for every test.
//
//   class CalculatorTest : public xpctest::Test {};
//
//   TEST_F(CalculatorTest, AddsTwoNumbers) {
//     xpctest::Service calc = Serve("calc", calculator_handle_peer);
//     xpctest::Client client = Connect(calc);
//     EXPECT_THAT(client.SendSync(xpctest::Dict{{"op", "add"}, {"a", 2}, {"b", 3}}),
//                 xpctest::HasInt64("sum", 5));
//   }
//
// Each test gets its own world (processes, namespace, executor, clock, trace):
// two tests never see each other, under ctest -j or --gtest_shuffle. The
// executor is deterministic unless the run says otherwise (xpctest/options.h).
//
// The test fails, with the executor, the seed and the recent trace, when
// (each at the test's own line, see xpctest/call_site.h):
//   - the fakes report API misuse (XPC API Misuse, BUG IN CLIENT OF LIBDISPATCH);
//   - a wait can never complete (deadlock);
//   - a warning is reported that the test did not expect (ExpectWarning);
//   - at the end, a connection is still active or a request still unanswered;
//   - after the world ends, an XPC object made during the test is still alive
//     (checked when no process crashed, hung or parked a service main).
//
// A failed test also records, for --gtest_output=xml/json (CI reporters keep
// them): xpctest_executor, xpctest_seed, xpctest_replay (the command that
// replays it) and xpctest_trace (the last 30 trace entries).
//
// Clients can carry a label, shown in the trace, in failure reports and in
// the trace's diagram:
//   xpctest::Client vault = Connect(service, "vault-1");
#ifndef XPCTEST_TEST_H
#define XPCTEST_TEST_H

#include <gtest/gtest.h>
#include <xpctest/control.h>
#include <xpctest/diagnostics.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "xpctest/call_site.h"
#include "xpctest/client.h"
#include "xpctest/options.h"
#include "xpctest/service.h"

namespace xpctest {

class Test : public ::testing::Test {
 protected:
  Test();
  ~Test() override;
  void TearDown() override;

  control::World& world() { return *world_; }

  // Each call takes the caller's line (call_site.h); the Connect* calls take
  // an optional label, the client's name in the trace and in reports
  // (default: "client of <service>", in reports only).

  // A service in a new simulated process named `name` (see service.h).
  Service Serve(std::string name, PeerHandler on_peer, ServiceOptions options = {},
                CallSite site = CallSite::Here());
  // A client in the host process, connected to `service`'s endpoint.
  Client Connect(const Service& service, std::string label = {}, CallSite site = CallSite::Here());
  // A client in the host process, connected by Mach-service name.
  Client ConnectTo(const std::string& mach_service, std::string label = {},
                   CallSite site = CallSite::Here());
  // A client in the host process of the XPC service `name` (xpc_connection_create).
  Client ConnectToXpcService(const std::string& name, std::string label = {},
                             CallSite site = CallSite::Here());
  // A session client in the host process (S116), to a Mach service or to the
  // XPC service `name`. (The label names it in reports; the trace shows the
  // session's connection by service name.)
  Client ConnectSession(const std::string& mach_service, std::string label = {},
                        CallSite site = CallSite::Here());
  Client ConnectSessionToXpcService(const std::string& name, std::string label = {},
                                    CallSite site = CallSite::Here());
  // A client created by code running in `process`.
  Client ConnectFrom(const control::Process& process, const Service& service,
                     std::string label = {}, CallSite site = CallSite::Here());
  // A client created by code running in `process`, by Mach-service name.
  Client ConnectFrom(const control::Process& process, const std::string& mach_service,
                     std::string label = {}, CallSite site = CallSite::Here());

  void RunUntilIdle(CallSite site = CallSite::Here()) {
    internal::ScopedCallSite during(site);
    world_->RunUntilIdle();
  }
  bool RunUntil(const std::function<bool()>& done, CallSite site = CallSite::Here()) {
    internal::ScopedCallSite during(site);
    return world_->RunUntil(done, Options().WaitLimit(world_->options().executor));
  }
  void RunFor(std::chrono::nanoseconds duration, CallSite site = CallSite::Here()) {
    internal::ScopedCallSite during(site);
    world_->RunFor(duration);
  }

  // The test expects a warning whose headline contains `text` (it fails if
  // none comes). Warnings not expected fail the test.
  void ExpectWarning(std::string text);
  // Misuse reports are expected too: recorded, not failures. Read them with
  // Diagnostics().
  void ExpectMisuse(std::string text);
  std::vector<Diagnostic> Diagnostics() const;

 private:
  class Sink;
  std::unique_ptr<control::World> world_;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<ScopedDiagnosticSink> sink_installation_;
  int64_t live_objects_at_start_;
  uint64_t abandonments_at_start_;
};

}  // namespace xpctest

#endif  // XPCTEST_TEST_H
