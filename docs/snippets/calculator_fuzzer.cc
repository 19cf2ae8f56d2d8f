// docs/fuzzing.md: the calculator example under libFuzzer. Each input is a
// few hostile messages for a fresh calculator; a crash, misuse, deadlock,
// leak or missing reply stops the run and prints the messages as a test.
#include <xpctest/fuzz.h>

extern "C" {
#include "calculator_service.h"
}

XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Serve(calculator_handle_peer, {
    .words = {"op", "a", "b", "delay_ms", "add", "sub", "mul", "div"},
    .seeds = {xpctest::Dict{{"op", "add"}, {"a", 2}, {"b", 3}}},
}))
