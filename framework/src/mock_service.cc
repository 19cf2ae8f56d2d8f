#include "xpctest/mock_service.h"

#include <dispatch/dispatch.h>
#include <xpctest/control.h>

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
    xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
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
            xpc_retain(peer);
            Object reply = response.reply;
            dispatch_after(dispatch_time(DISPATCH_TIME_NOW, response.delay.count()),
                           dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0), ^{
                             SendReply(peer, message, reply);
                             xpc_release(peer);
                           });
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
