// xpctest/link_name.h
//
// Binds an Apple API name to xpctest's prefixed link name. The drop-in headers
// declare, for example,
//
//   xpc_object_t xpc_int64_create(int64_t value) XPCTEST_LINK_NAME(xpc_int64_create);
//
// so source code calls `xpc_int64_create` while the object file references
// `xpctest_xpc_int64_create`. A test binary therefore never binds to a system
// libxpc or libdispatch, even on macOS or next to a Swift toolchain's libdispatch.
#ifndef XPCTEST_LINK_NAME_H
#define XPCTEST_LINK_NAME_H

#define XPCTEST_STRINGIFY_IMPL_(x) #x
#define XPCTEST_STRINGIFY_(x) XPCTEST_STRINGIFY_IMPL_(x)

// __USER_LABEL_PREFIX__ is "_" on Darwin and empty on ELF targets.
#define XPCTEST_LINK_NAME(name) \
  __asm__(XPCTEST_STRINGIFY_(__USER_LABEL_PREFIX__) "xpctest_" #name)

#endif  // XPCTEST_LINK_NAME_H
