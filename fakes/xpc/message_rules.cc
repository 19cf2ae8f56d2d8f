#include "xpc/message_rules.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "base/report.h"

namespace xpctest::fakes::xpc {
namespace {

bool IsServiceObject(xpc_type_t type) {
  return type == XPC_TYPE_CONNECTION || type == XPC_TYPE_SESSION || type == XPC_TYPE_LISTENER;
}

// The first service object inside `object`, or null.
xpc_object_t FindServiceObject(xpc_object_t object) {
  xpc_type_t type = xpc_get_type(object);
  if (IsServiceObject(type)) return object;
  __block xpc_object_t found = nullptr;
  if (type == XPC_TYPE_DICTIONARY) {
    xpc_dictionary_apply(object, ^bool(const char*, xpc_object_t value) {
      found = FindServiceObject(value);
      return found == nullptr;
    });
  } else if (type == XPC_TYPE_ARRAY) {
    xpc_array_apply(object, ^bool(size_t, xpc_object_t value) {
      found = FindServiceObject(value);
      return found == nullptr;
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
  if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) {
    char* description = xpc_copy_description(message);
    std::string text = description;
    free(description);
    ReportXpcMisuse(call, "Messages must be dictionaries.", text);
    return false;
  }
  if (xpc_object_t embedded = FindServiceObject(message)) {
    char* description = xpc_copy_description(embedded);
    std::string text = description;
    free(description);
    ReportXpcMisuse(call,
                    "Connections cannot be directly embedded in messages. You must create an "
                    "endpoint from the connection.",
                    text);
    return false;
  }
  return true;
}

xpc_object_t CopyForSending(xpc_object_t message) {
  xpc_type_t type = xpc_get_type(message);
  if (type == XPC_TYPE_DICTIONARY) {
    xpc_object_t copy = xpc_dictionary_create_empty();
    xpc_dictionary_apply(message, ^bool(const char* key, xpc_object_t value) {
      xpc_object_t entry = CopyForSending(value);
      xpc_dictionary_set_value(copy, key, entry);
      xpc_release(entry);
      return true;
    });
    return copy;
  }
  if (type == XPC_TYPE_ARRAY) {
    xpc_object_t copy = xpc_array_create_empty();
    xpc_array_apply(message, ^bool(size_t, xpc_object_t value) {
      xpc_object_t entry = CopyForSending(value);
      xpc_array_append_value(copy, entry);
      xpc_release(entry);
      return true;
    });
    return copy;
  }
  if (type == XPC_TYPE_FD) {
    // S51: an equivalent descriptor, as a new fd object.
    int fd = xpc_fd_dup(message);
    xpc_object_t copy = xpc_fd_create(fd);
    if (fd >= 0) close(fd);
    return copy != nullptr ? copy : xpc_null_create();
  }
  if (type == XPC_TYPE_SHMEM || type == XPC_TYPE_ENDPOINT) return xpc_retain(message);
  xpc_object_t copy = xpc_copy(message);
  return copy != nullptr ? copy : xpc_retain(message);
}

std::string DescribeMessage(xpc_object_t message) { return Summarize(message, 0); }

}  // namespace xpctest::fakes::xpc
