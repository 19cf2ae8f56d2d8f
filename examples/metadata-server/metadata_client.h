// metadata_client.h — the app's side of the metadata daemon.
//
//   metadata_client_t metadata = metadata_client_create(METADATA_MACH_SERVICE);
//   metadata_t info = metadata_client_stat(metadata, fd, 16);
//   if (info.ok) printf("%lld bytes, %s\n", (long long)info.size, info.type);
//   metadata_client_watch(metadata, "log", log_fd, NULL);
//   metadata_watch_t files[8];
//   int count = metadata_client_poll(metadata, files, 8, NULL);
//   metadata_client_destroy(metadata);
//
// The daemon keeps each client's watch list; the client keeps a copy (its own
// duplicates of the descriptors). When the daemon's process goes away the
// named connection gets XPC_ERROR_CONNECTION_INTERRUPTED, and the client
// sends the whole list again, which relaunches the daemon (S62: INTERRUPTED is
// the signal to resend the state the service had). A request in flight at
// that moment fails with "Connection interrupted" (S63) and is not resent.
//
// Thread safety: the functions may be called from any thread except the
// client's own queue; they block until the daemon answers.
#ifndef METADATA_CLIENT_H
#define METADATA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xpc/xpc.h>

typedef struct metadata_client_s *metadata_client_t;

typedef struct {
  bool ok;
  int64_t size;
  char type[24];     // "regular", "fifo", ... (metadata_server.h)
  int64_t mode;      // permission bits
  uint8_t head[256]; // the first bytes asked for
  size_t head_length;
  char error[128];   // when not ok: the daemon's "error", or the connection error's description
} metadata_t;

typedef struct {
  char tag[64];
  int64_t size;
  char type[24];
} metadata_watch_t;

// A client of the Mach service `name` (a named connection: recoverable, S62).
metadata_client_t metadata_client_create(const char *name);
// Cancels the connection; the client is freed once its last event came (S68).
void metadata_client_destroy(metadata_client_t client);

// What the daemon says about `fd`, with up to `head_bytes` of its first bytes.
metadata_t metadata_client_stat(metadata_client_t client, int fd, size_t head_bytes);

// Asks the daemon to watch `fd` under `tag` (a tag already watched is
// replaced). The client keeps a duplicate of `fd`, so the caller may close
// its own. False, with the reason in `error` (may be NULL), when the daemon
// refused; a watch lost with the daemon's process counts as made, because
// the resynchronization sends it again.
bool metadata_client_watch(metadata_client_t client, const char *tag, int fd, char error[128]);
// Stops watching `tag`.
bool metadata_client_unwatch(metadata_client_t client, const char *tag, char error[128]);
// Fills `out` with the current size and type of every watched file, in no
// particular order; returns how many the daemon watches (which may exceed
// `capacity`), or -1, with the reason in `error` (may be NULL).
int metadata_client_poll(metadata_client_t client, metadata_watch_t *out, int capacity,
                         char error[128]);

// How many times the client resent its watch list after an interruption and
// the daemon accepted all of it.
int metadata_client_resyncs(metadata_client_t client);

#endif  // METADATA_CLIENT_H
