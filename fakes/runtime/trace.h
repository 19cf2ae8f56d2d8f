// runtime/trace.h — the world's log of what happened: its last N entries.
//
// Every send, delivery, reply, error, launch, crash and applied fault becomes
// one entry, stamped with the executor's clock (virtual on the deterministic
// executor). Printed when a test fails; the same seed gives the same trace.
//
//   world.Record(TraceKind::kProcess, process, "hung");              // a literal: kept as a pointer
//   world.Record(TraceKind::kSend, process, SummarizeMessage(message),
//                {"client", "com.example.calc"});                   // about one connection
//   world.trace().Tail(20);  // "  +12.000ms [pid 1001 calc] send: client com.example.calc: { ... }"
//
// Recording sits on every message's path, so an entry is kept as its parts and
// becomes a TraceEntry (text) only when read (Entries, Tail): the time, kind
// and pid; the process by pointer (processes live as long as their world, and
// the trace is read through the world); the connection's role (a literal) and
// name (interned: one copy per distinct name); and what happened, as a literal
// or as text the caller made. A message's text is captured when the entry is
// recorded (SummarizeMessage, a single pass without fmt), not read from the
// message later: a receiver may change the dictionary it was given, and on the
// threaded executor may do so while another thread reads the trace, so a later
// read would be wrong, and racy.
//
// Bounded: the trace keeps the last `capacity` entries (WorldOptions::
// trace_capacity, default kDefaultTraceCapacity) in a ring and counts the
// older ones it dropped. Entries() then starts with a note saying how many
// were dropped, and Tail() ends its look back with the same line.
//
// Thread safety: every method may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_TRACE_H
#define XPCTEST_FAKES_RUNTIME_TRACE_H

#include <sys/types.h>
#include <xpc/xpc.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xpctest/trace.h>

namespace xpctest::fakes::runtime {

using xpctest::FormatTraceEntry;
using xpctest::TraceEntry;
using xpctest::TraceKind;
using xpctest::TraceKindName;

class Process;

// How many entries a world's trace keeps unless WorldOptions says otherwise:
// about 1 MB of entries, far more than a failure report prints.
inline constexpr size_t kDefaultTraceCapacity = 10000;

// Text several entries share: a message's summary is made once when it is
// sent and shared by its send and delivery entries (and by the reply route
// that names the request in warnings).
using SharedText = std::shared_ptr<const std::string>;

// What an entry says: a literal (stored as a pointer, never copied), text the
// caller formatted (moved in), or text shared with other entries. Only string
// literals and TraceText::Literal take the first form, so a pointer into a
// temporary cannot slip in.
class TraceText {
 public:
  template <size_t N>
  TraceText(const char (&literal)[N]) : literal_(literal) {}  // NOLINT: implicit on purpose
  TraceText(std::string text)                                 // NOLINT: implicit on purpose
      : shared_(std::make_shared<const std::string>(std::move(text))) {}
  TraceText(SharedText text) : shared_(std::move(text)) {}   // NOLINT: implicit on purpose
  // `text` must live as long as the program (a literal chosen at run time).
  static TraceText Literal(const char* text) {
    TraceText result{SharedText()};
    result.literal_ = text;
    return result;
  }

  std::string_view view() const {
    if (literal_ != nullptr) return literal_;
    return shared_ != nullptr ? std::string_view(*shared_) : std::string_view();
  }
  // This entry's share of the heap bytes behind the text (0 for a literal).
  size_t HeapBytes() const;

 private:
  const char* literal_ = nullptr;
  SharedText shared_;
};

// Which connection of the process an entry is about; printed before the text
// as "client com.example.calc: ". No role: the entry is about the process.
struct TraceSubject {
  const char* role = nullptr;  // a literal: "client", "peer", "listener", ...
  std::string_view name;       // copied (interned); empty prints "(anonymous)"
  // The connection's label (TraceEntry::label); copied (interned) when set.
  std::string_view label;
  // The process at the other end (TraceEntry::peer_pid); 0: none. Also
  // meaningful without a role (a fault's receiver).
  pid_t peer_pid = 0;
};

// A message as the trace shows it: { op = "add", a = 2, payload = <80 bytes> },
// nested containers to depth 2. Same text as xpc::DescribeMessage.
std::string SummarizeMessage(xpc_object_t message);

class Trace {
 public:
  explicit Trace(size_t capacity = kDefaultTraceCapacity);
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Keeps one entry, dropping the oldest when `capacity` are kept.
  void Append(uint64_t time_ns, TraceKind kind, const Process& process, TraceText text,
              TraceSubject subject = {});
  // The kept entries, oldest first; when some were dropped, a kNote entry
  // (pid 0, process "xpctest") saying how many comes first.
  std::vector<TraceEntry> Entries() const;
  // The last `count` entries as "  +12.000ms [pid 1001 calc] send: ..." lines,
  // preceded by the drop note when they reach back to the oldest kept entry.
  std::string Tail(size_t count) const;
  // Entries kept (at most capacity()).
  size_t size() const;
  // Entries dropped to stay within capacity().
  uint64_t dropped() const;
  size_t capacity() const { return capacity_; }
  // Heap bytes held by the kept entries and the ring (not the interned names).
  size_t ApproximateBytes() const;

 private:
  struct Slot {
    uint64_t time_ns = 0;
    TraceKind kind = TraceKind::kNote;
    pid_t pid = 0;
    const Process* process = nullptr;
    const char* role = nullptr;
    const std::string* name = nullptr;  // interned in names_
    TraceText text{SharedText()};
    const std::string* label = nullptr;  // interned in names_; null: none
    pid_t peer_pid = 0;
  };

  TraceEntry Format(const Slot& slot) const;
  // The interned copy of `text`; call with mutex_ held.
  const std::string* Intern(std::string_view text);
  TraceEntry DropNote() const;
  // The kept slot `index` places after the oldest.
  const Slot& At(size_t index) const;

  const size_t capacity_;
  mutable std::mutex mutex_;
  // Grows to capacity_, then is a ring whose oldest slot is next_.
  std::vector<Slot> slots_;
  size_t next_ = 0;
  uint64_t dropped_ = 0;
  std::set<std::string, std::less<>> names_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_TRACE_H
