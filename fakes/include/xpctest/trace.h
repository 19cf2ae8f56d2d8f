// xpctest/trace.h — one line of what happened in a world.
//
// Every send, delivery, reply, error, launch, crash and applied fault becomes
// one entry, stamped with the executor's clock relative to the world's start
// (virtual on the deterministic executor). The same seed gives the same trace.
// A world keeps its last WorldOptions::trace_capacity entries (default 10,000)
// and drops older ones; its trace then starts with a kNote entry (pid 0,
// process "xpctest") saying how many were dropped.
#ifndef XPCTEST_TRACE_H
#define XPCTEST_TRACE_H

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace xpctest {

enum class TraceKind {
  kProcess,  // spawned, crashed, exited, hung, resumed
  kConnect,  // a connection activated, a peer created
  kSend,     // a message left its sender
  kDeliver,  // a message reached an event handler
  kReply,    // a reply reached its reply handler
  kError,    // an error event was delivered
  kFault,    // an injected fault took effect
  kNote,     // anything else worth a line
  kLog,      // a process wrote to os_log (<os/log.h>)
};

const char* TraceKindName(TraceKind kind);

struct TraceEntry {
  uint64_t time_ns;     // since the world started
  TraceKind kind;
  pid_t pid;            // the process the entry is about
  std::string process;  // its name
  std::string text;     // "client com.example.calc: { op = "add" }"
  // The connection the entry is about, as `text` starts with it
  // ("client vault-1 (com.example.calc)"); empty for process entries.
  std::string connection;
  // The label a test gave that connection (or its client's, for a peer;
  // control::LabelConnection); empty when none.
  std::string label;
  // The process at the other end: the connection's remote process, or a
  // fault's receiver; 0 when there is none yet.
  pid_t peer_pid = 0;
};

// "+12.000ms [pid 1001 calc] send: client com.example.calc: { op = "add" }"
std::string FormatTraceEntry(const TraceEntry& entry);

}  // namespace xpctest

#endif  // XPCTEST_TRACE_H
