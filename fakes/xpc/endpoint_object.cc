#include "xpc/endpoint_object.h"

#include <fmt/format.h>

#include <functional>

namespace xpctest::fakes::xpc {

Endpoint::Endpoint(std::weak_ptr<ConnectionCore> listener)
    : Object(XPC_TYPE_ENDPOINT),
      listener_(std::move(listener)),
      listener_identity_(listener_.lock().get()) {}

Endpoint::Endpoint(std::weak_ptr<ConnectionCore> listener, const void* identity)
    : Object(XPC_TYPE_ENDPOINT), listener_(std::move(listener)), listener_identity_(identity) {}

bool Endpoint::Equals(const Object& other) const {
  return listener_identity_ == static_cast<const Endpoint&>(other).listener_identity_;
}

size_t Endpoint::Hash() const { return std::hash<const void*>()(listener_identity_); }

void Endpoint::AppendDescription(std::string& out, int depth) const {
  std::shared_ptr<ConnectionCore> listener = listener_.lock();
  out += fmt::format("<endpoint: {}> {{ name = {}, listener = {} }}", static_cast<const void*>(this),
                     listener == nullptr || listener->name().empty() ? "(anonymous)"
                                                                     : listener->name(),
                     listener == nullptr ? "gone" : "live");
}

}  // namespace xpctest::fakes::xpc
