// files_service.h — a tiny in-memory file store behind an xpc_listener
// (the macOS 14 session API: S116–S135).
//
// Clients open a session to FILES_MACH_SERVICE and send dictionaries with a
// reply handler:
//
//   { "op": "write", "name": <string>, "data": <data> } -> { "name": <string>, "size": <int64> }
//   { "op": "read",  "name": <string> }                 -> { "name": <string>, "data": <data> }
//   { "op": "list" }                                    -> { "files": [ <name>, ... ] }  sorted
//   { "op": "status" } -> { "sessions": <int64>,   peer sessions open now
//                           "ended": [ <why>, ... ] }  each ended peer's rich error
//
// A request the service cannot answer (missing key, wrong type, unknown op,
// no such file) gets { "error": "<why>" }, never a crash. A message sent
// without a reply handler cannot be answered (S85) and is ignored.
//
// The files live as long as the service's process: one store for every
// session, gone when the process dies.
//
// Threading: the listener and every peer session run on one serial queue of
// the service's own, so the store needs no lock.
#ifndef FILES_SERVICE_H
#define FILES_SERVICE_H

#include <xpc/xpc.h>

#define FILES_MACH_SERVICE "com.example.files"

typedef struct files_service_s *files_service_t;

// How the service makes its replies.
typedef enum {
  // As libxpc requires: xpc_dictionary_create_reply, then
  // xpc_session_send_message on the peer (S85, S125).
  FILES_REPLY_WITH_CREATE_REPLY,
  // The classic mistake, kept to show what it does: a fresh dictionary from
  // xpc_dictionary_create, sent on the peer. It reaches the client as an
  // ordinary incoming message, and the request is never answered (P2).
  FILES_REPLY_WITH_FRESH_DICTIONARY,
} files_reply_style_t;

// Starts serving FILES_MACH_SERVICE from the calling process. NULL when the
// listener cannot be made (the name is served already: P1, S128).
files_service_t files_service_start(void);
files_service_t files_service_start_with_reply_style(files_reply_style_t style);

// Stops listening and cancels every peer session; the service frees itself
// once the last of them has ended.
void files_service_stop(files_service_t service);

// The daemon's main (on macOS, `main` itself, with FILES_MACH_SERVICE in its
// launchd.plist's MachServices): starts the service, then dispatch_main().
// `--reply-with-fresh-dictionary` starts the buggy variant.
int files_service_main(int argc, char **argv);

#endif  // FILES_SERVICE_H
