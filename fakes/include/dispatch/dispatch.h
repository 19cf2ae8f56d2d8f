// dispatch/dispatch.h — drop-in for Apple's libdispatch umbrella header.
#ifndef XPCTEST_DISPATCH_DISPATCH_H
#define XPCTEST_DISPATCH_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dispatch/object.h>

#endif  // XPCTEST_DISPATCH_DISPATCH_H
