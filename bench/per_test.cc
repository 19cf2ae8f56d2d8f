#include "per_test.h"

#include <xpc/xpc.h>
#include <xpctest/diagnostics.h>
#include <xpctest/test.h>

#include <memory>

namespace xpctest::bench {

namespace {

// The fixture's sink keeps every report; so does this one.
class KeepingSink : public DiagnosticSink {
 public:
  void OnDiagnostic(const Diagnostic& report) override { reports_.push_back(report); }
  bool empty() const { return reports_.empty(); }

 private:
  std::vector<Diagnostic> reports_;
};

// The echo peer of every B7 service: replies with the request's "id".
void EchoPeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    xpc_dictionary_set_int64(reply, "id", xpc_dictionary_get_int64(message, "id"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

}  // namespace

bool RunOneTest(control::ExecutorKind executor) {
  int64_t live_at_start = control::World::LiveObjects();
  bool echoed = false;
  {
    // xpctest::Test's constructor.
    auto world = std::make_unique<control::World>(control::WorldOptions{executor, 0, false});
    KeepingSink sink;
    auto installation = std::make_unique<ScopedDiagnosticSink>(&sink);
    {
      // The test body.
      Service service(*world, "echo", EchoPeer);
      Object endpoint = service.endpoint();
      Client client(*world,
                    xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(endpoint.get())),
                    "client of echo");
      Object reply = client.SendSync(Dict{{"id", int64_t{7}}});
      echoed = xpc_get_type(reply.get()) == XPC_TYPE_DICTIONARY &&
               xpc_dictionary_get_int64(reply.get(), "id") == 7;
    }
    // Test::TearDown, then ~Test.
    world->RunUntilIdle();
    echoed = echoed && world->Unfinished().empty() && sink.empty();
    installation.reset();
    world.reset();
  }
  return echoed && control::World::LiveObjects() == live_at_start;
}

}  // namespace xpctest::bench
