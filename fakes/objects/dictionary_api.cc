// C entry points of dictionaries (S8, S12, S28–S33). Getters also read the
// error singletons (S8) and return S12's defaults for a missing key or a
// non-dictionary; setters and apply require a dictionary (P6).
#include <xpc/xpc.h>

#include <fmt/format.h>

#include "base/report.h"
#include "objects/container.h"
#include "objects/dictionary.h"

using namespace xpctest::fakes::objects;
using xpctest::fakes::ReportXpcMisuse;

namespace {

bool RequirePointer(const void* pointer, const char* what, const char* call) {
  if (pointer != nullptr) return true;
  ReportXpcMisuse(call, fmt::format("NULL {} passed to {}.", what, call));
  return false;
}

// The value for a getter: nullptr when the key is missing or the object is
// not dictionary-shaped (S12); NULL arguments are reported.
Object* ValueFor(xpc_object_t xdict, const char* key, const char* call) {
  if (FromHandle(xdict, call) == nullptr || !RequirePointer(key, "key", call)) return nullptr;
  const Dictionary* dictionary = ReadableDictionary(xdict);
  return dictionary != nullptr ? dictionary->Find(key) : nullptr;
}

// Stores a freshly boxed value (+1, adopted), or drops it when the call is bad.
void SetBoxed(xpc_object_t xdict, const char* key, Object* box, const char* call) {
  Dictionary* dictionary = As<Dictionary>(xdict, call);
  bool key_ok = dictionary != nullptr && RequirePointer(key, "key", call);  // S28
  if (box == nullptr) return;  // S38: an invalid fd stores nothing
  if (!key_ok) {
    box->Release(call);
    return;
  }
  dictionary->Set(key, box, Adopt::kYes, call);
}

}  // namespace

extern "C" {

xpc_object_t xpc_dictionary_create(const char* const* keys, const xpc_object_t* values,
                                   size_t count) {
  constexpr const char* kCall = "xpc_dictionary_create";
  Dictionary* dictionary = Dictionary::Create();
  // S29: both arrays are required when count > 0.
  if (count > 0 && (!RequirePointer(keys, "keys", kCall) ||
                    !RequirePointer(values, "values", kCall))) {
    return ToHandle(dictionary);
  }
  for (size_t i = 0; i < count; ++i) {
    if (!RequirePointer(keys[i], "key", kCall)) continue;  // S28
    if (values[i] == nullptr) continue;                    // S29: skipped
    if (Object* value = FromHandle(values[i], kCall)) {
      dictionary->Set(keys[i], value, Adopt::kNo, kCall);
    }
  }
  return ToHandle(dictionary);
}

xpc_object_t xpc_dictionary_create_empty(void) { return ToHandle(Dictionary::Create()); }

void xpc_dictionary_set_value(xpc_object_t xdict, const char* key, xpc_object_t value) {
  constexpr const char* kCall = "xpc_dictionary_set_value";
  Dictionary* dictionary = As<Dictionary>(xdict, kCall);
  if (dictionary == nullptr || !RequirePointer(key, "key", kCall)) return;
  if (value == nullptr) {
    dictionary->Set(key, nullptr, Adopt::kNo, kCall);  // S30: removal
    return;
  }
  if (Object* object = FromHandle(value, kCall)) {
    dictionary->Set(key, object, Adopt::kNo, kCall);
  }
}

xpc_object_t xpc_dictionary_get_value(xpc_object_t xdict, const char* key) {
  return ToHandle(ValueFor(xdict, key, "xpc_dictionary_get_value"));
}

size_t xpc_dictionary_get_count(xpc_object_t xdict) {
  if (FromHandle(xdict, "xpc_dictionary_get_count") == nullptr) return 0;
  const Dictionary* dictionary = ReadableDictionary(xdict);
  return dictionary != nullptr ? dictionary->count() : 0;
}

bool xpc_dictionary_apply(xpc_object_t xdict, XPC_NOESCAPE xpc_dictionary_applier_t applier) {
  constexpr const char* kCall = "xpc_dictionary_apply";
  Dictionary* dictionary = As<Dictionary>(xdict, kCall);
  if (dictionary == nullptr || !RequirePointer(applier, "applier", kCall)) return false;
  return dictionary->Apply(
      [&](const char* key, Object* value) { return applier(key, value); }, kCall);
}

void xpc_dictionary_set_bool(xpc_object_t xdict, const char* key, bool value) {
  SetBoxed(xdict, key, BoxBool(value), "xpc_dictionary_set_bool");
}
void xpc_dictionary_set_int64(xpc_object_t xdict, const char* key, int64_t value) {
  SetBoxed(xdict, key, BoxInt64(value), "xpc_dictionary_set_int64");
}
void xpc_dictionary_set_uint64(xpc_object_t xdict, const char* key, uint64_t value) {
  SetBoxed(xdict, key, BoxUint64(value), "xpc_dictionary_set_uint64");
}
void xpc_dictionary_set_double(xpc_object_t xdict, const char* key, double value) {
  SetBoxed(xdict, key, BoxDouble(value), "xpc_dictionary_set_double");
}
void xpc_dictionary_set_date(xpc_object_t xdict, const char* key, int64_t value) {
  SetBoxed(xdict, key, BoxDate(value), "xpc_dictionary_set_date");
}
void xpc_dictionary_set_data(xpc_object_t xdict, const char* key, const void* bytes,
                             size_t length) {
  constexpr const char* kCall = "xpc_dictionary_set_data";
  if (length > 0 && !RequirePointer(bytes, "bytes", kCall)) return;
  SetBoxed(xdict, key, BoxData(bytes, length), kCall);
}
void xpc_dictionary_set_string(xpc_object_t xdict, const char* key, const char* string) {
  constexpr const char* kCall = "xpc_dictionary_set_string";
  if (!RequirePointer(string, "string", kCall)) return;
  SetBoxed(xdict, key, BoxString(string), kCall);
}
void xpc_dictionary_set_uuid(xpc_object_t xdict, const char* key, const uuid_t uuid) {
  constexpr const char* kCall = "xpc_dictionary_set_uuid";
  if (!RequirePointer(uuid, "uuid", kCall)) return;
  SetBoxed(xdict, key, BoxUuid(uuid), kCall);
}
void xpc_dictionary_set_fd(xpc_object_t xdict, const char* key, int fd) {
  SetBoxed(xdict, key, BoxFd(fd), "xpc_dictionary_set_fd");
}

bool xpc_dictionary_get_bool(xpc_object_t xdict, const char* key) {
  return BoolValueOf(ValueFor(xdict, key, "xpc_dictionary_get_bool"));
}
int64_t xpc_dictionary_get_int64(xpc_object_t xdict, const char* key) {
  return Int64ValueOf(ValueFor(xdict, key, "xpc_dictionary_get_int64"));
}
uint64_t xpc_dictionary_get_uint64(xpc_object_t xdict, const char* key) {
  return Uint64ValueOf(ValueFor(xdict, key, "xpc_dictionary_get_uint64"));
}
double xpc_dictionary_get_double(xpc_object_t xdict, const char* key) {
  return DoubleValueOf(ValueFor(xdict, key, "xpc_dictionary_get_double"));
}
int64_t xpc_dictionary_get_date(xpc_object_t xdict, const char* key) {
  return DateValueOf(ValueFor(xdict, key, "xpc_dictionary_get_date"));
}
const void* xpc_dictionary_get_data(xpc_object_t xdict, const char* key, size_t* length) {
  return DataBytesOf(ValueFor(xdict, key, "xpc_dictionary_get_data"), length);
}
const char* xpc_dictionary_get_string(xpc_object_t xdict, const char* key) {
  return StringPtrOf(ValueFor(xdict, key, "xpc_dictionary_get_string"));
}
const uint8_t* xpc_dictionary_get_uuid(xpc_object_t xdict, const char* key) {
  return UuidBytesOf(ValueFor(xdict, key, "xpc_dictionary_get_uuid"));  // P5
}
int xpc_dictionary_dup_fd(xpc_object_t xdict, const char* key) {
  return DupFdOf(ValueFor(xdict, key, "xpc_dictionary_dup_fd"));
}
xpc_object_t xpc_dictionary_get_dictionary(xpc_object_t xdict, const char* key) {
  return ToHandle(DictionaryOf(ValueFor(xdict, key, "xpc_dictionary_get_dictionary")));
}
xpc_object_t xpc_dictionary_get_array(xpc_object_t xdict, const char* key) {
  return ToHandle(ArrayOf(ValueFor(xdict, key, "xpc_dictionary_get_array")));
}

}  // extern "C"
