// xpc/message_rules.h — what may be sent and what the receiver gets.
#ifndef XPCTEST_FAKES_XPC_MESSAGE_RULES_H
#define XPCTEST_FAKES_XPC_MESSAGE_RULES_H

#include <xpc/xpc.h>

#include <string>

namespace xpctest::fakes::xpc {

// S48: the root must be a dictionary. S50/P6: no connection, session or
// listener may travel (endpoints may). Reports misuse naming `call` and
// returns false when the message may not be sent.
bool CheckSendable(xpc_object_t message, const char* call);

// S49, S51: the receiver's private copy (+1): containers copied deeply, file
// descriptors duplicated, shared memory and endpoints shared.
xpc_object_t CopyForSending(xpc_object_t message);

// A one-line summary for the trace: { op = "add", a = 2 }.
std::string DescribeMessage(xpc_object_t message);

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_MESSAGE_RULES_H
