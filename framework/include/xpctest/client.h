// xpctest/client.h — a client connection that records what happens to it.
//
// Every event-handler call and every reply is recorded, in order, with the
// world's clock. Waiting never hangs: on the deterministic executor a wait runs
// the world until its condition holds or nothing can run; on threads it waits
// up to Options().timeout. A wait that fails fails the test with the trace.
//
//   xpctest::Client client = Connect(service);
//   Object reply = client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 3}});
//   EXPECT_THAT(reply, HasInt64("sum", 5));
//   service.Crash();
//   EXPECT_THAT(client.NextEvent(), IsInterrupted());
//
// A Client can also drive a session (S116–S125): incoming messages are
// recorded as messages, the cancel handler's rich error and failed sends as
// errors, and replies as replies.
//
//   xpctest::Client session = ConnectSession("com.example.files");
//   EXPECT_THAT(session.SendSync(Dict{{"op", "list"}}), HasKey("files"));
//   EXPECT_THAT(session.NextEvent(), IsRichError(HasSubstr("Session cancelled")));
//
// A Client cancels its connection or session when destroyed. Not copyable;
// movable. Its failures are reported at the test's lines (xpctest/call_site.h):
// a wait that fails at the wait, anything about the client itself where it
// was made.
#ifndef XPCTEST_CLIENT_H
#define XPCTEST_CLIENT_H

#include <gmock/gmock.h>
#include <xpc/xpc.h>
#include <xpctest/control.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "xpctest/call_site.h"
#include "xpctest/object.h"

namespace xpctest {

struct Event {
  enum class Kind { kMessage, kReply, kError };
  Kind kind;
  Object object;
  std::chrono::nanoseconds time;  // world clock when recorded
  // For replies: the request they answer, as sent.
  Object request;
};

inline xpc_object_t AsXpc(const Event& event) { return event.object.get(); }
const char* EventKindName(Event::Kind kind);
void PrintTo(const Event& event, std::ostream* os);

namespace internal {
struct ClientState;
}

// A reply that may not have come yet.
class PendingReply {
 public:
  bool ready() const;
  // Runs the world until the reply (or error) arrives; fails the test (at
  // the caller's line) and returns the empty object when it cannot.
  Object Wait(CallSite site = CallSite::Here());

 private:
  friend class Client;
  PendingReply(std::shared_ptr<internal::ClientState> state, size_t index)
      : state_(std::move(state)), index_(index) {}
  std::shared_ptr<internal::ClientState> state_;
  size_t index_;
};

class Client {
 public:
  // Takes over `connection` (+1, inactive): sets its handler and activates it.
  // `label` names the client in failure reports (control::LabelConnection
  // names it in the trace too); `site` is where the test made it.
  Client(control::World& world, xpc_connection_t connection, std::string label,
         CallSite site = CallSite::Here());
  // Takes over `session` (+1, made with XPC_SESSION_CREATE_INACTIVE): sets its
  // handlers and activates it. A failed activation is recorded by the cancel
  // handler (S119).
  Client(control::World& world, xpc_session_t session, std::string label,
         CallSite site = CallSite::Here());
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();

  // The connection, or null for a session client; and the other way round.
  xpc_connection_t connection() const;
  xpc_session_t session() const;
  const std::string& label() const;

  // Each call that may fail the test takes the caller's line (call_site.h).
  void Send(const Object& message, CallSite site = CallSite::Here());
  // Sends with a reply handler and waits for the reply or error.
  Object SendSync(const Object& message, CallSite site = CallSite::Here());
  PendingReply SendAsync(const Object& message, CallSite site = CallSite::Here());

  // Everything recorded so far.
  std::vector<Event> Events() const;
  // The next event-handler event (message or error) not yet returned by
  // NextEvent, waiting for it if needed. Fails the test when none comes.
  Event NextEvent(CallSite site = CallSite::Here());
  // Waits until some recorded event matches; false (and a test failure) if none.
  bool WaitFor(const ::testing::Matcher<const Event&>& matcher, CallSite site = CallSite::Here());

  // Cancels the connection (S68) or session (S124); the final INVALID or the
  // session's rich error is still recorded.
  void Cancel(CallSite site = CallSite::Here());

 private:
  bool Usable(CallSite site) const;
  // Cancels and releases the connection or session.
  void Close();
  std::shared_ptr<internal::ClientState> state_;
};

// Event matchers, usable with ElementsAre.
::testing::Matcher<const Event&> IsReply(::testing::Matcher<const Object&> inner);
::testing::Matcher<const Event&> IsMessage(::testing::Matcher<const Object&> inner);
// A reply to a request matching `request` (the request as it was sent),
// itself matching `reply`.
::testing::Matcher<const Event&> IsReplyTo(
    ::testing::Matcher<const Object&> request,
    ::testing::Matcher<const Object&> reply = ::testing::A<const Object&>());

namespace internal {

// The live Client whose connection or session handle appears in `text` (as
// "<connection: 0x...>" does in the runtime's reports): its label and the
// line that made it. False when none does.
bool FindClientNamedIn(const std::string& text, std::string* label, CallSite* made_at);

}  // namespace internal

}  // namespace xpctest

#endif  // XPCTEST_CLIENT_H
