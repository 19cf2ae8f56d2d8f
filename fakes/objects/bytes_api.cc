// C entry points of the byte-carrying boxes: data, string and uuid (S10–S12,
// S22, S35, S37).
#include <xpc/xpc.h>

#include <fmt/format.h>

#include "base/report.h"
#include "objects/container.h"
#include "objects/data.h"
#include "objects/string_object.h"
#include "objects/uuid.h"

using namespace xpctest::fakes::objects;
using xpctest::fakes::ReportXpcMisuse;

namespace {

// Reports a NULL pointer argument that Apple requires to be non-NULL.
bool RequirePointer(const void* pointer, const char* what, const char* call) {
  if (pointer != nullptr) return true;
  ReportXpcMisuse(call, fmt::format("NULL {} passed to {}.", what, call));
  return false;
}

}  // namespace

extern "C" {

xpc_object_t xpc_data_create(const void* bytes, size_t length) {
  // S35: NULL bytes with a non-zero length is undefined; we report it and
  // return an empty data object.
  if (length > 0 && !RequirePointer(bytes, "bytes", "xpc_data_create")) length = 0;
  return ToHandle(Data::Create(bytes, length));
}

size_t xpc_data_get_length(xpc_object_t xdata) {
  return DataLengthOf(FromHandle(xdata, "xpc_data_get_length"));
}

const void* xpc_data_get_bytes_ptr(xpc_object_t xdata) {
  return DataBytesOf(FromHandle(xdata, "xpc_data_get_bytes_ptr"), nullptr);
}

size_t xpc_data_get_bytes(xpc_object_t xdata, void* buffer, size_t off, size_t length) {
  Object* object = FromHandle(xdata, "xpc_data_get_bytes");
  auto* data = TryAs<Data>(object);
  if (data == nullptr) return 0;  // S37: 0 for a non-data object
  if (length > 0 && !RequirePointer(buffer, "buffer", "xpc_data_get_bytes")) return 0;
  return data->CopyOut(buffer, off, length);
}

xpc_object_t xpc_string_create(const char* string) {
  if (!RequirePointer(string, "string", "xpc_string_create")) return nullptr;
  return ToHandle(String::Create(string));
}

xpc_object_t xpc_string_create_with_format_and_arguments(const char* fmt, va_list ap) {
  if (!RequirePointer(fmt, "format", "xpc_string_create_with_format_and_arguments")) {
    return nullptr;
  }
  return ToHandle(String::CreateFormatted(fmt, ap));
}

xpc_object_t xpc_string_create_with_format(const char* fmt, ...) {
  if (!RequirePointer(fmt, "format", "xpc_string_create_with_format")) return nullptr;
  va_list arguments;
  va_start(arguments, fmt);
  String* string = String::CreateFormatted(fmt, arguments);
  va_end(arguments);
  return ToHandle(string);
}

size_t xpc_string_get_length(xpc_object_t xstring) {
  return StringLengthOf(FromHandle(xstring, "xpc_string_get_length"));
}

const char* xpc_string_get_string_ptr(xpc_object_t xstring) {
  return StringPtrOf(FromHandle(xstring, "xpc_string_get_string_ptr"));
}

xpc_object_t xpc_uuid_create(const uuid_t uuid) {
  if (!RequirePointer(uuid, "uuid", "xpc_uuid_create")) return nullptr;
  return ToHandle(Uuid::Create(uuid));
}

const uint8_t* xpc_uuid_get_bytes(xpc_object_t xuuid) {
  return UuidBytesOf(FromHandle(xuuid, "xpc_uuid_get_bytes"));
}

}  // extern "C"
