#include "xpc/message_rules.h"

#include <fmt/format.h>

#include <unordered_set>
#include <vector>

#include "base/report.h"
#include "objects/container.h"
#include "objects/nesting.h"

namespace xpctest::fakes::xpc {
namespace {

bool IsServiceObject(const objects::Object& object) {
  switch (object.kind()) {
    case objects::Kind::kConnection:
    case objects::Kind::kSession:
    case objects::Kind::kListener:
      return true;
    default:
      return false;
  }
}

// The first service object inside `root`, or null. Iterative, and each
// collection is looked at once.
const objects::Object* FindServiceObject(const objects::Object& root) {
  if (IsServiceObject(root)) return &root;
  std::vector<const objects::Container*> pending;
  std::unordered_set<const objects::Container*> seen;
  if (const objects::Container* container = objects::AsContainer(root)) pending.push_back(container);
  const objects::Object* found = nullptr;
  while (!pending.empty() && found == nullptr) {
    const objects::Container* next = pending.back();
    pending.pop_back();
    next->VisitChildren([&](objects::Object& child) {
      if (found != nullptr) return;
      if (IsServiceObject(child)) {
        found = &child;
      } else if (const objects::Container* nested = objects::AsContainer(child)) {
        if (seen.insert(nested).second) pending.push_back(nested);
      }
    });
  }
  return found;
}

std::string Summarize(xpc_object_t value, int depth) {
  xpc_type_t type = xpc_get_type(value);
  if (type == XPC_TYPE_STRING) return fmt::format("\"{}\"", xpc_string_get_string_ptr(value));
  if (type == XPC_TYPE_INT64) return fmt::format("{}", xpc_int64_get_value(value));
  if (type == XPC_TYPE_UINT64) return fmt::format("{}u", xpc_uint64_get_value(value));
  if (type == XPC_TYPE_DOUBLE) return fmt::format("{}", xpc_double_get_value(value));
  if (type == XPC_TYPE_BOOL) return xpc_bool_get_value(value) ? "true" : "false";
  if (type == XPC_TYPE_DATA) return fmt::format("<{} bytes>", xpc_data_get_length(value));
  if (type == XPC_TYPE_DICTIONARY || type == XPC_TYPE_ERROR) {
    if (depth > 2) return "{...}";
    __block std::string text = "{";
    __block bool first = true;
    xpc_dictionary_apply(value, ^bool(const char* key, xpc_object_t entry) {
      text += fmt::format("{} {} = {}", first ? "" : ",", key, Summarize(entry, depth + 1));
      first = false;
      return true;
    });
    return text + (first ? "}" : " }");
  }
  if (type == XPC_TYPE_ARRAY) {
    if (depth > 2) return "[...]";
    __block std::string text = "[";
    xpc_array_apply(value, ^bool(size_t index, xpc_object_t entry) {
      text += fmt::format("{}{}", index == 0 ? "" : ", ", Summarize(entry, depth + 1));
      return true;
    });
    return text + "]";
  }
  return fmt::format("<{}>", xpc_type_get_name(type));
}

}  // namespace

bool CheckSendable(xpc_object_t message, const char* call) {
  if (message == nullptr) {
    ReportXpcMisuse(call, "Message is NULL.");
    return false;
  }
  objects::Object* object = objects::FromHandle(message, call);
  if (object == nullptr) return false;
  if (object->kind() != objects::Kind::kDictionary) {
    ReportXpcMisuse(call, "Messages must be dictionaries.", object->Description());
    return false;
  }
  if (objects::NestsTooDeeply(*object)) {
    // libxpc's serializer refuses deep messages too (objects/nesting.h).
    objects::ReportTooDeeplyNested(call, *object);
    return false;
  }
  if (const objects::Object* embedded = FindServiceObject(*object)) {
    ReportXpcMisuse(call,
                    "Connections cannot be directly embedded in messages. You must create an "
                    "endpoint from the connection.",
                    embedded->Description());
    return false;
  }
  return true;
}

xpc_object_t CopyForSending(xpc_object_t message) {
  // S49, S51: every value a new object for the receiver (fds duplicated,
  // shmem mapped anew); the bool and null singletons are the same anywhere.
  auto* object = static_cast<objects::Object*>(message);
  return objects::ToHandle(object->ReceiverCopy());
}

std::string DescribeMessage(xpc_object_t message) { return Summarize(message, 0); }

}  // namespace xpctest::fakes::xpc
