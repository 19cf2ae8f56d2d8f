#include "runtime/trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "runtime/process.h"

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
    case TraceKind::kLog: return "log";
  }
  return "?";
}

std::string FormatTraceEntry(const TraceEntry& entry) {
  return fmt::format("+{:.3f}ms [pid {} {}] {}: {}", static_cast<double>(entry.time_ns) / 1e6,
                     entry.pid, entry.process, TraceKindName(entry.kind), entry.text);
}

}  // namespace xpctest

namespace xpctest::fakes::runtime {
namespace {

template <typename Integer>
void AppendInteger(std::string& out, Integer value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

// One pass, appending to `out`: this runs for every message sent, delivered
// and answered, so no temporaries per value.
void AppendSummary(std::string& out, xpc_object_t value, int depth) {
  xpc_type_t type = xpc_get_type(value);
  if (type == XPC_TYPE_STRING) {
    out += '"';
    out += xpc_string_get_string_ptr(value);
    out += '"';
  } else if (type == XPC_TYPE_INT64) {
    AppendInteger(out, xpc_int64_get_value(value));
  } else if (type == XPC_TYPE_UINT64) {
    AppendInteger(out, xpc_uint64_get_value(value));
    out += 'u';
  } else if (type == XPC_TYPE_DOUBLE) {
    fmt::format_to(std::back_inserter(out), "{}", xpc_double_get_value(value));
  } else if (type == XPC_TYPE_BOOL) {
    out += xpc_bool_get_value(value) ? "true" : "false";
  } else if (type == XPC_TYPE_DATA) {
    out += '<';
    AppendInteger(out, xpc_data_get_length(value));
    out += " bytes>";
  } else if (type == XPC_TYPE_DICTIONARY || type == XPC_TYPE_ERROR) {
    if (depth > 2) {
      out += "{...}";
      return;
    }
    out += '{';
    std::string* text = &out;
    __block bool first = true;
    xpc_dictionary_apply(value, ^bool(const char* key, xpc_object_t entry) {
      *text += first ? " " : ", ";
      *text += key;
      *text += " = ";
      AppendSummary(*text, entry, depth + 1);
      first = false;
      return true;
    });
    out += first ? "}" : " }";
  } else if (type == XPC_TYPE_ARRAY) {
    if (depth > 2) {
      out += "[...]";
      return;
    }
    out += '[';
    std::string* text = &out;
    xpc_array_apply(value, ^bool(size_t index, xpc_object_t entry) {
      if (index != 0) *text += ", ";
      AppendSummary(*text, entry, depth + 1);
      return true;
    });
    out += ']';
  } else {
    out += '<';
    out += xpc_type_get_name(type);
    out += '>';
  }
}

}  // namespace

size_t TraceText::HeapBytes() const {
  if (literal_ != nullptr || shared_ == nullptr) return 0;
  // make_shared's one block (control block and string), plus the string's
  // own buffer when it is not short; divided among the entries sharing it.
  constexpr size_t kControlBlock = 16;
  size_t bytes = kControlBlock + sizeof(std::string);
  if (shared_->capacity() > 15) bytes += shared_->capacity() + 1;
  long owners = shared_.use_count();
  return owners > 1 ? bytes / static_cast<size_t>(owners) : bytes;
}

std::string SummarizeMessage(xpc_object_t message) {
  std::string text;
  text.reserve(128);
  AppendSummary(text, message, 0);
  return text;
}

Trace::Trace(size_t capacity) : capacity_(capacity) {}

void Trace::Append(uint64_t time_ns, TraceKind kind, const Process& process, TraceText text,
                   TraceSubject subject) {
  std::lock_guard lock(mutex_);
  if (capacity_ == 0) {
    ++dropped_;
    return;
  }
  const std::string* name = subject.role != nullptr ? Intern(subject.name) : nullptr;
  const std::string* label = !subject.label.empty() ? Intern(subject.label) : nullptr;
  Slot slot{time_ns, kind,  process.pid(), &process, subject.role, name, std::move(text),
            label,   subject.peer_pid};
  if (slots_.size() < capacity_) {
    // Grow by doubling, but never past the capacity (no slack beyond it).
    if (slots_.size() == slots_.capacity()) {
      slots_.reserve(std::min(capacity_, std::max<size_t>(64, slots_.capacity() * 2)));
    }
    slots_.push_back(std::move(slot));
    return;
  }
  slots_[next_] = std::move(slot);
  next_ = (next_ + 1) % capacity_;
  ++dropped_;
}

const std::string* Trace::Intern(std::string_view text) {
  auto it = names_.find(text);
  if (it == names_.end()) it = names_.emplace(text).first;
  return &*it;
}

const Trace::Slot& Trace::At(size_t index) const {
  return slots_[(next_ + index) % slots_.size()];
}

TraceEntry Trace::Format(const Slot& slot) const {
  TraceEntry entry{slot.time_ns, slot.kind, slot.pid, slot.process->name(), std::string()};
  entry.peer_pid = slot.peer_pid;
  if (slot.label != nullptr) entry.label = *slot.label;
  std::string_view text = slot.text.view();
  if (slot.role == nullptr) {
    entry.text = text;
    return entry;
  }
  std::string_view name = slot.name->empty() ? "(anonymous)" : std::string_view(*slot.name);
  entry.connection.reserve(std::char_traits<char>::length(slot.role) + name.size() + 1);
  entry.connection += slot.role;
  entry.connection += ' ';
  entry.connection += name;
  entry.text.reserve(entry.connection.size() + text.size() + 2);
  entry.text += entry.connection;
  entry.text += ": ";
  entry.text += text;
  return entry;
}

TraceEntry Trace::DropNote() const {
  uint64_t time_ns = slots_.empty() ? 0 : At(0).time_ns;
  return TraceEntry{time_ns, TraceKind::kNote, 0, "xpctest",
                    fmt::format("{} earlier {} dropped (the trace keeps the last {}; "
                                "WorldOptions::trace_capacity)",
                                dropped_, dropped_ == 1 ? "entry" : "entries", capacity_)};
}

std::vector<TraceEntry> Trace::Entries() const {
  std::lock_guard lock(mutex_);
  std::vector<TraceEntry> entries;
  entries.reserve(slots_.size() + (dropped_ > 0 ? 1 : 0));
  if (dropped_ > 0) entries.push_back(DropNote());
  for (size_t i = 0; i < slots_.size(); ++i) entries.push_back(Format(At(i)));
  return entries;
}

size_t Trace::size() const {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

uint64_t Trace::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

size_t Trace::ApproximateBytes() const {
  std::lock_guard lock(mutex_);
  size_t bytes = slots_.capacity() * sizeof(Slot);
  for (const Slot& slot : slots_) bytes += slot.text.HeapBytes();
  return bytes;
}

std::string Trace::Tail(size_t count) const {
  std::lock_guard lock(mutex_);
  std::string text;
  size_t first = slots_.size() > count ? slots_.size() - count : 0;
  if (first == 0 && dropped_ > 0) text += "  " + FormatTraceEntry(DropNote()) + "\n";
  for (size_t i = first; i < slots_.size(); ++i) {
    text += "  " + FormatTraceEntry(Format(At(i))) + "\n";
  }
  return text;
}

}  // namespace xpctest::fakes::runtime
