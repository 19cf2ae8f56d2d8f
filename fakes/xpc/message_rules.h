// xpc/message_rules.h — what may be sent and what the receiver gets.
#ifndef XPCTEST_FAKES_XPC_MESSAGE_RULES_H
#define XPCTEST_FAKES_XPC_MESSAGE_RULES_H

#include <xpc/xpc.h>

#include <string>

namespace xpctest::fakes::xpc {

// S48: the root must be a dictionary nested at most kMaxNestingDepth levels
// (objects/nesting.h). S50/P6: no connection, session or listener may travel
// (endpoints may). Reports misuse naming `call` and returns false when the
// message may not be sent.
bool CheckSendable(xpc_object_t message, const char* call);

// S49, S51: the receiver's private copy (+1) of a message CheckSendable
// accepted: every value a new object (file descriptors duplicated, shared
// memory mapped anew, endpoints naming the same listener), except the bool
// and null singletons.
xpc_object_t CopyForSending(xpc_object_t message);

// A one-line summary for the trace: { op = "add", a = 2 }.
std::string DescribeMessage(xpc_object_t message);

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_MESSAGE_RULES_H
