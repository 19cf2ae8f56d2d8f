// Helpers for session, listener and peer-requirement tests: processes with a
// code-signing identity, an echoing xpc_listener, and client sessions whose
// messages and cancellation are recorded in the fixture's EventLog.
#ifndef XPCTEST_TESTS_CONFORMANCE_SESSION_FIXTURE_H
#define XPCTEST_TESTS_CONFORMANCE_SESSION_FIXTURE_H

#include <xpc/xpc.h>

#include <string>
#include <vector>

#include "conformance/connection_fixture.h"
#include "runtime/identity.h"

namespace xpctest::testing {

class SessionTest : public ConnectionTest {
 protected:
  ~SessionTest() override;
  // Fails the test on any misuse or warning report it did not clear.
  void TearDown() override;

  // A process signed by `team` (empty: ad-hoc) with `identifier`.
  fakes::runtime::Process& SpawnSigned(const std::string& name, const std::string& team,
                                       const std::string& identifier = "com.example.app");
  // In `process`: an xpc_listener for `name` whose peer sessions record
  // messages as "peer" and answer requests with {reply: <op>}. When
  // `requirement` is set it is the listener's code-signing requirement.
  xpc_listener_t StartSessionListener(fakes::runtime::Process& process, const char* name,
                                      const char* requirement = nullptr);
  // In the current process: an active session to `name` recording messages
  // as "session" and its cancel error as "cancel". NULL, with `*error`, when
  // it cannot be made.
  xpc_session_t OpenSession(const char* name, xpc_rich_error_t* error = nullptr,
                            const char* requirement = nullptr);
  // Peer sessions the listener accepted (borrowed; retained by the fixture).
  std::vector<xpc_session_t> peer_sessions() const;

 private:
  mutable std::mutex session_mutex_;
  std::vector<xpc_session_t> sessions_;
  std::vector<xpc_listener_t> listeners_;
  std::vector<xpc_session_t> peer_sessions_;
};

// Releases `object` unless it is NULL (sends return NULL on success).
void ReleaseIfAny(void* object);

// The rich error's description ("" for NULL).
std::string DescriptionOf(xpc_rich_error_t error);

}  // namespace xpctest::testing

#endif  // XPCTEST_TESTS_CONFORMANCE_SESSION_FIXTURE_H
