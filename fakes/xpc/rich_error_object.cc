#include "xpc/rich_error_object.h"

#include <fmt/format.h>

#include <functional>

namespace xpctest::fakes::xpc {

RichError::RichError(std::string description, Retry retry)
    : Object(XPC_TYPE_RICH_ERROR), description_(std::move(description)), retry_(retry) {}

bool RichError::Equals(const Object& other) const {
  const auto& that = static_cast<const RichError&>(other);
  return description_ == that.description_ && retry_ == that.retry_;
}

size_t RichError::Hash() const { return std::hash<std::string>()(description_); }

// S110 has no real sample; this follows the shape of the other kinds.
void RichError::AppendDescription(std::string& out, int depth) const {
  out += fmt::format("<rich_error: {}> {{ description = \"{}\", can_retry = {} }}",
                     static_cast<const void*>(this), description_,
                     can_retry() ? "true" : "false");
}

xpc_rich_error_t NewRichError(std::string description, Retry retry) {
  return ToRichErrorHandle(new RichError(std::move(description), retry));
}

void StoreRichError(xpc_rich_error_t* out, std::string description, Retry retry) {
  if (out != nullptr) *out = NewRichError(std::move(description), retry);
}

}  // namespace xpctest::fakes::xpc
