// xpctest/private_link_names.h — libxpc's private calls, bound but not declared.
//
// S103: xpc_connection_get_audit_token and xpc_dictionary_get_audit_token
// have no public declaration; real code writes its own, after including
// <xpc/xpc.h>. <xpc/xpc.h> includes this header, which gives both names
// xpctest's link names without declaring them (#pragma redefine_extname
// renames a C function wherever it is declared later), so:
//   - a hand declaration, in C or in C++ inside extern "C", links to xpctest;
//   - a call with no declaration at all fails to compile, as on macOS;
//   - <xpc/private.h> declares them for code that prefers a header.
// The token type is visible too, as it is through Apple's <xpc/xpc.h>
// (<mach/message.h>).
#ifndef XPCTEST_PRIVATE_LINK_NAMES_H
#define XPCTEST_PRIVATE_LINK_NAMES_H

#include <mach/message.h>

#if !defined(__APPLE__)
#pragma redefine_extname xpc_connection_get_audit_token xpctest_xpc_connection_get_audit_token
#pragma redefine_extname xpc_dictionary_get_audit_token xpctest_xpc_dictionary_get_audit_token
#endif

#endif  // XPCTEST_PRIVATE_LINK_NAMES_H
