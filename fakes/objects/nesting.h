// objects/nesting.h — how deep collections may nest.
//
// Copy, equality, hash, description and the transport's copy walk a
// collection's children recursively. Collections cannot hold themselves
// (Container::AllowInsertion), so those walks end; this limit keeps them on
// the stack. libxpc's serializer has a depth limit of its own whose value
// Apple does not document; ours is kMaxNestingDepth levels, the root
// collection being level 1 (why 256: docs/architecture.md, "Nesting").
//
//   if (NestsTooDeeply(*object)) {
//     ReportTooDeeplyNested("xpc_copy", *object);
//     return nullptr;
//   }
//
// Building a deeper collection is allowed (each insertion is legal, and
// releasing one never recurses); using it with a walking operation is misuse.
#ifndef XPCTEST_FAKES_OBJECTS_NESTING_H
#define XPCTEST_FAKES_OBJECTS_NESTING_H

#include <string_view>

#include "objects/object.h"

namespace xpctest::fakes::objects {

inline constexpr int kMaxNestingDepth = 256;

// True when `object` nests collections more than kMaxNestingDepth levels
// deep. Walks without recursion, so it is safe on any depth.
bool NestsTooDeeply(const Object& object);

// "Collections nested deeper than 256 levels cannot be copied, compared,
// hashed or sent.", naming `call` and the object.
void ReportTooDeeplyNested(std::string_view call, const Object& object);

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_NESTING_H
