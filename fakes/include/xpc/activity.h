// xpc/activity.h — background activity scheduling (macOS 10.9+).
//
// The criteria keys and intervals are data defined by the object model; the
// functions are implemented by the xpc layer.
#ifndef XPCTEST_XPC_ACTIVITY_H
#define XPCTEST_XPC_ACTIVITY_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

// Criteria keys.
XPC_EXPORT const char* const XPC_ACTIVITY_INTERVAL XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL);
XPC_EXPORT const char* const XPC_ACTIVITY_REPEATING XPCTEST_LINK_NAME(XPC_ACTIVITY_REPEATING);
XPC_EXPORT const char* const XPC_ACTIVITY_DELAY XPCTEST_LINK_NAME(XPC_ACTIVITY_DELAY);
XPC_EXPORT const char* const XPC_ACTIVITY_GRACE_PERIOD
    XPCTEST_LINK_NAME(XPC_ACTIVITY_GRACE_PERIOD);

// Interval values, in seconds.
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_1_MIN XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_1_MIN);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_5_MIN XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_5_MIN);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_15_MIN
    XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_15_MIN);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_30_MIN
    XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_30_MIN);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_1_HOUR
    XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_1_HOUR);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_4_HOURS
    XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_4_HOURS);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_8_HOURS
    XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_8_HOURS);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_1_DAY XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_1_DAY);
XPC_EXPORT const int64_t XPC_ACTIVITY_INTERVAL_7_DAYS
    XPCTEST_LINK_NAME(XPC_ACTIVITY_INTERVAL_7_DAYS);

XPC_EXPORT const char* const XPC_ACTIVITY_PRIORITY XPCTEST_LINK_NAME(XPC_ACTIVITY_PRIORITY);
XPC_EXPORT const char* const XPC_ACTIVITY_PRIORITY_MAINTENANCE
    XPCTEST_LINK_NAME(XPC_ACTIVITY_PRIORITY_MAINTENANCE);
XPC_EXPORT const char* const XPC_ACTIVITY_PRIORITY_UTILITY
    XPCTEST_LINK_NAME(XPC_ACTIVITY_PRIORITY_UTILITY);
XPC_EXPORT const char* const XPC_ACTIVITY_ALLOW_BATTERY
    XPCTEST_LINK_NAME(XPC_ACTIVITY_ALLOW_BATTERY);
XPC_EXPORT const char* const XPC_ACTIVITY_REQUIRE_SCREEN_SLEEP
    XPCTEST_LINK_NAME(XPC_ACTIVITY_REQUIRE_SCREEN_SLEEP);
XPC_EXPORT const char* const XPC_ACTIVITY_PREVENT_DEVICE_SLEEP
    XPCTEST_LINK_NAME(XPC_ACTIVITY_PREVENT_DEVICE_SLEEP);
// Never implemented by Apple; kept for source compatibility.
XPC_EXPORT const char* const XPC_ACTIVITY_REQUIRE_BATTERY_LEVEL
    XPCTEST_LINK_NAME(XPC_ACTIVITY_REQUIRE_BATTERY_LEVEL);
XPC_EXPORT const char* const XPC_ACTIVITY_REQUIRE_HDD_SPINNING
    XPCTEST_LINK_NAME(XPC_ACTIVITY_REQUIRE_HDD_SPINNING);

#define XPC_TYPE_ACTIVITY (&_xpc_type_activity)
XPC_EXPORT XPC_TYPE(_xpc_type_activity) XPCTEST_LINK_NAME(_xpc_type_activity);

XPC_DECL(xpc_activity);

typedef void (^xpc_activity_handler_t)(xpc_activity_t activity);

// The criteria meaning "check in with the existing registration". A frozen,
// empty dictionary: mutating it is misuse.
XPC_EXPORT const xpc_object_t XPC_ACTIVITY_CHECK_IN XPCTEST_LINK_NAME(XPC_ACTIVITY_CHECK_IN);

XPC_EXPORT void xpc_activity_register(const char* identifier, xpc_object_t criteria,
                                      xpc_activity_handler_t handler)
    XPCTEST_LINK_NAME(xpc_activity_register);
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_activity_copy_criteria(xpc_activity_t activity)
    XPCTEST_LINK_NAME(xpc_activity_copy_criteria);
XPC_EXPORT void xpc_activity_set_criteria(xpc_activity_t activity, xpc_object_t criteria)
    XPCTEST_LINK_NAME(xpc_activity_set_criteria);

enum {
  XPC_ACTIVITY_STATE_CHECK_IN,
  XPC_ACTIVITY_STATE_WAIT,
  XPC_ACTIVITY_STATE_RUN,
  XPC_ACTIVITY_STATE_DEFER,
  XPC_ACTIVITY_STATE_CONTINUE,
  XPC_ACTIVITY_STATE_DONE,
};
typedef long xpc_activity_state_t;

XPC_EXPORT XPC_WARN_RESULT xpc_activity_state_t xpc_activity_get_state(xpc_activity_t activity)
    XPCTEST_LINK_NAME(xpc_activity_get_state);
XPC_EXPORT XPC_WARN_RESULT bool xpc_activity_set_state(xpc_activity_t activity,
                                                       xpc_activity_state_t state)
    XPCTEST_LINK_NAME(xpc_activity_set_state);
XPC_EXPORT XPC_WARN_RESULT bool xpc_activity_should_defer(xpc_activity_t activity)
    XPCTEST_LINK_NAME(xpc_activity_should_defer);
XPC_EXPORT void xpc_activity_unregister(const char* identifier)
    XPCTEST_LINK_NAME(xpc_activity_unregister);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_ACTIVITY_H
