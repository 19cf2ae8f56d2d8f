// The C entry points of <xpc/rich_error.h> (S135).
#include <xpc/rich_error.h>

#include <cstring>

#include "xpc/rich_error_object.h"

using xpctest::fakes::objects::As;
using xpctest::fakes::xpc::RichError;

extern "C" {

char* xpc_rich_error_copy_description(xpc_rich_error_t error) {
  RichError* object = As<RichError>(error, "xpc_rich_error_copy_description");
  return object != nullptr ? strdup(object->description().c_str()) : nullptr;
}

bool xpc_rich_error_can_retry(xpc_rich_error_t error) {
  RichError* object = As<RichError>(error, "xpc_rich_error_can_retry");
  return object != nullptr && object->can_retry();
}

}  // extern "C"
