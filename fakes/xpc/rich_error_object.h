// xpc/rich_error_object.h — xpc_rich_error_t: what sessions, listeners and peer
// requirements report instead of the error singletons (S135).
//
// A rich error is an immutable XPC object (kind kRichError) carrying a
// description and whether retrying might succeed. The descriptions are ours:
// Apple's texts are unknown [U], so each names what happened in plain words
// and, where one applies, the rule ("Session cancelled: the peer's process
// ended (S116)"). docs/peer-identity.md lists them.
//
//   xpc_rich_error_t error = NewRichError("Session cancelled ...", Retry::kNo);  // +1
//   StoreRichError(error_out, "...", Retry::kNo);  // into an out-parameter, or nowhere
//
// Thread safety: immutable; share freely.
#ifndef XPCTEST_FAKES_XPC_RICH_ERROR_OBJECT_H
#define XPCTEST_FAKES_XPC_RICH_ERROR_OBJECT_H

#include <xpc/xpc.h>

#include <string>

#include "objects/object.h"

namespace xpctest::fakes::xpc {

// xpc_rich_error_can_retry's answer.
enum class Retry { kNo, kYes };

class RichError : public objects::Object {
 public:
  static constexpr objects::Kind kKind = objects::Kind::kRichError;

  RichError(std::string description, Retry retry);

  const std::string& description() const { return description_; }
  bool can_retry() const { return retry_ == Retry::kYes; }

  // Immutable: a copy is the object itself (S44).
  Object* Copy() override { return Retain(); }
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  void AppendDescription(std::string& out, int depth) const override;

 private:
  const std::string description_;
  const Retry retry_;
};

// A new rich error, +1.
xpc_rich_error_t NewRichError(std::string description, Retry retry);

// Stores a new +1 rich error in `*out` when `out` is not NULL (the caller
// then owns it, S135); does nothing otherwise.
void StoreRichError(xpc_rich_error_t* out, std::string description, Retry retry);

inline xpc_rich_error_t ToRichErrorHandle(RichError* error) {
  return static_cast<xpc_rich_error_t>(static_cast<void*>(static_cast<objects::Object*>(error)));
}

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_RICH_ERROR_OBJECT_H
