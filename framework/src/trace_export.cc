#include "xpctest/trace_export.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace xpctest {
namespace {

std::string Participant(pid_t pid) { return "p" + std::to_string(pid); }

// Mermaid message text may not contain ';' or '#' (its entity escapes), and
// '<' '>' would be read as HTML.
std::string Clean(std::string text) {
  for (char& c : text) {
    if (c == ';' || c == '#' || c == '\n') c = ' ';
    if (c == '<') c = '(';
    if (c == '>') c = ')';
  }
  return text;
}

// "+12.500ms "
std::string When(const TraceEntry& entry) {
  char text[32];
  std::snprintf(text, sizeof text, "+%.3fms ", static_cast<double>(entry.time_ns) / 1e6);
  return text;
}

// What the entry says; a labelled connection goes by its label alone:
// "vault-1: { op = "get" }" rather than "client vault-1 (com.example.vault): ...".
std::string What(const TraceEntry& entry) {
  std::string what = entry.text;
  if (!entry.label.empty() && what.rfind(entry.connection + ": ", 0) == 0) {
    what = entry.label + ": " + what.substr(entry.connection.size() + 2);
  }
  return Clean(what);
}

// The arrow an entry draws from its peer, or null for a note: messages
// arrive (solid), replies come back (dashed), errors are caused by the other
// end (dashed, crossed), faults hit the message on its way (crossed).
const char* Arrow(const TraceEntry& entry) {
  if (entry.peer_pid == 0 || entry.peer_pid == entry.pid) return nullptr;
  switch (entry.kind) {
    case TraceKind::kDeliver: return "->>";
    case TraceKind::kReply: return "-->>";
    case TraceKind::kError: return "--x";
    case TraceKind::kFault: return "-x";
    default: return nullptr;
  }
}

}  // namespace

std::string MermaidSequenceDiagram(const std::vector<TraceEntry>& trace) {
  std::ostringstream out;
  out << "sequenceDiagram\n";
  // Participants are processes, in order of appearance, each with the labels
  // of the clients it holds.
  std::vector<pid_t> order;
  std::map<pid_t, std::string> names;
  std::map<pid_t, std::set<std::string>> labels;
  for (const TraceEntry& entry : trace) {
    if (entry.pid == 0) continue;  // the trace's own notes (entries dropped)
    if (names.emplace(entry.pid, entry.process).second) order.push_back(entry.pid);
    bool client = entry.connection.rfind("client ", 0) == 0 ||
                  entry.connection.rfind("endpoint-client ", 0) == 0;
    if (client && !entry.label.empty()) labels[entry.pid].insert(entry.label);
  }
  for (pid_t pid : order) {
    out << "  participant " << Participant(pid) << " as " << Clean(names[pid]) << " (" << pid
        << ")";
    for (const std::string& label : labels[pid]) {
      out << (label == *labels[pid].begin() ? "<br/>" : ", ") << Clean(label);
    }
    out << "\n";
  }
  for (const TraceEntry& entry : trace) {
    // A message's sending is shown by its arrival; a message that never
    // arrived shows as the fault or the end of a process that lost it.
    if (entry.kind == TraceKind::kSend) continue;
    if (entry.pid == 0) {
      if (!order.empty()) {
        out << "  Note over " << Participant(order.front()) << ": " << Clean(entry.text) << "\n";
      }
      continue;
    }
    std::string text = When(entry) + (entry.kind == TraceKind::kDeliver
                                          ? ""
                                          : std::string(TraceKindName(entry.kind)) + ": ") +
                       What(entry);
    if (const char* arrow = Arrow(entry); arrow != nullptr && names.count(entry.peer_pid) != 0) {
      // A fault is recorded by the sender about its receiver; the others by
      // the receiving end about where it came from.
      bool outward = entry.kind == TraceKind::kFault;
      out << "  " << Participant(outward ? entry.pid : entry.peer_pid) << arrow
          << Participant(outward ? entry.peer_pid : entry.pid) << ": " << text << "\n";
    } else {
      out << "  Note over " << Participant(entry.pid) << ": " << text << "\n";
    }
  }
  return out.str();
}

}  // namespace xpctest
