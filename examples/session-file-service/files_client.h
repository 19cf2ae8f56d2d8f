// files_client.h — the app's side of the file service, over one session.
//
//   char why[FILES_ERROR_MAX];
//   files_client_t files = files_client_create(FILES_MACH_SERVICE,
//       ^(const char *reason, bool can_retry) { ... the session is over ... }, why);
//   if (files == NULL) { puts(why); return; }
//   files_write(files, "notes.txt", "hello", 5, ^(files_status_t status) { ... });
//   void *data; size_t length;
//   files_status_t status = files_read(files, "notes.txt", &data, &length);
//   if (status.ok) { ...; free(data); } else puts(status.error);
//   files_client_destroy(files);
//
// A session never reconnects (S116). When either end goes away, the session
// is cancelled for good: `on_ended` runs once with the reason, and every later
// call fails with that reason. If `can_retry` is true, a *new* client may
// reach a relaunched service; this one never will.
//
// Threading: reads block the calling thread until the reply comes, and must
// not be called from a write's completion or from `on_ended` (those run on
// the client's own queue, the session's target queue; S122). Completions and
// `on_ended` run on that queue, one at a time.
#ifndef FILES_CLIENT_H
#define FILES_CLIENT_H

#include <dispatch/dispatch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xpc/xpc.h>

#define FILES_ERROR_MAX 160

typedef struct files_client_s *files_client_t;

typedef struct {
  bool ok;
  // When not ok: the service's "error", or the description of the session's
  // rich error.
  char error[FILES_ERROR_MAX];
  // When the session failed: xpc_rich_error_can_retry (a new client may succeed).
  bool can_retry;
} files_status_t;

typedef void (^files_session_ended_t)(const char *reason, bool can_retry);

// A client of the service `name`, over a new session (S117). NULL when the
// session cannot be activated, with the reason in `why` (FILES_ERROR_MAX
// bytes; may be NULL). `on_ended` (may be NULL) runs once when the session is
// cancelled, whoever cancelled it.
files_client_t files_client_create(const char *name, files_session_ended_t on_ended, char *why);

// Cancels the session: writes still in flight complete with the
// cancellation's error (S124), `on_ended` runs, then the client frees itself.
void files_client_destroy(files_client_t client);

// Stores `length` bytes of `data` as `name`. Does not wait: `completion` (may
// be NULL) runs on the client's queue with the outcome (S123).
void files_write(files_client_t client, const char *name, const void *data, size_t length,
                 void (^completion)(files_status_t status));

// Reads `name`, waiting for the answer. On success *data is a malloc'd copy
// (free it) of *length bytes.
files_status_t files_read(files_client_t client, const char *name, void **data, size_t *length);

// The names of every file, sorted, waiting for the answer. On success *names
// is a malloc'd array of *count malloc'd strings: free with files_free_names.
files_status_t files_list(files_client_t client, char ***names, size_t *count);
void files_free_names(char **names, size_t count);

#endif  // FILES_CLIENT_H
