#include "xpctest/client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "xpctest/options.h"
#include "xpctest/printers.h"

namespace xpctest {

namespace internal {

struct ClientState {
  control::World* world;
  std::string label;
  CallSite made_at;  // the test's line that made the client
  xpc_connection_t connection = nullptr;
  xpc_session_t session = nullptr;
  mutable std::mutex mutex;
  std::vector<Event> events;
  // Replies by request: index into `replies`.
  std::vector<Object> replies;
  std::vector<Object> requests;
  size_t next_event = 0;  // NextEvent's position among handler events
  bool ended = false;     // the final INVALID, or the session's end, came

  // Chaos invariants (docs/fault-injection.md), checked in every run: nothing
  // reaches the handler after its final event.
  void RecordHandlerEvent(Event::Kind kind, xpc_object_t event, bool final) {
    bool late;
    {
      std::lock_guard lock(mutex);
      late = ended;
      ended = ended || final;
    }
    if (late) {
      FailAt(made_at, "xpctest invariant violated: " + label + " got an event after its final one: " +
                          Describe(event) + "\nRecent trace:\n" + world->TraceTail(20));
    }
    Record(kind, event);
  }

  void Record(Event::Kind kind, xpc_object_t object, Object request = Object()) {
    std::lock_guard lock(mutex);
    events.push_back(Event{kind, Object::Borrow(object), world->Now(), std::move(request)});
  }

  // The answer to request `index`: a reply, or an error (XPC or rich).
  void Answer(size_t index, xpc_object_t answer, bool is_error) {
    Object request;
    {
      std::lock_guard lock(mutex);
      request = requests.at(index);
    }
    Record(is_error ? Event::Kind::kError : Event::Kind::kReply, answer, request);
    bool twice;
    {
      std::lock_guard lock(mutex);
      twice = static_cast<bool>(replies.at(index));
      if (!twice) replies.at(index) = Object::Borrow(answer);
    }
    if (twice) {
      // Each request gets exactly one reply or one error.
      FailAt(made_at, "xpctest invariant violated: " + label + ": " + Describe(request.get()) +
                          " was answered twice, again with " + Describe(answer));
    }
  }

  // Runs the world until `done` or the timeout; on failure, fails the test at
  // `site` (the wait's line), naming `what` with the trace.
  bool Wait(const std::function<bool()>& done, const std::string& what, CallSite site) {
    ScopedCallSite during(site);
    if (world->RunUntil(done, Options().WaitLimit(world->options().executor))) return true;
    FailAt(site, "xpctest: " + label + ": " + what + " never happened (" +
                     (world->options().executor == control::ExecutorKind::kDeterministic
                          ? "nothing left to run"
                          : "timed out") +
                     ")\nRecent trace:\n" + world->TraceTail(20));
    return false;
  }

  // The connection or session as the runtime prints it ("0x55d0...").
  std::string HandleAddress() const {
    const void* handle = connection != nullptr ? static_cast<const void*>(connection)
                                               : static_cast<const void*>(session);
    char text[32];
    std::snprintf(text, sizeof text, "%p", handle);
    return text;
  }
};

namespace {

// Every live client, for reports that name a connection (FindClientNamedIn).
std::mutex g_live_mutex;
std::vector<std::weak_ptr<ClientState>> g_live;

void Register(const std::shared_ptr<ClientState>& state) {
  std::lock_guard lock(g_live_mutex);
  std::erase_if(g_live, [](const std::weak_ptr<ClientState>& live) { return live.expired(); });
  g_live.push_back(state);
}

}  // namespace

bool FindClientNamedIn(const std::string& text, std::string* label, CallSite* made_at) {
  std::lock_guard lock(g_live_mutex);
  for (const std::weak_ptr<ClientState>& live : g_live) {
    std::shared_ptr<ClientState> state = live.lock();
    if (state == nullptr || (state->connection == nullptr && state->session == nullptr)) continue;
    if (text.find(state->HandleAddress() + ">") == std::string::npos) continue;
    *label = state->label;
    *made_at = state->made_at;
    return true;
  }
  return false;
}

}  // namespace internal

using internal::ClientState;

const char* EventKindName(Event::Kind kind) {
  switch (kind) {
    case Event::Kind::kMessage: return "message";
    case Event::Kind::kReply: return "reply";
    case Event::Kind::kError: return "error";
  }
  return "?";
}

void PrintTo(const Event& event, std::ostream* os) {
  *os << EventKindName(event.kind) << " at +" << event.time.count() / 1000 << "us: "
      << Describe(event.object.get());
}

bool PendingReply::ready() const {
  std::lock_guard lock(state_->mutex);
  return static_cast<bool>(state_->replies.at(index_));
}

Object PendingReply::Wait(CallSite site) {
  if (!state_->Wait([this] { return ready(); },
                    "the reply to " + Describe(state_->requests.at(index_).get()), site)) {
    return Object();
  }
  std::lock_guard lock(state_->mutex);
  return state_->replies.at(index_);
}

Client::Client(control::World& world, xpc_connection_t connection, std::string label,
               CallSite site)
    : state_(std::make_shared<ClientState>()) {
  internal::ScopedCallSite during(site);
  state_->world = &world;
  state_->label = std::move(label);
  state_->made_at = site;
  state_->connection = connection;
  internal::Register(state_);
  // The block keeps the state alive as long as the connection keeps the handler.
  std::shared_ptr<ClientState> state = state_;
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
    bool error = xpc_get_type(event) == XPC_TYPE_ERROR;
    // S68, S115c: INVALID or PEER_CODE_SIGNING_REQUIREMENT is the last event.
    bool final = event == XPC_ERROR_CONNECTION_INVALID ||
                 event == XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT;
    state->RecordHandlerEvent(error ? Event::Kind::kError : Event::Kind::kMessage, event, final);
  });
  xpc_connection_activate(connection);
}

Client::Client(control::World& world, xpc_session_t session, std::string label, CallSite site)
    : state_(std::make_shared<ClientState>()) {
  internal::ScopedCallSite during(site);
  state_->world = &world;
  state_->label = std::move(label);
  state_->made_at = site;
  state_->session = session;
  internal::Register(state_);
  if (session == nullptr) return;  // nothing to drive; sends fail the test (Usable)
  std::shared_ptr<ClientState> state = state_;
  xpc_session_set_incoming_message_handler(session, ^(xpc_object_t message) {
    state->RecordHandlerEvent(Event::Kind::kMessage, message, false);
  });
  xpc_session_set_cancel_handler(session, ^(xpc_rich_error_t error) {
    state->RecordHandlerEvent(Event::Kind::kError, error, true);  // S124: once
  });
  xpc_rich_error_t error = nullptr;
  if (!xpc_session_activate(session, &error)) {
    // S119: the session is cancelled, and its cancel handler records why.
    xpc_release(error);
  }
}

Client::Client(Client&&) noexcept = default;

Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    Close();  // the connection replaced is cancelled, not leaked
    state_ = std::move(other.state_);
  }
  return *this;
}

Client::~Client() { Close(); }

void Client::Close() {
  if (state_ == nullptr) return;
  if (state_->connection != nullptr) {
    xpc_connection_cancel(state_->connection);
    xpc_release(state_->connection);
    state_->connection = nullptr;
  }
  if (state_->session != nullptr) {
    xpc_session_cancel(state_->session);
    xpc_release(state_->session);
    state_->session = nullptr;
  }
}

xpc_connection_t Client::connection() const { return state_->connection; }
xpc_session_t Client::session() const { return state_->session; }
const std::string& Client::label() const { return state_->label; }

// A client given no connection or session has nothing to send on.
bool Client::Usable(CallSite site) const {
  if (state_->connection != nullptr || state_->session != nullptr) return true;
  internal::FailAt(site, "xpctest: " + state_->label + " has no connection or session");
  return false;
}

void Client::Send(const Object& message, CallSite site) {
  internal::ScopedCallSite during(site);
  if (!Usable(site)) return;
  if (state_->session == nullptr) {
    xpc_connection_send_message(state_->connection, message.get());
    return;
  }
  // S121: a session says at once when a send fails.
  if (xpc_rich_error_t error = xpc_session_send_message(state_->session, message.get())) {
    state_->Record(Event::Kind::kError, error, message);
    xpc_release(error);
  }
}

PendingReply Client::SendAsync(const Object& message, CallSite site) {
  internal::ScopedCallSite during(site);
  size_t index;
  {
    std::lock_guard lock(state_->mutex);
    index = state_->replies.size();
    state_->replies.emplace_back();
    state_->requests.push_back(message);
  }
  if (!Usable(site)) return PendingReply(state_, index);
  std::shared_ptr<ClientState> state = state_;
  if (state_->session != nullptr) {
    // S123: exactly one of the reply and the rich error.
    xpc_session_send_message_with_reply_async(
        state_->session, message.get(), ^(xpc_object_t reply, xpc_rich_error_t error) {
          state->Answer(index, reply != nullptr ? reply : error, reply == nullptr);
        });
  } else {
    xpc_connection_send_message_with_reply(
        state_->connection, message.get(), nullptr, ^(xpc_object_t reply) {
          state->Answer(index, reply, xpc_get_type(reply) == XPC_TYPE_ERROR);
        });
  }
  return PendingReply(state_, index);
}

Object Client::SendSync(const Object& message, CallSite site) {
  internal::ScopedCallSite during(site);
  return SendAsync(message, site).Wait(site);
}

std::vector<Event> Client::Events() const {
  std::lock_guard lock(state_->mutex);
  return state_->events;
}

Event Client::NextEvent(CallSite site) {
  // Handler events only: replies belong to their PendingReply.
  auto find = [this](size_t* found) {
    std::lock_guard lock(state_->mutex);
    size_t seen = 0;
    for (size_t i = 0; i < state_->events.size(); ++i) {
      if (state_->events[i].kind == Event::Kind::kReply) continue;
      if (state_->events[i].request) continue;  // an error answering a request
      if (seen++ == state_->next_event) {
        *found = i;
        return true;
      }
    }
    return false;
  };
  size_t index = 0;
  if (!state_->Wait([&] { return find(&index); }, "the next event", site)) {
    return Event{Event::Kind::kError, Object(), state_->world->Now(), Object()};
  }
  std::lock_guard lock(state_->mutex);
  ++state_->next_event;
  return state_->events[index];
}

bool Client::WaitFor(const ::testing::Matcher<const Event&>& matcher, CallSite site) {
  std::stringstream description;
  matcher.DescribeTo(&description);
  return state_->Wait(
      [&] {
        std::lock_guard lock(state_->mutex);
        for (const Event& event : state_->events) {
          if (matcher.Matches(event)) return true;
        }
        return false;
      },
      "an event that " + description.str(), site);
}

void Client::Cancel(CallSite site) {
  internal::ScopedCallSite during(site);
  if (!Usable(site)) return;
  if (state_->session != nullptr) {
    xpc_session_cancel(state_->session);
  } else {
    xpc_connection_cancel(state_->connection);
  }
}

namespace {

class EventMatcher : public ::testing::MatcherInterface<const Event&> {
 public:
  EventMatcher(Event::Kind kind, ::testing::Matcher<const Object&> inner)
      : kind_(kind), inner_(std::move(inner)) {}
  bool MatchAndExplain(const Event& event, ::testing::MatchResultListener* listener) const override {
    if (event.kind != kind_) {
      *listener << "which is a " << EventKindName(event.kind);
      return false;
    }
    return inner_.MatchAndExplain(event.object, listener);
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is a " << EventKindName(kind_) << " that ";
    inner_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not a " << EventKindName(kind_) << " that ";
    inner_.DescribeTo(os);
  }

 private:
  Event::Kind kind_;
  ::testing::Matcher<const Object&> inner_;
};

}  // namespace

// A reply whose request matches too.
class ReplyToMatcher : public ::testing::MatcherInterface<const Event&> {
 public:
  ReplyToMatcher(::testing::Matcher<const Object&> request, ::testing::Matcher<const Object&> reply)
      : request_(std::move(request)), reply_(std::move(reply)) {}
  bool MatchAndExplain(const Event& event, ::testing::MatchResultListener* listener) const override {
    if (event.kind != Event::Kind::kReply) {
      *listener << "which is a " << EventKindName(event.kind);
      return false;
    }
    ::testing::StringMatchResultListener request_listener;
    if (!request_.MatchAndExplain(event.request, &request_listener)) {
      *listener << "which answers " << Describe(event.request.get());
      if (!request_listener.str().empty()) *listener << ", " << request_listener.str();
      return false;
    }
    return reply_.MatchAndExplain(event.object, listener);
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is a reply to a request that ";
    request_.DescribeTo(os);
    *os << ", and ";
    reply_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not a reply to a request that ";
    request_.DescribeTo(os);
    *os << " that ";
    reply_.DescribeTo(os);
  }

 private:
  ::testing::Matcher<const Object&> request_;
  ::testing::Matcher<const Object&> reply_;
};

::testing::Matcher<const Event&> IsReply(::testing::Matcher<const Object&> inner) {
  return ::testing::MakeMatcher(new EventMatcher(Event::Kind::kReply, std::move(inner)));
}

::testing::Matcher<const Event&> IsMessage(::testing::Matcher<const Object&> inner) {
  return ::testing::MakeMatcher(new EventMatcher(Event::Kind::kMessage, std::move(inner)));
}

::testing::Matcher<const Event&> IsReplyTo(::testing::Matcher<const Object&> request,
                                           ::testing::Matcher<const Object&> reply) {
  return ::testing::MakeMatcher(new ReplyToMatcher(std::move(request), std::move(reply)));
}

}  // namespace xpctest
