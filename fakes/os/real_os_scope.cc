// real_os::ScopedRealOs: code in its scope runs as no domain at all, so the
// interposers (credentials.cc, clock.cc, sleep.cc) see no simulated process
// and answer with the real machine.
#include <xpctest/real_os.h>

#include "dispatch/domain_internal.h"

namespace xpctest::real_os {

ScopedRealOs::ScopedRealOs() noexcept
    : interrupted_(fakes::dispatch::ExchangeCurrentDomain(nullptr)) {}

ScopedRealOs::~ScopedRealOs() {
  fakes::dispatch::ExchangeCurrentDomain(static_cast<fakes::dispatch::Domain*>(interrupted_));
}

}  // namespace xpctest::real_os
