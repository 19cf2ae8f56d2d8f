// C entry points shared by every kind: reference counting, type, copy,
// equality, hash and description (S1, S14–S16, S44–S47, S138). The walking
// ones refuse collections nested past the limit (objects/nesting.h).
#include <xpc/xpc.h>

#include <cstdlib>
#include <cstring>

#include "base/report.h"
#include "objects/nesting.h"
#include "objects/object.h"

using namespace xpctest::fakes::objects;
using xpctest::fakes::ReportXpcMisuse;

namespace {

// The object behind a handle for a call that walks its children: nullptr,
// after a report, when it nests too deeply to walk.
Object* WalkableObject(xpc_object_t handle, const char* call) {
  Object* object = FromHandle(handle, call);
  if (object == nullptr || !NestsTooDeeply(*object)) return object;
  ReportTooDeeplyNested(call, *object);
  return nullptr;
}

}  // namespace

extern "C" {

xpc_object_t xpc_retain(xpc_object_t object) {
  Object* self = FromHandle(object, "xpc_retain");
  return self != nullptr ? ToHandle(self->Retain()) : object;
}

void xpc_release(xpc_object_t object) {
  if (IsReleasedHandle(object)) {
    // S16: the object's last reference is already gone.
    ReportXpcMisuse("xpc_release", "Over-release of object.",
                    static_cast<Object*>(object)->Description());
    return;
  }
  if (Object* self = FromHandle(object, "xpc_release")) self->Release("xpc_release");
}

xpc_type_t xpc_get_type(xpc_object_t object) {
  Object* self = FromHandle(object, "xpc_get_type");
  return self != nullptr ? self->type() : nullptr;
}

const char* xpc_type_get_name(xpc_type_t type) {
  if (type == nullptr) {
    ReportXpcMisuse("xpc_type_get_name", "NULL type passed to xpc_type_get_name.");
    return nullptr;
  }
  return type->name;  // P4
}


xpc_object_t xpc_copy(xpc_object_t object) {
  Object* self = WalkableObject(object, "xpc_copy");
  return self != nullptr ? ToHandle(self->Copy()) : nullptr;
}

bool xpc_equal(xpc_object_t object1, xpc_object_t object2) {
  Object* a = FromHandle(object1, "xpc_equal");
  Object* b = FromHandle(object2, "xpc_equal");
  if (a == nullptr || b == nullptr) return false;
  if (a == b) return true;
  if (NestsTooDeeply(*a) || NestsTooDeeply(*b)) {
    ReportTooDeeplyNested("xpc_equal", NestsTooDeeply(*a) ? *a : *b);
    return false;
  }
  return ObjectsEqual(*a, *b);
}

size_t xpc_hash(xpc_object_t object) {
  Object* self = WalkableObject(object, "xpc_hash");
  return self != nullptr ? self->Hash() : 0;
}

char* xpc_copy_description(xpc_object_t object) {
  Object* self = FromHandle(object, "xpc_copy_description");
  if (self == nullptr) return nullptr;
  return strdup(self->Description().c_str());  // S47: the caller frees
}

const char* xpc_debugger_api_misuse_info(void) {
  return xpctest::fakes::LastMisuseHeadline();  // S138
}

}  // extern "C"
