// control::LabelConnection (<xpctest/control.h>) over ConnectionCore: it
// lives with the connections, which the runtime layer below cannot see.
#include <xpctest/control.h>

#include "objects/object.h"
#include "xpc/connection_object.h"

namespace xpctest::control {

bool LabelConnection(xpc_connection_t connection, std::string label) {
  auto* object = fakes::objects::TryAs<fakes::xpc::Connection>(connection);
  return object != nullptr && object->core().SetLabel(std::move(label));
}

}  // namespace xpctest::control
