// objects/error.h — the dictionary-shaped singletons: the XPC_ERROR_* objects
// (S8, S60, S61, P8) and XPC_ACTIVITY_CHECK_IN.
//
// Each lives for the whole process in storage under the name the headers
// declare, is immortal (S7) and frozen. Errors are of type XPC_TYPE_ERROR but
// are read with the dictionary getters (ReadableDictionary, S8); each holds
// one key, XPC_ERROR_KEY_DESCRIPTION, with a string value.
#ifndef XPCTEST_FAKES_OBJECTS_ERROR_H
#define XPCTEST_FAKES_OBJECTS_ERROR_H

#include <string_view>

#include "objects/dictionary.h"

namespace xpctest::fakes::objects {

class StaticDictionary final : public Dictionary {
 public:
  // Errors are process-lifetime singletons: the copy is the object (S8,
  // S44), and so is what a receiver gets (alike in every process).
  Object* Copy() override;
  Object* ReceiverCopy() override;

 private:
  friend struct StaticDictionaryStorage;
  StaticDictionary(Kind kind, std::string_view description);
};

// The texts of S61 and P8.
inline constexpr std::string_view kInterruptedDescription = "Connection interrupted";
inline constexpr std::string_view kInvalidDescription = "Connection invalid";
inline constexpr std::string_view kTerminationImminentDescription = "Termination imminent";
inline constexpr std::string_view kPeerForbiddenDescription = "Peer Forbidden";

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_ERROR_H
