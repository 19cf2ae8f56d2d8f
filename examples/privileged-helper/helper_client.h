// helper_client.h — the app's side of the privileged helper.
//
//   helper_result_t result = helper_install("example.conf", "enabled = yes\n");
//   if (!result.ok) show_alert(result.error);
//
// The app checks the helper too: it looks the name up in the system domain
// only (XPC_CONNECTION_MACH_SERVICE_PRIVILEGED: a root daemon), and sets a
// peer requirement for the helper's signature, so that an impostor's answer
// is never believed (S115c: the reply becomes "Peer Forbidden").
#ifndef HELPER_CLIENT_H
#define HELPER_CLIENT_H

#include <stdbool.h>

typedef struct {
  bool ok;
  char installed[256];  // when ok: where the helper put the file
  char error[128];      // when not ok: the helper's "error", or the connection error's description
} helper_result_t;

// Asks the helper to install `contents` as `name`; blocks until it answers.
helper_result_t helper_install(const char *name, const char *contents);

#endif  // HELPER_CLIENT_H
