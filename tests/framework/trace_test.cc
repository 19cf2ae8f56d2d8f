// The trace is kept as parts and formatted when read; it keeps its last N
// entries (WorldOptions::trace_capacity) and says how many it dropped
// (runtime/trace.h).
#include <sstream>
#include <string>
#include <vector>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Lines(const std::vector<TraceEntry>& trace) {
  std::vector<std::string> lines;
  for (const TraceEntry& entry : trace) lines.push_back(FormatTraceEntry(entry));
  return lines;
}

// The entries of `kind` whose text contains `text`.
std::vector<TraceEntry> EntriesWith(const std::vector<TraceEntry>& trace, TraceKind kind,
                                    const std::string& text) {
  std::vector<TraceEntry> found;
  for (const TraceEntry& entry : trace) {
    if (entry.kind == kind && entry.text.find(text) != std::string::npos) found.push_back(entry);
  }
  return found;
}

TEST(TraceBound, TheTraceKeepsItsLastEntriesAndSaysHowManyItDropped) {
  control::World world({.executor = control::ExecutorKind::kDeterministic, .trace_capacity = 5});
  std::vector<pid_t> pids;
  for (int i = 0; i < 12; ++i) pids.push_back(world.Spawn("p" + std::to_string(i)).pid());
  // Twelve "spawned" entries (the host has none): 5 kept, 7 dropped.
  std::vector<TraceEntry> trace = world.Trace();
  ASSERT_EQ(trace.size(), 6u) << ::testing::PrintToString(Lines(trace));
  EXPECT_EQ(trace[0].kind, TraceKind::kNote);
  EXPECT_THAT(trace[0].text, HasSubstr("7 earlier entries dropped"));
  EXPECT_THAT(trace[0].text, HasSubstr("keeps the last 5"));
  EXPECT_EQ(trace[0].time_ns, trace[1].time_ns) << "the note sits where the kept entries start";
  for (size_t i = 1; i < trace.size(); ++i) {
    EXPECT_EQ(trace[i].pid, pids[6 + i]) << "oldest kept first: " << FormatTraceEntry(trace[i]);
    EXPECT_EQ(trace[i].process, "p" + std::to_string(6 + i));
    EXPECT_EQ(trace[i].text, "spawned");
  }
  EXPECT_THAT(world.TraceTail(100), HasSubstr("7 earlier entries dropped"))
      << "a tail reaching back to the oldest kept entry says what is missing";
  EXPECT_THAT(world.TraceTail(2), Not(HasSubstr("dropped")));
  EXPECT_THAT(world.TraceTail(2), HasSubstr("[pid " + std::to_string(pids[11]) + " p11] process: spawned"));
}

TEST(TraceBound, ACapacityOfZeroKeepsNothingButTheCount) {
  control::World world({.executor = control::ExecutorKind::kDeterministic, .trace_capacity = 0});
  world.Spawn("quiet");
  std::vector<TraceEntry> trace = world.Trace();
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_THAT(trace[0].text, HasSubstr("1 earlier entry dropped"));
}

TEST(TraceBound, TheDefaultCapacityIsTenThousand) {
  EXPECT_EQ(control::WorldOptions{}.trace_capacity, 10000u);
}

// A service that overwrites what it received before answering: allowed, since
// the received dictionary is the receiver's own copy (S49).
void ScribblingHandlePeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_dictionary_set_string(message, "op", "scribbled");
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    xpc_dictionary_set_int64(reply, "sum", 3);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

class TraceTest : public xpctest::Test {};

// Message entries are captured when recorded, so they show the message as it
// travelled: the sender's later release and the receiver's later changes do
// not reach the trace.
TEST_F(TraceTest, AMessageEntryShowsTheMessageAsItTravelled) {
  Service scribbler = Serve("scribbler", ScribblingHandlePeer);
  Client client = Connect(scribbler);
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}}), HasInt64("sum", 3));
  RunUntilIdle();
  std::vector<TraceEntry> trace = world().Trace();
  std::vector<TraceEntry> sent = EntriesWith(trace, TraceKind::kSend, "op = \"add\"");
  ASSERT_EQ(sent.size(), 1u) << ::testing::PrintToString(Lines(trace));
  EXPECT_EQ(sent[0].pid, getpid());
  EXPECT_THAT(sent[0].text, HasSubstr(": { a = 1, b = 2, op = \"add\" }"));
  std::vector<TraceEntry> delivered = EntriesWith(trace, TraceKind::kDeliver, "op = \"add\"");
  ASSERT_EQ(delivered.size(), 1u) << ::testing::PrintToString(Lines(trace));
  EXPECT_EQ(delivered[0].pid, scribbler.process().pid());
  EXPECT_THAT(delivered[0].text, HasSubstr("peer "));
  EXPECT_THAT(Lines(trace), Each(Not(HasSubstr("scribbled"))));
  EXPECT_EQ(EntriesWith(trace, TraceKind::kReply, "{ sum = 3 }").size(), 1u);
}

// Entries about a connection name it by role and name, after its process.
TEST_F(TraceTest, ConnectionEntriesNameTheConnection) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.traced"});
  Client client = ConnectTo("com.example.traced");
  client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}});
  std::vector<TraceEntry> trace = world().Trace();
  EXPECT_EQ(EntriesWith(trace, TraceKind::kSend, "client com.example.traced: { a = 1").size(), 1u)
      << ::testing::PrintToString(Lines(trace));
  EXPECT_EQ(EntriesWith(trace, TraceKind::kSend, "peer com.example.traced: { sum = 3 }").size(), 1u)
      << ::testing::PrintToString(Lines(trace));
}


// A label names the client in the trace, and the peer its service made for
// it, so a test with several clients can tell them apart.
TEST_F(TraceTest, ALabelledClientIsNamedByItsLabelInTheTrace) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.labelled"});
  Client vault = ConnectTo("com.example.labelled", "vault-1");
  Client other = ConnectTo("com.example.labelled");
  EXPECT_EQ(vault.label(), "vault-1");
  vault.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}});
  other.SendSync(Dict{{"op", "add"}, {"a", 5}, {"b", 5}});
  std::vector<TraceEntry> trace = world().Trace();
  std::vector<TraceEntry> sent =
      EntriesWith(trace, TraceKind::kSend, "client vault-1 (com.example.labelled): { a = 1");
  ASSERT_EQ(sent.size(), 1u) << ::testing::PrintToString(Lines(trace));
  EXPECT_EQ(sent[0].label, "vault-1");
  EXPECT_EQ(sent[0].connection, "client vault-1 (com.example.labelled)");
  EXPECT_EQ(sent[0].peer_pid, adder.process().pid());
  std::vector<TraceEntry> delivered =
      EntriesWith(trace, TraceKind::kDeliver, "peer vault-1 (com.example.labelled): { a = 1");
  ASSERT_EQ(delivered.size(), 1u) << ::testing::PrintToString(Lines(trace));
  EXPECT_EQ(delivered[0].peer_pid, getpid());
  EXPECT_EQ(EntriesWith(trace, TraceKind::kSend, "client com.example.labelled: { a = 5").size(), 1u)
      << "an unlabelled client keeps its service's name";
}

TEST_F(TraceTest, AConnectionCanBeLabelledOnlyBeforeItIsActivated) {
  Service adder = Serve("adder", AdderHandlePeer);
  Client client = Connect(adder);
  EXPECT_FALSE(control::LabelConnection(client.connection(), "too-late"));
  xpc_object_t number = xpc_int64_create(1);
  EXPECT_FALSE(control::LabelConnection(static_cast<xpc_connection_t>(number), "not-a-connection"));
  xpc_release(number);
}

// The diagram's lines for one entry kind, between two processes.
std::vector<std::string> DiagramLines(const std::string& diagram, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream in(diagram);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  " + prefix, 0) == 0) lines.push_back(line);
  }
  return lines;
}

std::string P(pid_t pid) { return "p" + std::to_string(pid); }

// Messages, replies and errors are arrows between the processes; faults cross
// the message out; the participants are processes, with their clients' labels.
TEST_F(TraceTest, TheDiagramDrawsMessagesRepliesErrorsAndFaultsAsArrows) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.drawn"});
  Faults(world()).On(RequestsTo("com.example.drawn").Matching(HasString("op", "lose"))).Drop();
  Client vault = ConnectTo("com.example.drawn", "vault-1");
  vault.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}});
  vault.Send(Dict{{"op", "lose"}});
  RunUntilIdle();
  adder.Crash();
  EXPECT_THAT(vault.NextEvent(), IsInterrupted());
  std::string diagram = MermaidSequenceDiagram(world().Trace());
  std::string host = P(getpid());
  std::string service = P(adder.process().pid());

  EXPECT_THAT(diagram, HasSubstr("  participant " + host + " as host (" +
                                 std::to_string(getpid()) + ")<br/>vault-1\n"));
  EXPECT_THAT(diagram, HasSubstr("  participant " + service + " as adder (" +
                                 std::to_string(adder.process().pid()) + ")\n"));
  EXPECT_THAT(DiagramLines(diagram, host + "->>" + service + ": "),
              ElementsAre(HasSubstr("vault-1: { a = 1, b = 2, op = \"add\" }")));
  EXPECT_THAT(DiagramLines(diagram, service + "-->>" + host + ": "),
              ElementsAre(HasSubstr("reply: vault-1: { sum = 3 }")));
  EXPECT_THAT(DiagramLines(diagram, host + "-x" + service + ": "),
              ElementsAre(HasSubstr("fault: drop request of")));
  EXPECT_THAT(DiagramLines(diagram, service + "--x" + host + ": "),
              ElementsAre(HasSubstr("error: vault-1: Connection interrupted")));
  EXPECT_THAT(DiagramLines(diagram, "Note over " + service + ": "),
              Contains(HasSubstr("process: crashed")));
  EXPECT_THAT(DiagramLines(diagram, "Note over "), Each(Not(HasSubstr("op = \"add\""))))
      << "a message that arrived is an arrow, not a note";
}

}  // namespace
}  // namespace xpctest::testing
