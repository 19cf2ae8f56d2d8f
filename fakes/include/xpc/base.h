// xpc/base.h — attribute shims shared by the drop-in XPC headers.
//
// Same macro names as Apple's base.h so that code written against the SDK
// compiles unchanged. Two deliberate differences, both so that misuse is
// reported instead of optimised away (P6):
//   * the XPC_NONNULL* macros exist for user code, but our own declarations do
//     not carry them: a NULL argument reaches the fake and is reported;
//   * nullability qualifiers are not used in our declarations.
// Every declaration in these headers binds to a prefixed link name
// (XPCTEST_LINK_NAME, see <xpctest/link_name.h>).
#ifndef XPCTEST_XPC_BASE_H
#define XPCTEST_XPC_BASE_H

#include <xpctest/link_name.h>

#ifndef __has_include
#define __has_include(x) 0
#endif
#ifndef __has_attribute
#define __has_attribute(x) 0
#endif
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#ifndef __has_extension
#define __has_extension(x) 0
#endif

#include <xpc/availability.h>

#ifdef __cplusplus
#define XPCTEST_BEGIN_DECLS extern "C" {
#define XPCTEST_END_DECLS }
#else
#define XPCTEST_BEGIN_DECLS
#define XPCTEST_END_DECLS
#endif

#define XPC_CONSTRUCTOR __attribute__((constructor))
#define XPC_NORETURN __attribute__((__noreturn__))
#define XPC_NOTHROW __attribute__((__nothrow__))
#define XPC_NONNULL1 __attribute__((__nonnull__(1)))
#define XPC_NONNULL2 __attribute__((__nonnull__(2)))
#define XPC_NONNULL3 __attribute__((__nonnull__(3)))
#define XPC_NONNULL4 __attribute__((__nonnull__(4)))
#define XPC_NONNULL5 __attribute__((__nonnull__(5)))
#define XPC_NONNULL6 __attribute__((__nonnull__(6)))
#define XPC_NONNULL7 __attribute__((__nonnull__(7)))
#define XPC_NONNULL8 __attribute__((__nonnull__(8)))
#define XPC_NONNULL9 __attribute__((__nonnull__(9)))
#define XPC_NONNULL10 __attribute__((__nonnull__(10)))
#define XPC_NONNULL11 __attribute__((__nonnull__(11)))
#define XPC_NONNULL_ALL __attribute__((__nonnull__))
#define XPC_SENTINEL __attribute__((__sentinel__))
#define XPC_PURE __attribute__((__pure__))
#define XPC_WARN_RESULT __attribute__((__warn_unused_result__))
#define XPC_MALLOC __attribute__((__malloc__))
#define XPC_UNUSED __attribute__((__unused__))
#define XPC_USED __attribute__((__used__))
#define XPC_PACKED __attribute__((__packed__))
#define XPC_PRINTF(m, n) __attribute__((format(printf, m, n)))
#define XPC_INLINE static __inline__ __attribute__((__always_inline__))
#define XPC_NOINLINE __attribute__((noinline))
#define XPC_NOIMPL __attribute__((unavailable))
#if __has_attribute(noescape)
#define XPC_NOESCAPE __attribute__((__noescape__))
#else
#define XPC_NOESCAPE
#endif
#define XPC_UNAVAILABLE(m) __attribute__((unavailable(m)))
#define XPC_EXPORT extern __attribute__((visibility("default")))
#define XPC_NOEXPORT __attribute__((visibility("hidden")))
#define XPC_WEAKIMPORT extern __attribute__((weak_import))
#define XPC_DEBUGGER_EXCL XPC_NOEXPORT XPC_USED
#define XPC_TRANSPARENT_UNION __attribute__((transparent_union))
#define XPC_DEPRECATED(m) __attribute__((deprecated(m)))
#ifndef XPC_TESTEXPORT
#define XPC_TESTEXPORT XPC_NOEXPORT
#endif

// No ARC on Linux: the ownership annotations are empty, as in Apple's non-ARC branch.
#define XPC_GIVES_REFERENCE
#define XPC_UNRETAINED
#define XPC_BRIDGE(xo) (xo)
#define XPC_BRIDGEREF_BEGIN(xo) (xo)
#define XPC_BRIDGEREF_BEGIN_WITH_REF(xo) (xo)
#define XPC_BRIDGEREF_MIDDLE(xo) (xo)
#define XPC_BRIDGEREF_END(xo) (xo)

#if __has_feature(assume_nonnull)
#define XPC_ASSUME_NONNULL_BEGIN _Pragma("clang assume_nonnull begin")
#define XPC_ASSUME_NONNULL_END _Pragma("clang assume_nonnull end")
#else
#define XPC_ASSUME_NONNULL_BEGIN
#define XPC_ASSUME_NONNULL_END
#endif
#if __has_feature(nullability_on_arrays)
#define XPC_NONNULL_ARRAY _Nonnull
#else
#define XPC_NONNULL_ARRAY
#endif

// -fbounds-safety does not exist on Linux clang: every shim is empty.
#define XPC_PTR_ASSUMES_SINGLE
#define XPC_SINGLE
#define XPC_UNSAFE_INDEXABLE
#define XPC_CSTRING
#define XPC_SIZEDBY(N)
#define XPC_COUNTEDBY(N)
#define XPC_UNSAFE_FORGE_SIZED_BY(_type, _ptr, _size) ((_type)(_ptr))
#define XPC_UNSAFE_FORGE_SINGLE(_type, _ptr) ((_type)(_ptr))

// An options/enum type of a fixed width, spelled as in <os/base.h>'s plain-C form.
#define XPC_FLAGS_ENUM(_name, _type, ...) \
  typedef _type _name##_t;                \
  enum { __VA_ARGS__ }
#define XPC_ENUM(_name, _type, ...) \
  typedef _type _name##_t;          \
  enum { __VA_ARGS__ }

#if __has_attribute(swift_name)
#define XPC_SWIFT_NAME(_name) __attribute__((swift_name(_name)))
#else
#define XPC_SWIFT_NAME(_name)
#endif
#define XPC_SWIFT_UNAVAILABLE(msg)
#define XPC_SWIFT_NOEXPORT

#endif  // XPCTEST_XPC_BASE_H
