// runtime/xpc_ref.h — one owned reference to an XPC object, for runtime
// values that are copied around (a plist's event descriptors, an activity's
// criteria).
//
//   XpcRef criteria = XpcRef::Adopt(xpc_dictionary_create_empty());  // takes the +1
//   XpcRef other = criteria;                                          // retains
//   xpc_dictionary_get_count(criteria.get());
//
// Thread safety: as the object it holds; copying retains atomically.
#ifndef XPCTEST_FAKES_RUNTIME_XPC_REF_H
#define XPCTEST_FAKES_RUNTIME_XPC_REF_H

#include <xpc/xpc.h>

#include <utility>

namespace xpctest::fakes::runtime {

class XpcRef {
 public:
  XpcRef() = default;
  // Takes over a +1 reference (a create or copy result).
  static XpcRef Adopt(xpc_object_t object) {
    XpcRef ref;
    ref.object_ = object;
    return ref;
  }
  // Adds a reference of its own to a borrowed object.
  static XpcRef Retain(xpc_object_t object) {
    return Adopt(object != nullptr ? xpc_retain(object) : nullptr);
  }
  XpcRef(const XpcRef& other) : object_(other.object_ ? xpc_retain(other.object_) : nullptr) {}
  XpcRef(XpcRef&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  XpcRef& operator=(XpcRef other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~XpcRef() {
    if (object_ != nullptr) xpc_release(object_);
  }

  xpc_object_t get() const { return object_; }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  xpc_object_t object_ = nullptr;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_XPC_REF_H
