// The jobs service: subscriptions by endpoint, progress by callback connection.
#include "jobs_service.h"

#include <dispatch/dispatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct subscriber_s {
  xpc_connection_t connection;  // to the app's anonymous listener
  bool cancelled;
  bool failed;     // a message to it came back with an error: send it nothing more
  int references;  // the service's list, and each progress message awaiting its answer
  struct subscriber_s *next;
} subscriber_t;

struct jobs_service_s {
  dispatch_queue_t queue;  // serial; every handler below runs on it
  xpc_connection_t listener;
  subscriber_t *subscribers;
  xpc_object_t callback_errors;  // for "status": errors seen by callback event handlers
  xpc_object_t lost_acks;        // for "status": errors received instead of an answer
  int references;                // the listener, each peer, each subscriber, each job
};

typedef struct {
  jobs_service_t service;
  xpc_connection_t requester;  // the peer that asked for the job
  xpc_object_t reply;          // sent when the job is over
  char *name;
  int64_t step, steps;
  int outstanding;  // subscribers yet to acknowledge the current step
} job_t;

static void retain_service(jobs_service_t service) { service->references++; }

static void release_service(jobs_service_t service) {
  if (--service->references > 0) return;
  xpc_release(service->callback_errors);
  xpc_release(service->lost_acks);
  dispatch_release(service->queue);
  free(service);
}

static int64_t subscriber_count(jobs_service_t service) {
  int64_t count = 0;
  for (subscriber_t *s = service->subscribers; s != NULL; s = s->next) count += !s->cancelled && !s->failed;
  return count;
}

static void cancel_subscriber(subscriber_t *subscriber) {
  if (subscriber->cancelled) return;
  subscriber->cancelled = true;
  xpc_connection_cancel(subscriber->connection);  // S68: its final INVALID frees it
}

static void release_subscriber(subscriber_t *subscriber) {
  if (--subscriber->references > 0) return;
  xpc_release(subscriber->connection);
  free(subscriber);
}

static void remove_subscriber(jobs_service_t service, subscriber_t *subscriber) {
  for (subscriber_t **link = &service->subscribers; *link != NULL; link = &(*link)->next) {
    if (*link == subscriber) {
      *link = subscriber->next;
      break;
    }
  }
  // S82/S83: answers to progress messages may still come after this, in no
  // particular order; they hold their own references.
  release_subscriber(subscriber);
  release_service(service);
}

static void subscribe(jobs_service_t service, xpc_object_t request, xpc_object_t reply) {
  // The endpoint becomes a new connection to the app's listener (S97).
  xpc_connection_t connection = xpc_dictionary_create_connection(request, "callback");
  if (connection == NULL) {
    xpc_dictionary_set_string(reply, "error", "\"callback\" is not an endpoint");
    return;
  }
  subscriber_t *subscriber = calloc(1, sizeof *subscriber);
  subscriber->connection = connection;
  subscriber->references = 1;
  subscriber->next = service->subscribers;
  service->subscribers = subscriber;
  retain_service(service);
  xpc_connection_set_target_queue(connection, service->queue);
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
    if (xpc_get_type(event) != XPC_TYPE_ERROR) return;  // apps only answer our messages
    xpc_array_set_string(service->callback_errors, XPC_ARRAY_APPEND,
                         xpc_dictionary_get_string(event, XPC_ERROR_KEY_DESCRIPTION));
    if (event == XPC_ERROR_CONNECTION_INVALID) {
      subscriber->cancelled = true;            // S67: it is already
      remove_subscriber(service, subscriber);  // S68: the last event
    } else {
      // P3/S98: an endpoint connection is not re-established; the app
      // subscribes again if it still wants to hear from us.
      cancel_subscriber(subscriber);
    }
  });
  xpc_connection_activate(connection);
  xpc_dictionary_set_bool(reply, "subscribed", true);
}

static void finish_job(job_t *job) {
  xpc_dictionary_set_string(job->reply, "job", job->name);
  xpc_dictionary_set_int64(job->reply, "steps_done", job->step);
  xpc_connection_send_message(job->requester, job->reply);
  xpc_release(job->reply);
  xpc_release(job->requester);
  jobs_service_t service = job->service;
  free(job->name);
  free(job);
  release_service(service);
}

static void next_step(job_t *job);

static void step_acknowledged(job_t *job) {
  if (--job->outstanding == 0) next_step(job);
}

// Sends step job->step + 1 to every subscriber, or ends the job.
static void next_step(job_t *job) {
  for (;;) {
    if (job->step == job->steps) {
      finish_job(job);
      return;
    }
    job->step++;
    xpc_object_t progress = xpc_dictionary_create(NULL, NULL, 0);
    xpc_dictionary_set_string(progress, "event", "progress");
    xpc_dictionary_set_string(progress, "job", job->name);
    xpc_dictionary_set_int64(progress, "step", job->step);
    xpc_dictionary_set_int64(progress, "of", job->steps);
    // Counted before sending: a reply must not finish the step early. The
    // extra 1 is released below, once every message is out.
    job->outstanding = 1;
    for (subscriber_t *s = job->service->subscribers; s != NULL; s = s->next) {
      if (s->cancelled || s->failed) continue;
      job->outstanding++;
      subscriber_t *subscriber = s;
      subscriber->references++;  // released with the answer below
      xpc_connection_send_message_with_reply(
          s->connection, progress, job->service->queue, ^(xpc_object_t ack) {
            // S63/P3: an error instead of the acknowledgement means this step
            // never reached the app, and no later one would. The event handler
            // above deals with the connection; here the job stops waiting.
            if (xpc_get_type(ack) == XPC_TYPE_ERROR) {
              subscriber->failed = true;
              xpc_array_set_string(job->service->lost_acks, XPC_ARRAY_APPEND,
                                   xpc_dictionary_get_string(ack, XPC_ERROR_KEY_DESCRIPTION));
            }
            release_subscriber(subscriber);
            step_acknowledged(job);
          });
    }
    xpc_release(progress);
    if (--job->outstanding > 0) return;  // the last acknowledgement goes on
  }
}

static void run(jobs_service_t service, xpc_connection_t peer, xpc_object_t request,
                xpc_object_t reply) {
  const char *name = xpc_dictionary_get_string(request, "job");
  int64_t steps = xpc_dictionary_get_int64(request, "steps");
  // Bounded: with nobody subscribed, steps follow each other at once, and a
  // client must not keep the service's queue busy for ever.
  if (name == NULL || steps < 0 || steps > JOBS_MAX_STEPS) {
    xpc_dictionary_set_string(reply, "error", "a job needs a \"job\" name and 0 to 1000 \"steps\"");
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
    return;
  }
  job_t *job = calloc(1, sizeof *job);
  job->service = service;
  job->requester = xpc_retain(peer);
  job->reply = reply;  // owned by the job now
  job->name = strdup(name);
  job->steps = steps;
  retain_service(service);
  next_step(job);
}

static void handle_request(jobs_service_t service, xpc_connection_t peer, xpc_object_t request) {
  xpc_object_t reply = xpc_dictionary_create_reply(request);
  if (reply == NULL) return;  // S85: nobody waits for an answer
  const char *op = xpc_dictionary_get_string(request, "op");
  if (op != NULL && strcmp(op, "run") == 0) {
    run(service, peer, request, reply);
    return;
  }
  if (op != NULL && strcmp(op, "subscribe") == 0) {
    subscribe(service, request, reply);
  } else if (op != NULL && strcmp(op, "status") == 0) {
    xpc_dictionary_set_int64(reply, "subscribers", subscriber_count(service));
    xpc_dictionary_set_value(reply, "callback_errors", service->callback_errors);
    xpc_dictionary_set_value(reply, "lost_acks", service->lost_acks);
  } else {
    xpc_dictionary_set_string(reply, "error", "unknown op");
  }
  xpc_connection_send_message(peer, reply);
  xpc_release(reply);
}

static void accept_peer(jobs_service_t service, xpc_connection_t peer) {
  retain_service(service);
  // S77: peers do not inherit the listener's queue.
  xpc_connection_set_target_queue(peer, service->queue);
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_DICTIONARY) {
      handle_request(service, peer, event);
    } else if (event == XPC_ERROR_CONNECTION_INVALID) {
      release_service(service);  // S93: the client is gone; this was the last event
    }
  });
  xpc_connection_activate(peer);
}

jobs_service_t jobs_service_create(const char *name) {
  jobs_service_t service = calloc(1, sizeof *service);
  service->queue = dispatch_queue_create("com.example.jobs.service", DISPATCH_QUEUE_SERIAL);
  service->callback_errors = xpc_array_create(NULL, 0);
  service->lost_acks = xpc_array_create(NULL, 0);
  service->references = 1;  // the listener's; released at its final INVALID
  service->listener = xpc_connection_create_mach_service(name, service->queue,
                                                          XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(service->listener, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_CONNECTION) {
      accept_peer(service, (xpc_connection_t)event);
    } else if (event == XPC_ERROR_CONNECTION_INVALID) {
      xpc_release(service->listener);  // S68: the last event; created below
      service->listener = NULL;
      release_service(service);
    }
  });
  xpc_connection_activate(service->listener);
  return service;
}

void jobs_service_cancel(jobs_service_t service) {
  dispatch_async(service->queue, ^{
    if (service->listener != NULL) xpc_connection_cancel(service->listener);
    for (subscriber_t *s = service->subscribers; s != NULL; s = s->next) cancel_subscriber(s);
  });
}
