// hash_service.h — a hashing service's peer handler.
//
// Requests are dictionaries { "data": data, "rounds": int64 (optional, 1 to
// 1000, default 1) } sent with a reply handler. The reply is
// { "digest": uint64 }: FNV-1a over the data, fed its own digest again for
// each further round. A request without data, or with rounds out of range,
// gets { "error": "<why>" } instead.
//
// Hand each new peer to hash_handle_peer, from an xpc_main() handler, a
// Mach-service listener or an anonymous listener (TN3113).
#ifndef HASH_SERVICE_H
#define HASH_SERVICE_H

#include <stddef.h>
#include <stdint.h>
#include <xpc/xpc.h>

#define HASH_MACH_SERVICE "com.example.hash"

// The digest the service replies with, for clients that check it.
uint64_t hash_digest(const void *bytes, size_t length, int64_t rounds);

// Accepts `peer`: sets its event handler and activates it.
void hash_handle_peer(xpc_connection_t peer);

#endif  // HASH_SERVICE_H
