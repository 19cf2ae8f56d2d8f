// runtime/service_module.h — a private copy of a service built as a module.
//
// A service module is a shared object holding an unmodified service — its
// main and its globals — built against libxpctest_fakes (CMake:
// xpctest_add_service_module). Every launch loads a copy of its own: the file
// is copied to a new temporary file and dlopen'd with RTLD_LOCAL | RTLD_NOW
// (dlopen of one path twice would return the same copy). So the copy's
// statics, dispatch_once predicates and caches start from zero in every
// launch, as a real process's do, while its references to xpc_*, dispatch_*
// and the interposed libc functions resolve to the one runtime already
// loaded.
//
//   std::string error;
//   ServiceMain main = LoadServiceModuleCopy("/build/calc_service.so", &error);
//   if (main == nullptr) ... error: "dlopen: ...: undefined symbol: foo" ...
//
// Copies are never unloaded: like a dead process's memory, a launch's image
// is abandoned, not freed (the process's blocks and handlers may still point
// into it). Each launch therefore costs the module's mapped size for the rest
// of the program. The temporary files ($TMPDIR or /tmp,
// "xpctest-module-<pid>-<n>-<name>") stay while the program runs, so
// debuggers and sanitizer reports can read the module's symbols; they are
// removed at exit, and files left by a program that died are removed by the
// next program that loads a module.
//
// Thread safety: may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_SERVICE_MODULE_H
#define XPCTEST_FAKES_RUNTIME_SERVICE_MODULE_H

#include <string>

namespace xpctest::fakes::runtime {

using ServiceMain = int (*)(int argc, char** argv);

// Loads a new copy of the module at `path` and returns its `main`; null with
// `*error` saying why when the file cannot be copied or loaded or has no main.
ServiceMain LoadServiceModuleCopy(const std::string& path, std::string* error);

// Whether `path` names a readable file; `*error` says why not.
bool ServiceModuleReadable(const std::string& path, std::string* error);

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_SERVICE_MODULE_H
