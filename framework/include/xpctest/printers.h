// xpctest/printers.h — how gtest prints XPC values.
//
// Objects print as xpc_copy_description does (S106–S109), so a failed
// expectation shows the message, not bytes.
#ifndef XPCTEST_PRINTERS_H
#define XPCTEST_PRINTERS_H

#include <xpc/xpc.h>

#include <ostream>
#include <string>

#include "xpctest/object.h"

namespace xpctest {

// xpc_copy_description's text, or "NULL".
std::string Describe(xpc_object_t object);

void PrintTo(const Object& object, std::ostream* os);

}  // namespace xpctest

#endif  // XPCTEST_PRINTERS_H
