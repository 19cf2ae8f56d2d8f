// jobs_client.h — the app's side of the jobs service, callbacks included.
//
//   jobs_client_t jobs = jobs_client_create(JOBS_MACH_SERVICE,
//       ^(const char *job, int64_t step, int64_t of, dispatch_block_t acknowledge) {
//         update_progress_bar(job, step, of);
//         acknowledge();               // the service sends the next step only now
//       });
//   if (!jobs_client_subscribe(jobs)) ...
//   jobs_client_run(jobs, "build", 10, ^(int64_t steps_done, const char *error) { ... });
//   ...
//   jobs_client_destroy(jobs);
//
// The client listens on an anonymous listener of its own and subscribes with
// its endpoint; the service connects back and sends progress there. When the
// service's process goes away, the client subscribes again (S62: a named
// connection's INTERRUPTED is the signal to resend the state the service had).
//
// Threading: the progress handler and completions run on the client's own
// serial queue. `acknowledge` may be called later and from any thread, exactly
// once; Block_copy it to keep it past the handler.
#ifndef JOBS_CLIENT_H
#define JOBS_CLIENT_H

#include <dispatch/dispatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <xpc/xpc.h>

typedef struct jobs_client_s *jobs_client_t;
typedef void (^jobs_progress_handler_t)(const char *job, int64_t step, int64_t of,
                                        dispatch_block_t acknowledge);

jobs_client_t jobs_client_create(const char *name, jobs_progress_handler_t on_progress);
// Subscribes to progress callbacks; blocks until the service answers.
bool jobs_client_subscribe(jobs_client_t client);
// Runs a job of `steps` steps; `completion` gets the steps done, or an error.
void jobs_client_run(jobs_client_t client, const char *job, int64_t steps,
                     void (^completion)(int64_t steps_done, const char *error));
// How many times the client subscribed (resubscriptions included).
int jobs_client_subscriptions(jobs_client_t client);
// Cancels the client's connections and frees it once they are done.
void jobs_client_destroy(jobs_client_t client);

#endif  // JOBS_CLIENT_H
