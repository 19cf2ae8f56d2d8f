// xpctest/trace_export.h — a world's trace as a picture.
#ifndef XPCTEST_TRACE_EXPORT_H
#define XPCTEST_TRACE_EXPORT_H

#include <xpctest/trace.h>

#include <string>
#include <vector>

namespace xpctest {

// A Mermaid sequenceDiagram with one participant per process: sends, replies,
// errors and process events in order, with their times.
std::string MermaidSequenceDiagram(const std::vector<TraceEntry>& trace);

}  // namespace xpctest

#endif  // XPCTEST_TRACE_EXPORT_H
