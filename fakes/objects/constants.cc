// The data constants of <xpc/xpc.h> and <xpc/activity.h>. Key texts as libxpc
// uses them (S60, S114); the activity keys are the launchd.plist spellings.
#include <xpc/xpc.h>

const char* const _xpc_error_key_description = "XPCErrorDescription";
const char* const _xpc_event_key_name = "XPCEventName";

const char* const XPC_ACTIVITY_INTERVAL = "Interval";
const char* const XPC_ACTIVITY_REPEATING = "Repeating";
const char* const XPC_ACTIVITY_DELAY = "Delay";
const char* const XPC_ACTIVITY_GRACE_PERIOD = "GracePeriod";
const int64_t XPC_ACTIVITY_INTERVAL_1_MIN = 60;
const int64_t XPC_ACTIVITY_INTERVAL_5_MIN = 5 * 60;
const int64_t XPC_ACTIVITY_INTERVAL_15_MIN = 15 * 60;
const int64_t XPC_ACTIVITY_INTERVAL_30_MIN = 30 * 60;
const int64_t XPC_ACTIVITY_INTERVAL_1_HOUR = 60 * 60;
const int64_t XPC_ACTIVITY_INTERVAL_4_HOURS = 4 * 60 * 60;
const int64_t XPC_ACTIVITY_INTERVAL_8_HOURS = 8 * 60 * 60;
const int64_t XPC_ACTIVITY_INTERVAL_1_DAY = 24 * 60 * 60;
const int64_t XPC_ACTIVITY_INTERVAL_7_DAYS = 7 * 24 * 60 * 60;
const char* const XPC_ACTIVITY_PRIORITY = "Priority";
const char* const XPC_ACTIVITY_PRIORITY_MAINTENANCE = "Maintenance";
const char* const XPC_ACTIVITY_PRIORITY_UTILITY = "Utility";
const char* const XPC_ACTIVITY_ALLOW_BATTERY = "AllowBattery";
const char* const XPC_ACTIVITY_REQUIRE_SCREEN_SLEEP = "RequireScreenSleep";
const char* const XPC_ACTIVITY_PREVENT_DEVICE_SLEEP = "PreventDeviceSleep";
const char* const XPC_ACTIVITY_REQUIRE_BATTERY_LEVEL = "RequireBatteryLevel";
const char* const XPC_ACTIVITY_REQUIRE_HDD_SPINNING = "RequireHDDSpinning";
