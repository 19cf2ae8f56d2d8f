// The privileged helper: a root daemon that checks who its clients are before
// it does anything for them.
#include "privileged_helper.h"

#include <dispatch/dispatch.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xpc/xpc.h>

// The daemon's configuration, from its arguments. Blocks capture it by value;
// the strings are argv's, which live as long as the process.
typedef struct {
  dispatch_queue_t queue;  // serial; every handler of the helper runs on it
  const char *install_dir;
  const char *audit_log;
  const char *console_device;
} helper_t;

// Appends one line to the audit log.
__attribute__((format(printf, 2, 3))) static void audit(const helper_t *helper,
                                                        const char *format, ...) {
  FILE *log = fopen(helper->audit_log, "a");
  if (log == NULL) return;
  va_list arguments;
  va_start(arguments, format);
  vfprintf(log, format, arguments);
  va_end(arguments);
  fputc('\n', log);
  fclose(log);
}

// The user logged in at the console: the owner of the console device. -1
// (nobody) when it cannot be told.
static uid_t console_user(const helper_t *helper) {
  struct stat st;
  if (stat(helper->console_device, &st) != 0) return (uid_t)-1;
  return st.st_uid;
}

// A plain file name: no directory part, nothing that leaves install_dir.
static bool is_plain_name(const char *name) {
  return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
         strcmp(name, "..") != 0;
}

// The privileged operation.
static void install(const helper_t *helper, xpc_connection_t peer, xpc_object_t request,
                    xpc_object_t reply) {
  const char *name = xpc_dictionary_get_string(request, "name");
  const char *contents = xpc_dictionary_get_string(request, "contents");
  if (name == NULL || contents == NULL) {
    xpc_dictionary_set_string(reply, "error", "install needs strings \"name\" and \"contents\"");
    return;
  }
  if (!is_plain_name(name)) {
    xpc_dictionary_set_string(reply, "error", "\"name\" must be a plain file name");
    return;
  }
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", helper->install_dir, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
  size_t length = strlen(contents);
  if (fd < 0 || write(fd, contents, length) != (ssize_t)length) {
    char error[PATH_MAX + 32];
    snprintf(error, sizeof error, "cannot write %s", path);
    xpc_dictionary_set_string(reply, "error", error);
    if (fd >= 0) close(fd);
    return;
  }
  close(fd);
  audit(helper, "installed %s for pid %d (euid %u)", name, (int)xpc_connection_get_pid(peer),
        (unsigned)xpc_connection_get_euid(peer));
  xpc_dictionary_set_string(reply, "installed", path);
}

static void handle_request(const helper_t *helper, xpc_connection_t peer, xpc_object_t request) {
  xpc_object_t reply = xpc_dictionary_create_reply(request);
  if (reply == NULL) return;  // S85: nobody waits for an answer
  const char *op = xpc_dictionary_get_string(request, "op");
  if (op != NULL && strcmp(op, "install") == 0) {
    install(helper, peer, request, reply);
  } else {
    xpc_dictionary_set_string(reply, "error", "unknown op");
  }
  xpc_connection_send_message(peer, reply);  // S86
  xpc_release(reply);
}

static void accept_peer(helper_t helper, xpc_connection_t peer) {
  // S101: a peer's credentials are known as soon as it arrives. S100: they
  // are fixed when the connection is made.
  pid_t pid = xpc_connection_get_pid(peer);
  uid_t euid = xpc_connection_get_euid(peer);
  uid_t console = console_user(&helper);
  if (euid != 0 && euid != console) {
    audit(&helper, "refused pid %d: euid %u is neither root nor the console user", (int)pid,
          (unsigned)euid);
    xpc_connection_cancel(peer);  // S90: rejected; the client is interrupted (S70)
    return;
  }
  // S102: the uid says which user, not which program; the code signature does.
  // S115c: messages from a client that fails it are dropped unseen.
  if (xpc_connection_set_peer_code_signing_requirement(peer, HELPER_CLIENT_REQUIREMENT) != 0) {
    audit(&helper, "refused pid %d: the client requirement is malformed", (int)pid);
    xpc_connection_cancel(peer);
    return;
  }
  xpc_connection_set_target_queue(peer, helper.queue);  // S77: not inherited
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_DICTIONARY) {
      handle_request(&helper, peer, event);
    } else if (event == XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT) {
      // S115c: the client is not our app. This is the peer's last event.
      audit(&helper, "refused pid %d: %s", (int)pid,
            xpc_dictionary_get_string(event, XPC_ERROR_KEY_DESCRIPTION));
    }
  });
  xpc_connection_activate(peer);
}

int privileged_helper_main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <install-dir> <audit-log> [<console-device>]\n", argv[0]);
    return 64;  // EX_USAGE
  }
  helper_t helper = {
      .queue = dispatch_queue_create("com.example.helper", DISPATCH_QUEUE_SERIAL),
      .install_dir = argv[1],
      .audit_log = argv[2],
      .console_device = argc > 3 ? argv[3] : "/dev/console",
  };
  xpc_connection_t listener = xpc_connection_create_mach_service(
      HELPER_MACH_SERVICE, helper.queue, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t event) {
    // S78: a listener gets peers, never messages.
    if (xpc_get_type(event) == XPC_TYPE_CONNECTION) accept_peer(helper, (xpc_connection_t)event);
  });
  xpc_connection_activate(listener);
  dispatch_main();  // never returns (P11 in a simulated process)
}
