#include "objects/null.h"

namespace xpctest::fakes::objects {

Null* Null::Singleton() {
  // Never destroyed: user code may hold it until the process ends.
  static Null* const null = new Null;
  return null;
}

void Null::AppendDescription(std::string& out, int depth) const {
  out += DescriptionHeader(*this);
  out += " { }";
}

}  // namespace xpctest::fakes::objects
