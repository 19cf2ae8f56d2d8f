// metadata_server.h — a launchd daemon that describes the files its clients
// hand it.
//
// Clients send an open file descriptor (xpc_dictionary_set_fd) and get back
// what fstat(2) says about it, and optionally its first bytes. Every request
// is a dictionary sent with a reply handler:
//
//   { "op": "stat", "fd": <fd>, "head": <int64, optional> }
//       -> { "size": <int64>, "type": "regular" | "directory" | "fifo" |
//            "socket" | "character-device" | "block-device" | "unknown",
//            "mode": <int64, the permission bits>,
//            "head": <data: up to min(head, METADATA_MAX_HEAD) bytes> }
//   { "op": "watch", "tag": <string>, "fd": <fd> } -> { "watching": <int64> }
//   { "op": "unwatch", "tag": <string> }           -> { "watching": <int64> }
//   { "op": "poll" } -> { "files": { <tag>: { "size", "type", "mode" }, ... } }
//
// A request the service cannot answer (no fd, a value of the wrong type, an
// unknown op) gets { "error": "<why>" }; a bad request never takes the daemon
// down. "head" reads a regular file from offset 0 without moving the shared
// offset (pread); a pipe or socket is read only as far as it is readable now,
// so a request never blocks the daemon.
//
// The watch list belongs to the client connection that made it and dies with
// the daemon's process: a client that gets XPC_ERROR_CONNECTION_INTERRUPTED
// must send it again (S62; metadata_client.h does).
#ifndef METADATA_SERVER_H
#define METADATA_SERVER_H

#define METADATA_MACH_SERVICE "com.example.metadata"
#define METADATA_MAX_HEAD 256

// The daemon's main (on macOS, `main` itself, with METADATA_MACH_SERVICE in
// its launchd.plist's MachServices): claims the name, then dispatch_main().
// Never returns.
int metadata_server_main(int argc, char **argv);

#endif  // METADATA_SERVER_H
