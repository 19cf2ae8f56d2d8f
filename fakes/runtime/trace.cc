#include "runtime/trace.h"

#include <fmt/format.h>

namespace xpctest {

const char* TraceKindName(TraceKind kind) {
  switch (kind) {
    case TraceKind::kProcess: return "process";
    case TraceKind::kConnect: return "connect";
    case TraceKind::kSend: return "send";
    case TraceKind::kDeliver: return "deliver";
    case TraceKind::kReply: return "reply";
    case TraceKind::kError: return "error";
    case TraceKind::kFault: return "fault";
    case TraceKind::kNote: return "note";
  }
  return "?";
}

std::string FormatTraceEntry(const TraceEntry& entry) {
  return fmt::format("+{:.3f}ms [pid {} {}] {}: {}", static_cast<double>(entry.time_ns) / 1e6,
                     entry.pid, entry.process, TraceKindName(entry.kind), entry.text);
}

}  // namespace xpctest

namespace xpctest::fakes::runtime {

void Trace::Append(TraceEntry entry) {
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(entry));
}

std::vector<TraceEntry> Trace::Entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

size_t Trace::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::string Trace::Tail(size_t count) const {
  std::lock_guard lock(mutex_);
  std::string text;
  size_t first = entries_.size() > count ? entries_.size() - count : 0;
  for (size_t i = first; i < entries_.size(); ++i) {
    text += "  " + FormatTraceEntry(entries_[i]) + "\n";
  }
  return text;
}

}  // namespace xpctest::fakes::runtime
