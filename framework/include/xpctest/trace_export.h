// xpctest/trace_export.h — a world's trace as a picture.
//
//   std::string diagram = xpctest::MermaidSequenceDiagram(world().Trace());
//   // "sequenceDiagram\n  participant p4242 as host (4242)<br/>vault-1 ..."
#ifndef XPCTEST_TRACE_EXPORT_H
#define XPCTEST_TRACE_EXPORT_H

#include <xpctest/trace.h>

#include <string>
#include <vector>

namespace xpctest {

// A Mermaid sequenceDiagram of the trace, in order, with times: one
// participant per process (titled with the labels of the clients it holds,
// control::LabelConnection), and
//   - a solid arrow for each message that arrived, from sender to receiver;
//   - a dashed arrow for each reply that arrived;
//   - a dashed, crossed arrow for each error, from the end that caused it;
//   - a crossed arrow for each fault rule applied, from sender to receiver;
//   - notes for process events, connections and everything else.
// A message is drawn when it arrives: one lost on the way shows as the fault
// or the process end that lost it. --xpctest_trace writes one per test.
std::string MermaidSequenceDiagram(const std::vector<TraceEntry>& trace);

}  // namespace xpctest

#endif  // XPCTEST_TRACE_EXPORT_H
