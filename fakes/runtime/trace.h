// runtime/trace.h — the world's append-only log of what happened.
//
// Every send, delivery, reply, error, launch, crash and applied fault becomes
// one entry, stamped with the executor's clock (virtual on the deterministic
// executor). Printed when a test fails; the same seed gives the same trace.
//
// Thread safety: Append and Entries may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_TRACE_H
#define XPCTEST_FAKES_RUNTIME_TRACE_H

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <xpctest/trace.h>

namespace xpctest::fakes::runtime {

using xpctest::FormatTraceEntry;
using xpctest::TraceEntry;
using xpctest::TraceKind;
using xpctest::TraceKindName;

class Trace {
 public:
  void Append(TraceEntry entry);
  std::vector<TraceEntry> Entries() const;
  // The last `count` entries as "  +12.000ms [pid 1001 calc] send: ..." lines.
  std::string Tail(size_t count) const;
  size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<TraceEntry> entries_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_TRACE_H
