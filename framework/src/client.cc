#include "xpctest/client.h"

#include <gtest/gtest.h>

#include <mutex>

#include "xpctest/options.h"
#include "xpctest/printers.h"

namespace xpctest {

namespace internal {

struct ClientState {
  control::World* world;
  std::string label;
  xpc_connection_t connection = nullptr;
  mutable std::mutex mutex;
  std::vector<Event> events;
  // Replies by request: index into `replies`.
  std::vector<Object> replies;
  std::vector<Object> requests;
  size_t next_event = 0;  // NextEvent's position among handler events

  void Record(Event::Kind kind, xpc_object_t object, Object request = Object()) {
    std::lock_guard lock(mutex);
    events.push_back(Event{kind, Object::Borrow(object), world->Now(), std::move(request)});
  }

  // Runs the world until `done` or the timeout; on failure, fails the test
  // naming `what` with the trace.
  bool Wait(const std::function<bool()>& done, const std::string& what) {
    if (world->RunUntil(done, Options().WaitLimit(world->options().executor))) return true;
    ADD_FAILURE() << "xpctest: " << label << ": " << what << " never happened ("
                  << (world->options().executor == control::ExecutorKind::kDeterministic
                          ? "nothing left to run"
                          : "timed out")
                  << ")\nRecent trace:\n"
                  << world->TraceTail(20);
    return false;
  }
};

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

Object PendingReply::Wait() {
  if (!state_->Wait([this] { return ready(); },
                    "the reply to " + Describe(state_->requests.at(index_).get()))) {
    return Object();
  }
  std::lock_guard lock(state_->mutex);
  return state_->replies.at(index_);
}

Client::Client(control::World& world, xpc_connection_t connection, std::string label)
    : state_(std::make_shared<ClientState>()) {
  state_->world = &world;
  state_->label = std::move(label);
  state_->connection = connection;
  // The block keeps the state alive as long as the connection keeps the handler.
  std::shared_ptr<ClientState> state = state_;
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
    state->Record(xpc_get_type(event) == XPC_TYPE_ERROR ? Event::Kind::kError
                                                        : Event::Kind::kMessage,
                  event);
  });
  xpc_connection_activate(connection);
}

Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Client::~Client() {
  if (state_ == nullptr || state_->connection == nullptr) return;
  xpc_connection_cancel(state_->connection);
  xpc_release(state_->connection);
  state_->connection = nullptr;
}

xpc_connection_t Client::connection() const { return state_->connection; }
const std::string& Client::label() const { return state_->label; }

void Client::Send(const Object& message) {
  xpc_connection_send_message(state_->connection, message.get());
}

PendingReply Client::SendAsync(const Object& message) {
  size_t index;
  {
    std::lock_guard lock(state_->mutex);
    index = state_->replies.size();
    state_->replies.emplace_back();
    state_->requests.push_back(message);
  }
  std::shared_ptr<ClientState> state = state_;
  Object request = message;
  xpc_connection_send_message_with_reply(
      state_->connection, message.get(), nullptr, ^(xpc_object_t reply) {
        state->Record(xpc_get_type(reply) == XPC_TYPE_ERROR ? Event::Kind::kError
                                                            : Event::Kind::kReply,
                      reply, request);
        std::lock_guard lock(state->mutex);
        state->replies.at(index) = Object::Borrow(reply);
      });
  return PendingReply(state_, index);
}

Object Client::SendSync(const Object& message) { return SendAsync(message).Wait(); }

std::vector<Event> Client::Events() const {
  std::lock_guard lock(state_->mutex);
  return state_->events;
}

Event Client::NextEvent() {
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
  if (!state_->Wait([&] { return find(&index); }, "the next event")) {
    return Event{Event::Kind::kError, Object(), state_->world->Now(), Object()};
  }
  std::lock_guard lock(state_->mutex);
  ++state_->next_event;
  return state_->events[index];
}

bool Client::WaitFor(const ::testing::Matcher<const Event&>& matcher) {
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
      "an event that " + description.str());
}

void Client::Cancel() { xpc_connection_cancel(state_->connection); }

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

::testing::Matcher<const Event&> IsReply(::testing::Matcher<const Object&> inner) {
  return ::testing::MakeMatcher(new EventMatcher(Event::Kind::kReply, std::move(inner)));
}

::testing::Matcher<const Event&> IsMessage(::testing::Matcher<const Object&> inner) {
  return ::testing::MakeMatcher(new EventMatcher(Event::Kind::kMessage, std::move(inner)));
}

}  // namespace xpctest
