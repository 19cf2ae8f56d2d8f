// xpctest/device.h — the device's conditions, as the background-activity
// scheduler sees them (activity.h; docs/launchd-and-sandbox.md).
//
//   world.SetDeviceConditions({.on_battery = true, .battery_level = 15});
//
// Maintenance activities need power or XPC_ACTIVITY_ALLOW_BATTERY, a nominal
// thermal state and 20% battery; utility activities may run on battery, need
// at most a fair thermal state and 10%; XPC_ACTIVITY_REQUIRE_SCREEN_SLEEP
// needs the screen asleep.
#ifndef XPCTEST_DEVICE_H
#define XPCTEST_DEVICE_H

namespace xpctest {

// NSProcessInfoThermalState's levels.
enum class ThermalState { kNominal, kFair, kSerious, kCritical };

struct DeviceConditions {
  bool on_battery = false;
  int battery_level = 100;  // percent
  bool screen_asleep = false;
  ThermalState thermal = ThermalState::kNominal;
};

}  // namespace xpctest

#endif  // XPCTEST_DEVICE_H
