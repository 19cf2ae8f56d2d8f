#include "runtime/process_domain.h"

namespace xpctest::fakes::runtime {

Process* SimulatedProcessOnThisThread() {
  dispatch::Domain* domain = dispatch::CurrentDomainIfSet();
  if (domain == nullptr) return nullptr;
  // The host's domain is a plain dispatch::Domain: not simulated.
  auto* process_domain = dynamic_cast<ProcessDomain*>(domain);
  return process_domain != nullptr ? process_domain->process() : nullptr;
}

}  // namespace xpctest::fakes::runtime
