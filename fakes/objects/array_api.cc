// C entry points of arrays (S24–S27, S31–S33). Typed setters box the value and
// hand it to Array::Set; typed getters read the element with S12's defaults.
#include <xpc/xpc.h>

#include <fmt/format.h>

#include "base/report.h"
#include "objects/array.h"
#include "objects/container.h"

using namespace xpctest::fakes::objects;
using xpctest::fakes::ReportXpcMisuse;

namespace {

// The element for a typed getter: the array must be an array and the index
// must exist (P6, S27); nullptr after a report otherwise.
Object* ElementAt(xpc_object_t xarray, size_t index, const char* call) {
  Array* array = As<Array>(xarray, call);
  return array != nullptr ? array->At(index, call) : nullptr;
}

// Stores a freshly boxed value (+1, adopted), or drops it when the array is bad.
void SetBoxed(xpc_object_t xarray, size_t index, Object* box, const char* call) {
  Array* array = As<Array>(xarray, call);
  if (box == nullptr) return;  // S38: an invalid fd stores nothing
  if (array == nullptr) {
    box->Release(call);
    return;
  }
  array->Set(index, box, Adopt::kYes, call);
}

bool RequirePointer(const void* pointer, const char* what, const char* call) {
  if (pointer != nullptr) return true;
  ReportXpcMisuse(call, fmt::format("NULL {} passed to {}.", what, call));
  return false;
}

}  // namespace

extern "C" {

xpc_object_t xpc_array_create(const xpc_object_t* objects, size_t count) {
  constexpr const char* kCall = "xpc_array_create";
  Array* array = Array::Create();
  // S25: objects may be NULL only when count is 0.
  if (count > 0 && !RequirePointer(objects, "objects", kCall)) return ToHandle(array);
  for (size_t i = 0; i < count; ++i) {
    if (objects[i] == nullptr) {
      // S24: no NULL holes; the element is reported and left out.
      ReportXpcMisuse(kCall, fmt::format("NULL element at index {} passed to {}.", i, kCall));
      continue;
    }
    if (Object* element = FromHandle(objects[i], kCall)) {
      array->Append(element, Adopt::kNo, kCall);
    }
  }
  return ToHandle(array);
}

xpc_object_t xpc_array_create_empty(void) { return ToHandle(Array::Create()); }

void xpc_array_set_value(xpc_object_t xarray, size_t index, xpc_object_t value) {
  constexpr const char* kCall = "xpc_array_set_value";
  Array* array = As<Array>(xarray, kCall);
  if (array == nullptr || !RequirePointer(value, "value", kCall)) return;
  if (Object* element = FromHandle(value, kCall)) array->Set(index, element, Adopt::kNo, kCall);
}

void xpc_array_append_value(xpc_object_t xarray, xpc_object_t value) {
  constexpr const char* kCall = "xpc_array_append_value";
  Array* array = As<Array>(xarray, kCall);
  if (array == nullptr || !RequirePointer(value, "value", kCall)) return;
  if (Object* element = FromHandle(value, kCall)) array->Append(element, Adopt::kNo, kCall);
}

size_t xpc_array_get_count(xpc_object_t xarray) {
  // S12: 0 for a non-array.
  Object* object = FromHandle(xarray, "xpc_array_get_count");
  auto* array = TryAs<Array>(object);
  return array != nullptr ? array->count() : 0;
}

xpc_object_t xpc_array_get_value(xpc_object_t xarray, size_t index) {
  return ToHandle(ElementAt(xarray, index, "xpc_array_get_value"));
}

bool xpc_array_apply(xpc_object_t xarray, XPC_NOESCAPE xpc_array_applier_t applier) {
  constexpr const char* kCall = "xpc_array_apply";
  Array* array = As<Array>(xarray, kCall);
  if (array == nullptr || !RequirePointer(applier, "applier", kCall)) return false;
  return array->Apply([&](size_t index, Object* value) { return applier(index, value); }, kCall);
}

void xpc_array_set_bool(xpc_object_t xarray, size_t index, bool value) {
  SetBoxed(xarray, index, BoxBool(value), "xpc_array_set_bool");
}
void xpc_array_set_int64(xpc_object_t xarray, size_t index, int64_t value) {
  SetBoxed(xarray, index, BoxInt64(value), "xpc_array_set_int64");
}
void xpc_array_set_uint64(xpc_object_t xarray, size_t index, uint64_t value) {
  SetBoxed(xarray, index, BoxUint64(value), "xpc_array_set_uint64");
}
void xpc_array_set_double(xpc_object_t xarray, size_t index, double value) {
  SetBoxed(xarray, index, BoxDouble(value), "xpc_array_set_double");
}
void xpc_array_set_date(xpc_object_t xarray, size_t index, int64_t value) {
  SetBoxed(xarray, index, BoxDate(value), "xpc_array_set_date");
}
void xpc_array_set_data(xpc_object_t xarray, size_t index, const void* bytes, size_t length) {
  constexpr const char* kCall = "xpc_array_set_data";
  if (length > 0 && !RequirePointer(bytes, "bytes", kCall)) return;
  SetBoxed(xarray, index, BoxData(bytes, length), kCall);
}
void xpc_array_set_string(xpc_object_t xarray, size_t index, const char* string) {
  constexpr const char* kCall = "xpc_array_set_string";
  if (!RequirePointer(string, "string", kCall)) return;
  SetBoxed(xarray, index, BoxString(string), kCall);
}
void xpc_array_set_uuid(xpc_object_t xarray, size_t index, const uuid_t uuid) {
  constexpr const char* kCall = "xpc_array_set_uuid";
  if (!RequirePointer(uuid, "uuid", kCall)) return;
  SetBoxed(xarray, index, BoxUuid(uuid), kCall);
}
void xpc_array_set_fd(xpc_object_t xarray, size_t index, int fd) {
  SetBoxed(xarray, index, BoxFd(fd), "xpc_array_set_fd");
}

bool xpc_array_get_bool(xpc_object_t xarray, size_t index) {
  return BoolValueOf(ElementAt(xarray, index, "xpc_array_get_bool"));
}
int64_t xpc_array_get_int64(xpc_object_t xarray, size_t index) {
  return Int64ValueOf(ElementAt(xarray, index, "xpc_array_get_int64"));
}
uint64_t xpc_array_get_uint64(xpc_object_t xarray, size_t index) {
  return Uint64ValueOf(ElementAt(xarray, index, "xpc_array_get_uint64"));
}
double xpc_array_get_double(xpc_object_t xarray, size_t index) {
  return DoubleValueOf(ElementAt(xarray, index, "xpc_array_get_double"));
}
int64_t xpc_array_get_date(xpc_object_t xarray, size_t index) {
  return DateValueOf(ElementAt(xarray, index, "xpc_array_get_date"));
}
const void* xpc_array_get_data(xpc_object_t xarray, size_t index, size_t* length) {
  return DataBytesOf(ElementAt(xarray, index, "xpc_array_get_data"), length);
}
const char* xpc_array_get_string(xpc_object_t xarray, size_t index) {
  return StringPtrOf(ElementAt(xarray, index, "xpc_array_get_string"));
}
const uint8_t* xpc_array_get_uuid(xpc_object_t xarray, size_t index) {
  return UuidBytesOf(ElementAt(xarray, index, "xpc_array_get_uuid"));  // P5
}
int xpc_array_dup_fd(xpc_object_t xarray, size_t index) {
  return DupFdOf(ElementAt(xarray, index, "xpc_array_dup_fd"));
}
xpc_object_t xpc_array_get_dictionary(xpc_object_t xarray, size_t index) {
  return ToHandle(DictionaryOf(ElementAt(xarray, index, "xpc_array_get_dictionary")));
}
xpc_object_t xpc_array_get_array(xpc_object_t xarray, size_t index) {
  return ToHandle(ArrayOf(ElementAt(xarray, index, "xpc_array_get_array")));
}

}  // extern "C"
