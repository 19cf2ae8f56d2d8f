#include "objects/error.h"

#include <new>

#include "objects/string_object.h"

namespace xpctest::fakes::objects {

StaticDictionary::StaticDictionary(Kind kind, std::string_view description)
    : Dictionary(TypeOf(kind), Lifetime::kImmortal) {
  if (!description.empty()) {
    Set(_xpc_error_key_description, String::CreateImmortal(description), Adopt::kYes,
        "xpctest");
  }
  Freeze();  // S8: clients cannot modify them
}

Object* StaticDictionary::Copy() {
  return kind() == Kind::kError ? this : Dictionary::Copy();
}

Object* StaticDictionary::ReceiverCopy() {
  return kind() == Kind::kError ? this : Dictionary::ReceiverCopy();
}

}  // namespace xpctest::fakes::objects

// Writable storage under the names <xpc/connection.h> declares; the mutable
// member keeps the const objects out of read-only memory.
struct _xpc_dictionary_s {
  alignas(xpctest::fakes::objects::StaticDictionary) mutable unsigned char
      bytes[sizeof(xpctest::fakes::objects::StaticDictionary)];
};
const _xpc_dictionary_s _xpc_error_connection_interrupted{};
const _xpc_dictionary_s _xpc_error_connection_invalid{};
const _xpc_dictionary_s _xpc_error_termination_imminent{};
const _xpc_dictionary_s _xpc_error_peer_code_signing_requirement{};

namespace {
_xpc_dictionary_s g_activity_check_in{};
}  // namespace

const xpc_object_t XPC_ACTIVITY_CHECK_IN = &g_activity_check_in;

namespace xpctest::fakes::objects {

// Constructs the singletons in place before any user static initializer
// runs; they are never destroyed.
struct StaticDictionaryStorage {
  StaticDictionaryStorage() {
    new (_xpc_error_connection_interrupted.bytes)
        StaticDictionary(Kind::kError, kInterruptedDescription);
    new (_xpc_error_connection_invalid.bytes) StaticDictionary(Kind::kError, kInvalidDescription);
    new (_xpc_error_termination_imminent.bytes)
        StaticDictionary(Kind::kError, kTerminationImminentDescription);
    new (_xpc_error_peer_code_signing_requirement.bytes)
        StaticDictionary(Kind::kError, kPeerForbiddenDescription);
    new (g_activity_check_in.bytes) StaticDictionary(Kind::kDictionary, {});
  }
};

namespace {
__attribute__((init_priority(101))) StaticDictionaryStorage g_static_dictionaries;
}  // namespace

}  // namespace xpctest::fakes::objects
