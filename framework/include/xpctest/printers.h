// xpctest/printers.h — how gtest prints XPC values.
//
// Objects print as xpc_copy_description does (S106–S109), so a failed
// expectation shows the message, not bytes: an xpctest::Object, an Event, and
// the typed handles (xpc_connection_t, xpc_session_t, xpc_endpoint_t,
// xpc_listener_t, xpc_rich_error_t, xpc_peer_requirement_t), whose pointer
// types are XPC's own.
//
// A raw xpc_object_t is a void*, as in Apple's C headers, and gtest prints
// every void* as an address; teaching it otherwise would change how every
// unrelated void* prints. So a raw object shows its description through the
// matchers instead (matchers.h: "which is <dictionary: ...> { ... }"); wrap
// it for anything else: EXPECT_EQ(xpctest::Object::Borrow(event), ...).
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

// In the global namespace, where argument-dependent lookup finds them for
// the handles' global struct types (gtest prints pointers with <<).
std::ostream& operator<<(std::ostream& os, xpc_connection_t connection);
std::ostream& operator<<(std::ostream& os, xpc_endpoint_t endpoint);
std::ostream& operator<<(std::ostream& os, xpc_session_t session);
std::ostream& operator<<(std::ostream& os, xpc_listener_t listener);
std::ostream& operator<<(std::ostream& os, xpc_rich_error_t error);
std::ostream& operator<<(std::ostream& os, xpc_peer_requirement_t requirement);

#endif  // XPCTEST_PRINTERS_H
