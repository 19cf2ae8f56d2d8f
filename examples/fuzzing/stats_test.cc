// The stats service's tests, and the regression test the fuzzer's finding
// became: its message pasted as printed (README.md).
#include "xpctest/xpctest.h"

extern "C" {
#include "stats_service.h"
}

namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using xpctest::Array;
using xpctest::Dict;
using xpctest::HasInt64;
using xpctest::HasString;

class StatsTest : public xpctest::Test {};

TEST_F(StatsTest, SumsTheValues) {
  xpctest::Service service = Serve("stats", stats_handle_peer);
  xpctest::Client client = Connect(service);
  EXPECT_THAT(client.SendSync(Dict{{"op", "sum"}, {"values", Array{1, 2, 3}}}),
              HasInt64("result", 6));
}

TEST_F(StatsTest, PicksAValueByIndex) {
  xpctest::Service service = Serve("stats", stats_handle_peer);
  xpctest::Client client = Connect(service);
  EXPECT_THAT(client.SendSync(Dict{{"op", "pick"}, {"values", Array{"a", "b"}}, {"index", 1}}),
              HasString("result", "b"));
}

TEST_F(StatsTest, AnswersBadRequestsWithAnError) {
  xpctest::Service service = Serve("stats", stats_handle_peer);
  xpctest::Client client = Connect(service);
  EXPECT_THAT(client.SendSync(Dict{{"op", "sum"}}), HasString("error", "missing array \"values\""));
  EXPECT_THAT(client.SendSync(Dict{{"op", "sum"}, {"values", Array{INT64_MAX, 1}}}),
              HasString("error", "overflow"));
  EXPECT_THAT(client.SendSync(Dict{{"op", "pick"}, {"values", Array{}}, {"index", -1}}),
              HasString("error", "\"index\" out of range"));
}

// What the fuzzer found (README.md), its message pasted as it printed it: a
// pick at index == count reads past the end of the array (S27). The bug is
// planted and stays, so this test expects the misuse; with the check fixed
// (`>=`), the reply would be { "error": "\"index\" out of range" }.
TEST_F(StatsTest, TheFuzzersMessageReadsPastTheEnd) {
  ExpectMisuse("out of bounds");
  xpctest::Service service = Serve("fuzzed-service", stats_handle_peer);
  xpctest::Client client = Connect(service);
  client.SendSync(xpctest::Dict{{"values", xpctest::Array{xpctest::Null(), false}}, {"op", "pick"}, {"index", 2}});
  EXPECT_THAT(Diagnostics(), Contains(Field(&xpctest::Diagnostic::headline,
                                            HasSubstr("Index 2 is out of bounds"))));
}
}  // namespace
