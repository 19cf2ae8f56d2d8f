// objects/dictionary.h — the mutable string-keyed dictionary (S28–S32), the
// root of every message (S48).
//
//   Dictionary* message = Dictionary::Create();                  // +1
//   message->Set("op", String::Create("add"), Adopt::kYes, "my_call");
//   Object* op = message->Find("op");                            // borrowed
//   Object* copy = message->Copy();   // S44/S49: deep copy, e.g. for sending
//
// Values are retained while held (S18); keys are copied (S28). Mutation
// during Apply() and inserting the dictionary into itself are reported and
// refused (S32, Container). Entries are kept in key order, so descriptions
// are reproducible (S31 promises no order).
//
// The xpc layer attaches per-message state (remote connection, reply slot)
// through set_message_context(); the context is neither copied by Copy() nor
// part of equality.
#ifndef XPCTEST_FAKES_OBJECTS_DICTIONARY_H
#define XPCTEST_FAKES_OBJECTS_DICTIONARY_H

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "objects/array.h"
#include "objects/container.h"
#include "objects/object.h"

namespace xpctest::fakes::objects {

// Base of whatever the xpc layer attaches to a received message.
class MessageContext {
 public:
  virtual ~MessageContext() = default;
};

class Dictionary : public Container {
 public:
  static constexpr Kind kKind = Kind::kDictionary;
  using MessageContext = objects::MessageContext;

  // +1, empty.
  static Dictionary* Create();

  size_t count() const { return entries_.size(); }

  // The value for `key`, borrowed, or nullptr.
  Object* Find(std::string_view key) const;

  // S30: inserts or replaces; a nullptr value removes the key. Mutation
  // during apply or of a frozen dictionary, and cycles, are reported and
  // refused; with Adopt::kYes the value's reference is then released.
  void Set(std::string_view key, Object* value, Adopt adopt, std::string_view call);

  // S31: calls `applier` per entry; stops at the first false. Returns the
  // last result (true when empty).
  bool Apply(const std::function<bool(const char*, Object*)>& applier, std::string_view call);

  std::shared_ptr<MessageContext> message_context() const;
  void set_message_context(std::shared_ptr<MessageContext> context);

  // Makes every later Set() misuse (used for XPC_ACTIVITY_CHECK_IN).
  void Freeze() { frozen_ = true; }

  // S44: a deep copy, without the message context.
  Object* Copy() override;
  // S49: a deep copy whose every value is a new object, without the context.
  Object* ReceiverCopy() override;
  void VisitChildren(const std::function<void(Object&)>& visit) const override;
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  // S106: "<dictionary: ADDR> { count = N, transaction: 0, voucher = 0x0, contents ="
  // + "\"key\" => value" lines + "}".
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  Dictionary(xpc_type_t type, Lifetime lifetime) : Container(type, lifetime) {}
  void Dispose() override;

 private:
  Dictionary* CopyWith(CopyMode mode) const;
  std::map<std::string, Object*, std::less<>> entries_;
  IterationState iteration_;
  bool frozen_ = false;
  mutable std::mutex context_mutex_;
  std::shared_ptr<MessageContext> context_;
};

// S8: the dictionary behind a handle the dictionary getters may read
// (a dictionary or an error singleton), or nullptr.
const Dictionary* ReadableDictionary(const void* handle);

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_DICTIONARY_H
