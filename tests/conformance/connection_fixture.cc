#include "conformance/connection_fixture.h"

#include <Block.h>

namespace xpctest::testing {

using fakes::runtime::ExecutorKind;

EventLog::~EventLog() { Clear(); }

void EventLog::Clear() {
  std::vector<std::pair<std::string, xpc_object_t>> entries;
  {
    std::lock_guard lock(mutex_);
    entries.swap(entries_);
  }
  for (auto& [who, object] : entries) xpc_release(object);
}

void EventLog::Add(const std::string& who, xpc_object_t object) {
  std::lock_guard lock(mutex_);
  entries_.emplace_back(who, xpc_retain(object));
}

size_t EventLog::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

xpc_object_t EventLog::at(size_t index) const {
  std::lock_guard lock(mutex_);
  return entries_.at(index).second;
}

std::string EventLog::who(size_t index) const {
  std::lock_guard lock(mutex_);
  return entries_.at(index).first;
}

std::vector<xpc_object_t> EventLog::For(const std::string& who) const {
  std::lock_guard lock(mutex_);
  std::vector<xpc_object_t> found;
  for (auto& [w, object] : entries_) {
    if (w == who) found.push_back(object);
  }
  return found;
}

size_t EventLog::CountFor(const std::string& who) const { return For(who).size(); }

ConnectionTest::ConnectionTest()
    : world_(fakes::runtime::WorldOptions{GetParam(), 1, false}), installed_(world_) {}

ConnectionTest::~ConnectionTest() {
  for (xpc_connection_t connection : owned_) xpc_connection_cancel(connection);
  RunUntilIdle();
  for (xpc_connection_t connection : owned_) xpc_release(connection);
  for (xpc_connection_t peer : peers_) xpc_release(peer);
}

bool ConnectionTest::RunUntil(const std::function<bool()>& done) {
  return fakes::dispatch::RunUntil(done, std::chrono::seconds(10));
}

void ConnectionTest::RunUntilIdle() { fakes::dispatch::RunUntilIdle(); }

fakes::runtime::Process& ConnectionTest::Spawn(const std::string& name) {
  return world_.Spawn(name, {});
}

xpc_connection_t ConnectionTest::StartEchoListener(fakes::runtime::Process& process, bool answer,
                                                   const char* mach_name) {
  xpc_connection_t listener = nullptr;
  EventLog* log = &log_;
  auto* self = this;
  {
    fakes::runtime::ScopedProcess as(process);
    listener = mach_name != nullptr
                   ? xpc_connection_create_mach_service(mach_name, nullptr,
                                                        XPC_CONNECTION_MACH_SERVICE_LISTENER)
                   : xpc_connection_create(nullptr, nullptr);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
      if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) {
        log->Add("listener", peer);
        return;
      }
      {
        std::lock_guard lock(self->mutex_);
        self->peers_.push_back(static_cast<xpc_connection_t>(xpc_retain(peer)));
      }
      xpc_connection_t connection = static_cast<xpc_connection_t>(peer);
      xpc_connection_set_event_handler(connection, ^(xpc_object_t message) {
        log->Add("peer", message);
        if (!answer || xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
        xpc_object_t reply = xpc_dictionary_create_reply(message);
        if (reply == nullptr) return;
        const char* op = xpc_dictionary_get_string(message, "op");
        xpc_dictionary_set_string(reply, "reply", op != nullptr ? op : "");
        xpc_connection_send_message(connection, reply);
        xpc_release(reply);
      });
      xpc_connection_activate(connection);
    });
    xpc_connection_activate(listener);
  }
  std::lock_guard lock(mutex_);
  owned_.push_back(listener);
  return listener;
}

xpc_connection_t ConnectionTest::ConnectClient(xpc_connection_t listener) {
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  EventLog* log = &log_;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) { log->Add("client", event); });
  xpc_connection_activate(client);
  std::lock_guard lock(mutex_);
  owned_.push_back(client);
  return client;
}

std::vector<xpc_connection_t> ConnectionTest::peers() const {
  std::lock_guard lock(mutex_);
  return peers_;
}

xpc_object_t Message(const char* op) {
  xpc_object_t message = xpc_dictionary_create_empty();
  xpc_dictionary_set_string(message, "op", op);
  return message;
}

std::string OpOf(xpc_object_t message) {
  const char* op = xpc_dictionary_get_string(message, "op");
  if (op == nullptr) op = xpc_dictionary_get_string(message, "reply");
  return op != nullptr ? op : "";
}

std::string ExecutorName(const ::testing::TestParamInfo<ExecutorKind>& info) {
  return info.param == ExecutorKind::kDeterministic ? "Deterministic" : "Threaded";
}

}  // namespace xpctest::testing
