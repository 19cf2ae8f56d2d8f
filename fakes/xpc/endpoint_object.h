// xpc/endpoint_object.h — the inert, sendable name of a listener (S96, S97).
//
// An endpoint keeps only a weak reference to its listener: it may outlive it,
// and a connection made from it then fails with INVALID (P3).
#ifndef XPCTEST_FAKES_XPC_ENDPOINT_OBJECT_H
#define XPCTEST_FAKES_XPC_ENDPOINT_OBJECT_H

#include <memory>

#include "objects/object.h"
#include "xpc/connection_core.h"

namespace xpctest::fakes::xpc {

class Endpoint : public objects::Object {
 public:
  static constexpr objects::Kind kKind = objects::Kind::kEndpoint;

  explicit Endpoint(std::weak_ptr<ConnectionCore> listener);

  const std::weak_ptr<ConnectionCore>& listener() const { return listener_; }

  // Endpoints are immutable: a copy is the same object (S44); two endpoints
  // are equal when they name the same listener. S49: a receiver gets a new
  // endpoint naming it.
  Object* Copy() override { return Retain(); }
  Object* ReceiverCopy() override { return new Endpoint(listener_, listener_identity_); }
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  void AppendDescription(std::string& out, int depth) const override;

 private:
  Endpoint(std::weak_ptr<ConnectionCore> listener, const void* identity);
  std::weak_ptr<ConnectionCore> listener_;
  const void* listener_identity_;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_ENDPOINT_OBJECT_H
