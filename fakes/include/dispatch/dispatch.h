// dispatch/dispatch.h — drop-in for Apple's libdispatch umbrella header.
//
// Everything a client of libdispatch includes. Each declaration binds Apple's
// name to the prefixed symbol `xpctest_<name>` (see xpctest/link_name.h); the
// implementation lives in fakes/dispatch/.
#ifndef XPCTEST_DISPATCH_DISPATCH_H
#define XPCTEST_DISPATCH_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dispatch/object.h>
#include <dispatch/time.h>
#include <dispatch/queue.h>
#include <dispatch/once.h>
#include <dispatch/semaphore.h>
#include <dispatch/group.h>
#include <dispatch/source.h>
#include <dispatch/data.h>

#define DISPATCH_API_VERSION 20181008

#endif  // XPCTEST_DISPATCH_DISPATCH_H
