// jobs_service.h — a job service that calls its clients back.
//
// An app subscribes by sending the endpoint of its own anonymous listener; the
// service connects back to it and reports the progress of every job there.
// All requests are sent with a reply handler:
//
//   { "op": "subscribe", "callback": <endpoint> } -> { "subscribed": true }
//   { "op": "run", "job": <string>, "steps": <int64, 0 to JOBS_MAX_STEPS> }
//       -> when the job is over: { "job": <string>, "steps_done": <int64> }
//       Each step is sent to every subscriber as
//       { "event": "progress", "job", "step", "of" } with a reply handler;
//       the next step waits until every subscriber answered (flow control).
//   { "op": "status" } -> { "subscribers": <int64>,
//       "callback_errors": [ <error>, ... ],  what callback connections' event handlers got
//       "lost_acks": [ <error>, ... ] }        what came back instead of an answer
//
// A subscriber whose callback connection fails is dropped: an endpoint
// connection that was interrupted cannot be re-established (S98, P3).
//
// Threading: every handler of the service runs on one serial queue of its own,
// so its state needs no locks.
#ifndef JOBS_SERVICE_H
#define JOBS_SERVICE_H

#include <xpc/xpc.h>

#define JOBS_MACH_SERVICE "com.example.jobs"
// The most steps a job may have.
#define JOBS_MAX_STEPS 1000

typedef struct jobs_service_s *jobs_service_t;

// Starts serving the Mach service `name` from the calling process (a daemon's
// main calls this, then dispatch_main()).
jobs_service_t jobs_service_create(const char *name);
// Stops listening and drops every subscriber; the service frees itself once
// its last connection is gone.
void jobs_service_cancel(jobs_service_t service);

#endif  // JOBS_SERVICE_H
