#include "xpctest/trace_export.h"

#include <map>
#include <sstream>

namespace xpctest {
namespace {

std::string Participant(const TraceEntry& entry) {
  return "p" + std::to_string(entry.pid);
}

// Mermaid message text may not contain ';' or '#'.
std::string Clean(std::string text) {
  for (char& c : text) {
    if (c == ';' || c == '#' || c == '\n') c = ' ';
  }
  return text;
}

}  // namespace

std::string MermaidSequenceDiagram(const std::vector<TraceEntry>& trace) {
  std::ostringstream out;
  out << "sequenceDiagram\n";
  std::map<pid_t, std::string> participants;
  for (const TraceEntry& entry : trace) {
    if (participants.emplace(entry.pid, entry.process).second) {
      out << "  participant " << Participant(entry) << " as " << Clean(entry.process) << " ("
          << entry.pid << ")\n";
    }
  }
  for (const TraceEntry& entry : trace) {
    double ms = static_cast<double>(entry.time_ns) / 1e6;
    std::ostringstream when;
    when.precision(3);
    when << std::fixed << "+" << ms << "ms ";
    out << "  Note over " << Participant(entry) << ": " << when.str() << TraceKindName(entry.kind)
        << ": " << Clean(entry.text) << "\n";
  }
  return out.str();
}

}  // namespace xpctest
