// C entry points of the null object and the scalar boxes (S5–S9, S12).
#include <xpc/xpc.h>

#include <cmath>

#include "objects/container.h"
#include "objects/null.h"
#include "objects/scalar.h"

using namespace xpctest::fakes::objects;

extern "C" {

xpc_object_t xpc_null_create(void) { return ToHandle(Null::Singleton()); }

xpc_object_t xpc_bool_create(bool value) { return ToHandle(Bool::Singleton(value)); }
bool xpc_bool_get_value(xpc_object_t xbool) {
  return BoolValueOf(FromHandle(xbool, "xpc_bool_get_value"));
}

xpc_object_t xpc_int64_create(int64_t value) { return ToHandle(Int64::Create(value)); }
int64_t xpc_int64_get_value(xpc_object_t xint) {
  return Int64ValueOf(FromHandle(xint, "xpc_int64_get_value"));
}

xpc_object_t xpc_uint64_create(uint64_t value) { return ToHandle(Uint64::Create(value)); }
uint64_t xpc_uint64_get_value(xpc_object_t xuint) {
  return Uint64ValueOf(FromHandle(xuint, "xpc_uint64_get_value"));
}

xpc_object_t xpc_double_create(double value) { return ToHandle(Double::Create(value)); }
double xpc_double_get_value(xpc_object_t xdouble) {
  return DoubleValueOf(FromHandle(xdouble, "xpc_double_get_value"));
}

xpc_object_t xpc_date_create(int64_t interval) { return ToHandle(Date::Create(interval)); }
xpc_object_t xpc_date_create_from_current(void) {
  return ToHandle(Date::Create(CurrentDateNanoseconds()));
}
int64_t xpc_date_get_value(xpc_object_t xdate) {
  return DateValueOf(FromHandle(xdate, "xpc_date_get_value"));
}

}  // extern "C"
