// The sandboxed Notes app's calls into its helper, its renderer and another
// vendor's daemon: one request each, synchronously.
#ifndef NOTES_APP_H
#define NOTES_APP_H

#include <stdbool.h>

typedef struct {
  bool ok;
  char value[512];  // the answer: a path, or HTML
  char error[512];  // what went wrong, with libxpc's invalidation reason
} notes_result_t;

notes_result_t notes_save(const char *name, const char *text);
notes_result_t notes_render(const char *text);
notes_result_t notes_sync_now(void);

#endif  // NOTES_APP_H
