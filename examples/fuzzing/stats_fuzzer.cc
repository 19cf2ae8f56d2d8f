// The stats service under libFuzzer: every input is a few messages, sent to
// a fresh copy of the service; what a test would fail on is a finding.
#include <xpctest/fuzz.h>

extern "C" {
#include "stats_service.h"
}

XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Serve(stats_handle_peer, {
    .words = {"op", "values", "index", "sum", "pick"},
    // One real request of each kind.
    .seeds = {xpctest::Dict{{"op", "sum"}, {"values", xpctest::Array{1, 2, 3}}},
              xpctest::Dict{{"op", "pick"}, {"values", xpctest::Array{"a", "b"}}, {"index", 0}}},
}))
