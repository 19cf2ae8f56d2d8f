// stats_service.h — a small statistics service with a bug planted in it, for
// the fuzzing example (README.md).
//
// Requests are dictionaries sent with a reply handler:
//
//   { "op": "sum",  "values": [int64, ...] }                -> { "result": int64 }
//   { "op": "pick", "values": [...], "index": int64 }       -> { "result": values[index] }
//
// A request the service cannot answer (a missing or mistyped key, an unknown
// op, an overflow, an index out of range) gets { "error": "<why>" }.
//
// The planted bug: "pick" accepts an index equal to the count, one too far,
// and reads past the end of the array (S27), which libxpc aborts on and
// xpctest reports as XPC API misuse.
//
// Hand each new peer to stats_handle_peer, from any listener (TN3113).
#ifndef STATS_SERVICE_H
#define STATS_SERVICE_H

#include <xpc/xpc.h>

// Accepts `peer`: sets its event handler and activates it.
void stats_handle_peer(xpc_connection_t peer);

#endif  // STATS_SERVICE_H
