// xpc_data_create_with_dispatch_data: the one object function that needs dispatch.
#include <xpc/xpc.h>

#include <vector>

#include "base/report.h"

extern "C" xpc_object_t xpc_data_create_with_dispatch_data(dispatch_data_t ddata) {
  if (ddata == nullptr) {
    xpctest::fakes::ReportXpcMisuse("xpc_data_create_with_dispatch_data",
                                    "The dispatch data must not be NULL.");
    return nullptr;
  }
  // S36 lets XPC map the data when it likes; dispatch data is immutable, so a
  // copy is indistinguishable from keeping a reference.
  __block std::vector<char> bytes;
  bytes.reserve(dispatch_data_get_size(ddata));
  dispatch_data_apply(ddata, ^bool(dispatch_data_t, size_t, const void* buffer, size_t size) {
    const char* start = static_cast<const char*>(buffer);
    bytes.insert(bytes.end(), start, start + size);
    return true;
  });
  return xpc_data_create(bytes.data(), bytes.size());
}
