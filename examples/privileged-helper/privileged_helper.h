// privileged_helper.h — a root daemon that serves only its own app.
//
// The SMJobBless / SMAppService pattern: an app ships a helper that launchd
// runs as root in the system domain, and the helper must make sure that the
// one asking is that app — nobody else on the machine may reach its
// privileged operation. It checks every new client twice, in its listener's
// handler:
//
//   - by user: the client's effective uid must be root or the console user
//     (the owner of the console device), so another user's process is
//     turned away (the peer is cancelled: the client gets INTERRUPTED, S70);
//   - by code signature: a peer requirement (S115) for our team's app, so any
//     other program — another team's, an ad-hoc signed tool, our team's other
//     apps — is refused (its messages are dropped, S115c).
//
// The privileged operation installs a small file: requests are sent with a
// reply handler,
//
//   { "op": "install", "name": <file name>, "contents": <string> }
//       -> { "installed": <path> } or { "error": "<why>" }
//
// and each decision (installed, refused and why) is appended to an audit log.
//
// launchd starts the helper with its ProgramArguments:
//
//   privileged_helper <install-dir> <audit-log> [<console-device>]
//
// (the console device defaults to /dev/console).
#ifndef PRIVILEGED_HELPER_H
#define PRIVILEGED_HELPER_H

#define HELPER_MACH_SERVICE "com.example.helper"
#define HELPER_TEAM_ID "ABCDE12345"
#define HELPER_IDENTIFIER "com.example.helper"
#define HELPER_APP_IDENTIFIER "com.example.app"

// Who may use the helper: our team's app, and nothing else.
#define HELPER_CLIENT_REQUIREMENT                                              \
  "anchor apple generic and identifier \"" HELPER_APP_IDENTIFIER "\" and "     \
  "certificate leaf[subject.OU] = \"" HELPER_TEAM_ID "\""
// Whom the app trusts to be the helper.
#define HELPER_REQUIREMENT                                                     \
  "anchor apple generic and identifier \"" HELPER_IDENTIFIER "\" and "         \
  "certificate leaf[subject.OU] = \"" HELPER_TEAM_ID "\""

// The helper's main (on macOS, `main` itself): claims HELPER_MACH_SERVICE,
// then dispatch_main(). Returns 64 (EX_USAGE) without the arguments above.
int privileged_helper_main(int argc, char **argv);

#endif  // PRIVILEGED_HELPER_H
