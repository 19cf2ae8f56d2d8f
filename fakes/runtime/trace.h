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

namespace xpctest::fakes::runtime {

enum class TraceKind {
  kProcess,  // spawned, crashed, exited, hung, resumed
  kConnect,  // a connection activated, a peer created
  kSend,     // a message left its sender
  kDeliver,  // a message reached an event handler
  kReply,    // a reply reached its reply handler
  kError,    // an error event was delivered
  kFault,    // an injected fault took effect
  kNote,     // anything else worth a line
};

const char* TraceKindName(TraceKind kind);

struct TraceEntry {
  uint64_t time_ns;     // executor clock
  TraceKind kind;
  pid_t pid;            // the process the entry is about
  std::string process;  // its name
  std::string text;     // "client -> com.example.calc: { op = add }"
};

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

std::string FormatTraceEntry(const TraceEntry& entry);

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_TRACE_H
