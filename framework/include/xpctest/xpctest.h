// xpctest/xpctest.h — everything a test needs, in one include.
#ifndef XPCTEST_XPCTEST_H
#define XPCTEST_XPCTEST_H

#include <xpc/xpc.h>
#include <xpctest/control.h>
#include <xpctest/diagnostics.h>

#include "xpctest/call_site.h"
#include "xpctest/client.h"
#include "xpctest/deployment.h"
#include "xpctest/fault_sweep.h"
#include "xpctest/faults.h"
#include "xpctest/load.h"
#include "xpctest/matchers.h"
#include "xpctest/mock_service.h"
#include "xpctest/object.h"
#include "xpctest/options.h"
#include "xpctest/printers.h"
#include "xpctest/service.h"
#include "xpctest/test.h"
#include "xpctest/trace_export.h"

#endif  // XPCTEST_XPCTEST_H
