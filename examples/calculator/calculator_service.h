// calculator_service.h — the calculator's peer handler.
//
// Requests are dictionaries { "op": "add" | "sub" | "mul" | "div",
// "a": int64, "b": int64 }, sent with a reply handler. The reply is
// { "result": int64 } or, for a request the calculator cannot answer,
// { "error": "<why>" } — a bad request never takes the service down.
//
// An optional "delay_ms": int64 makes the service take that long before it
// answers (simulated work; the answer is computed when the time is up); more
// than CALCULATOR_MAX_DELAY_MS is an error.
//
// Hand each new peer to calculator_handle_peer, from an xpc_main() handler,
// a Mach-service listener or an anonymous listener (TN3113).
#ifndef CALCULATOR_SERVICE_H
#define CALCULATOR_SERVICE_H

#include <xpc/xpc.h>

#define CALCULATOR_MACH_SERVICE "com.example.calculator"
// The longest "delay_ms" a request may ask for: a minute.
#define CALCULATOR_MAX_DELAY_MS 60000

// Accepts `peer`: sets its event handler and activates it.
void calculator_handle_peer(xpc_connection_t peer);

#endif  // CALCULATOR_SERVICE_H
