#include "xpctest/mock_service.h"

#include <dispatch/dispatch.h>
#include <xpctest/control.h>

#include <algorithm>

namespace xpctest {

// Outlives the mock while peers still hold its handler; `mock` is cleared
// when the mock goes, after which messages are ignored.
struct MockService::State {
  std::mutex mutex;
  MockService* mock = nullptr;
  // Requests answered with NeverReply are kept, so no "released unanswered"
  // warning fires while the test runs (P2).
  std::vector<Object> held;
};

namespace {

// Copies the entries of `reply` into the reply made for `request` and sends it.
void SendReply(xpc_connection_t peer, const Object& request, const Object& reply) {
  Object made = Object::Adopt(xpc_dictionary_create_reply(request.get()));
  if (!made) return;  // the sender wanted no reply (S85)
  if (reply) {
    xpc_object_t target = made.get();
    xpc_dictionary_apply(reply.get(), ^bool(const char* key, xpc_object_t value) {
      xpc_dictionary_set_value(target, key, value);
      return true;
    });
  }
  xpc_connection_send_message(peer, made.get());
}

// ReplyAfter's timers for one peer. They go when the peer ends: a reply no
// one can receive must not keep the world busy until its delay is over (on
// real threads RunUntilIdle, and so every test's teardown, waited it out).
// Whoever takes a timer out of `timers` (its firing, or the peer's end)
// cancels and releases it and the peer reference it holds. The requests of
// dropped replies are kept as NeverReply's are (MockService::State::held),
// so dropping them raises no "released without a reply" warning (P2).
struct PeerTimers {
  struct Pending {
    dispatch_source_t timer;
    Object request;
  };
  std::mutex mutex;
  std::vector<Pending> timers;
  bool ended = false;

  bool Take(dispatch_source_t timer) {
    std::lock_guard lock(mutex);
    auto it = std::find_if(timers.begin(), timers.end(),
                           [timer](const Pending& pending) { return pending.timer == timer; });
    if (it == timers.end()) return false;
    timers.erase(it);
    return true;
  }
};

void ReplyAfter(const std::shared_ptr<PeerTimers>& pending, xpc_connection_t peer,
                const Object& message, const Object& reply, std::chrono::nanoseconds delay) {
  dispatch_source_t timer = dispatch_source_create(
      DISPATCH_SOURCE_TYPE_TIMER, 0, 0, dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0));
  {
    std::lock_guard lock(pending->mutex);
    if (pending->ended) {
      dispatch_release(timer);
      return;
    }
    pending->timers.push_back({timer, message});
  }
  xpc_retain(peer);  // released with the timer
  // Blocks capture C++ references as references: copies go into the block.
  std::shared_ptr<PeerTimers> timers = pending;
  Object request = message;
  Object answer = reply;
  dispatch_source_set_event_handler(timer, ^{
    if (!timers->Take(timer)) return;  // the peer ended first
    SendReply(peer, request, answer);
    dispatch_source_cancel(timer);
    dispatch_release(timer);
    xpc_release(peer);
  });
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, delay.count()),
                            DISPATCH_TIME_FOREVER, 0);
  dispatch_resume(timer);
}

// The peer's final error: its pending replies are dropped with their timers.
void DropPendingReplies(const std::shared_ptr<PeerTimers>& pending, xpc_connection_t peer,
                        std::vector<Object>* held, std::mutex* held_mutex) {
  std::vector<PeerTimers::Pending> timers;
  {
    std::lock_guard lock(pending->mutex);
    pending->ended = true;
    timers.swap(pending->timers);
  }
  {
    std::lock_guard lock(*held_mutex);
    for (PeerTimers::Pending& dropped : timers) held->push_back(dropped.request);
  }
  for (PeerTimers::Pending& dropped : timers) {
    dispatch_source_cancel(dropped.timer);
    dispatch_release(dropped.timer);
    xpc_release(peer);
  }
}

}  // namespace

MockService::MockService() : state_(std::make_shared<State>()) { state_->mock = this; }

MockService::~MockService() {
  std::lock_guard lock(state_->mutex);
  state_->mock = nullptr;
  state_->held.clear();
}

PeerHandler MockService::Handler() {
  std::shared_ptr<State> state = state_;
  return [state](xpc_connection_t peer) {
    auto pending = std::make_shared<PeerTimers>();
    xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
      // S68, S93: INVALID is a peer's last event.
      if (event == XPC_ERROR_CONNECTION_INVALID) {
        DropPendingReplies(pending, peer, &state->held, &state->mutex);
      }
      if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
      Object message = Object::Borrow(event);
      Response response;
      {
        std::lock_guard lock(state->mutex);
        if (state->mock == nullptr) return;
      }
      response = state->mock->OnMessage(message);
      switch (response.kind) {
        case Response::Kind::kReply:
          if (response.delay.count() == 0) {
            SendReply(peer, message, response.reply);
          } else {
            ReplyAfter(pending, peer, message, response.reply, response.delay);
          }
          break;
        case Response::Kind::kNoReply: {
          std::lock_guard lock(state->mutex);
          state->held.push_back(message);
          break;
        }
        case Response::Kind::kCancelPeer:
          xpc_connection_cancel(peer);
          break;
        case Response::Kind::kCrash:
          if (control::World* world = control::World::Current()) world->current().Crash();
          break;
      }
    });
    xpc_connection_activate(peer);
  };
}

}  // namespace xpctest
