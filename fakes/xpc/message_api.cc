// The message functions of <xpc/xpc.h> that need connections: replies, the
// remote connection of a received message, and connections boxed as endpoints.
#include <xpc/private.h>
#include <xpc/xpc.h>

#include "base/report.h"
#include "objects/dictionary.h"
#include "xpc/connection_object.h"
#include "xpc/message_context.h"

using xpctest::fakes::objects::As;
using xpctest::fakes::objects::Dictionary;
using xpctest::fakes::objects::FromHandle;
using xpctest::fakes::objects::TryAs;
using xpctest::fakes::xpc::ConnectionCore;
using xpctest::fakes::xpc::ReplyContext;
using xpctest::fakes::xpc::RequestContext;
using xpctest::fakes::xpc::ToConnectionHandle;

namespace {

// The process that received the request, whose transaction the reply is (S113).
xpctest::fakes::runtime::Process* ReplyingProcess(const RequestContext& context) {
  std::shared_ptr<ConnectionCore> receiver = context.receiver().lock();
  return receiver != nullptr ? &receiver->owner() : nullptr;
}


// The connection a dictionary arrived on (S87), or null.
std::shared_ptr<ConnectionCore> ReceiverOf(Dictionary& dictionary) {
  auto context = dictionary.message_context();
  if (auto request = std::dynamic_pointer_cast<RequestContext>(context)) {
    return request->receiver().lock();
  }
  if (auto reply = std::dynamic_pointer_cast<ReplyContext>(context)) {
    return reply->receiver().lock();
  }
  return nullptr;
}

}  // namespace

extern "C" {

xpc_object_t xpc_dictionary_create_reply(xpc_object_t original) {
  // S85: NULL for anything but a dictionary with a reply context, error
  // objects included (code in the wild calls it on every event).
  auto* request = TryAs<Dictionary>(FromHandle(original, "xpc_dictionary_create_reply"));
  if (request == nullptr) return nullptr;
  auto context = std::dynamic_pointer_cast<RequestContext>(request->message_context());
  // S85: only for a received message that wants a reply, and only once.
  if (context == nullptr || context->route() == nullptr) return nullptr;
  if (context->route()->reply_created.exchange(true)) return nullptr;
  xpc_object_t reply = xpc_dictionary_create_empty();
  As<Dictionary>(reply, "xpc_dictionary_create_reply")
      ->set_message_context(std::make_shared<ReplyContext>(context->receiver(), context->route(),
                                                           ReplyingProcess(*context)));
  return reply;
}

xpc_connection_t xpc_dictionary_get_remote_connection(xpc_object_t xdict) {
  // S87: NULL for any other object, error objects included.
  auto* dictionary =
      TryAs<Dictionary>(FromHandle(xdict, "xpc_dictionary_get_remote_connection"));
  if (dictionary == nullptr) return nullptr;
  std::shared_ptr<ConnectionCore> receiver = ReceiverOf(*dictionary);
  return receiver != nullptr ? ToConnectionHandle(receiver->handle()) : nullptr;
}

void xpc_dictionary_get_audit_token(xpc_object_t xdict, audit_token_t* token) {
  xpc_connection_t remote = xpc_dictionary_get_remote_connection(xdict);
  if (remote == nullptr || token == nullptr) return;
  xpc_connection_get_audit_token(remote, token);
}

// S23: the connection travels as an endpoint; the collection does not retain
// the connection itself.
void xpc_dictionary_set_connection(xpc_object_t xdict, const char* key,
                                   xpc_connection_t connection) {
  xpc_endpoint_t endpoint = xpc_endpoint_create(connection);
  if (endpoint == nullptr) return;
  xpc_dictionary_set_value(xdict, key, endpoint);
  xpc_release(endpoint);
}

void xpc_array_set_connection(xpc_object_t xarray, size_t index, xpc_connection_t connection) {
  xpc_endpoint_t endpoint = xpc_endpoint_create(connection);
  if (endpoint == nullptr) return;
  if (index == XPC_ARRAY_APPEND) {
    xpc_array_append_value(xarray, endpoint);
  } else {
    xpc_array_set_value(xarray, index, endpoint);
  }
  xpc_release(endpoint);
}

// S34: a new, inactive connection each call; NULL when the value is not an endpoint.
xpc_connection_t xpc_dictionary_create_connection(xpc_object_t xdict, const char* key) {
  xpc_object_t value = xpc_dictionary_get_value(xdict, key);
  if (value == nullptr || xpc_get_type(value) != XPC_TYPE_ENDPOINT) return nullptr;
  return xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(value));
}

xpc_connection_t xpc_array_create_connection(xpc_object_t xarray, size_t index) {
  if (index >= xpc_array_get_count(xarray)) return nullptr;
  xpc_object_t value = xpc_array_get_value(xarray, index);
  if (value == nullptr || xpc_get_type(value) != XPC_TYPE_ENDPOINT) return nullptr;
  return xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(value));
}

}  // extern "C"
