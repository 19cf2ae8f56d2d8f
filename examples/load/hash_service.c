// The hashing service: a stateless request/reply peer handler.
#include "hash_service.h"

#include <stdio.h>

static uint64_t fnv1a(uint64_t digest, const unsigned char *bytes, size_t length) {
  for (size_t i = 0; i < length; i++) {
    digest ^= bytes[i];
    digest *= 0x100000001b3ULL;
  }
  return digest;
}

uint64_t hash_digest(const void *bytes, size_t length, int64_t rounds) {
  uint64_t digest = fnv1a(0xcbf29ce484222325ULL, bytes, length);
  for (int64_t round = 1; round < rounds; round++) {
    digest = fnv1a(digest, (const unsigned char *)&digest, sizeof digest);
  }
  return digest;
}

// Fills `reply` with the digest of `request`'s data, or with why not.
static void answer(xpc_object_t request, xpc_object_t reply) {
  size_t length = 0;
  const void *bytes = xpc_dictionary_get_data(request, "data", &length);
  if (bytes == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing data \"data\"");
    return;
  }
  // A missing "rounds" reads as 0 (S12): one round.
  int64_t rounds = xpc_dictionary_get_int64(request, "rounds");
  if (rounds == 0) rounds = 1;
  if (rounds < 1 || rounds > 1000) {
    char error[64];
    snprintf(error, sizeof error, "rounds %lld not in 1...1000", (long long)rounds);
    xpc_dictionary_set_string(reply, "error", error);
    return;
  }
  xpc_dictionary_set_uint64(reply, "digest", hash_digest(bytes, length, rounds));
}

void hash_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    // S93: a peer only ever gets INVALID, once its client is gone.
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    // Only a request sent with a reply handler can be answered (S85).
    xpc_object_t reply = xpc_dictionary_create_reply(event);
    if (reply == NULL) return;
    answer(event, reply);
    xpc_connection_send_message(peer, reply);  // S86: the reply goes back on the peer
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}
