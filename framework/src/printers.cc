#include "xpctest/printers.h"

#include <cstdlib>

namespace xpctest {

std::string Describe(xpc_object_t object) {
  if (object == nullptr) return "NULL";
  char* text = xpc_copy_description(object);
  std::string description = text != nullptr ? text : "";
  free(text);
  return description;
}

void PrintTo(const Object& object, std::ostream* os) { *os << Describe(object.get()); }

}  // namespace xpctest
