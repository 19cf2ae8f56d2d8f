#include "runtime/service_module.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

#include "base/real_os.h"

namespace xpctest::fakes::runtime {
namespace {

constexpr std::string_view kPrefix = "xpctest-module-";

std::string TemporaryDirectory() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
}

// The copies this program made, removed when it exits.
class Copies {
 public:
  ~Copies() {
    std::lock_guard lock(mutex_);
    for (const std::string& path : paths_) unlink(path.c_str());
  }

  // A new path for a copy of `name`; the first call also sweeps away copies
  // left by programs that died before they could remove theirs.
  std::string NewPath(std::string_view name) {
    std::lock_guard lock(mutex_);
    if (!swept_) {
      swept_ = true;
      SweepAbandoned();
    }
    // The real pid: this runs as the simulated process being launched.
    std::string path = fmt::format("{}/{}{}-{}-{}", TemporaryDirectory(), kPrefix, real::Getpid(),
                                   ++count_, name);
    paths_.push_back(path);
    return path;
  }

 private:
  static void SweepAbandoned() {
    std::string directory = TemporaryDirectory();
    DIR* dir = opendir(directory.c_str());
    if (dir == nullptr) return;
    while (dirent* entry = readdir(dir)) {
      std::string_view file(entry->d_name);
      if (file.substr(0, kPrefix.size()) != kPrefix) continue;
      pid_t owner = static_cast<pid_t>(std::atol(std::string(file.substr(kPrefix.size())).c_str()));
      if (owner <= 0 || owner == real::Getpid()) continue;
      if (kill(owner, 0) == -1 && errno == ESRCH) unlink((directory + "/" + entry->d_name).c_str());
    }
    closedir(dir);
  }

  std::mutex mutex_;
  bool swept_ = false;
  uint64_t count_ = 0;
  std::vector<std::string> paths_;
};

Copies& TheCopies() {
  static Copies copies;
  return copies;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool CopyFile(const std::string& from, const std::string& to, std::string* error) {
  int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    *error = fmt::format("cannot read {}: {}", from, std::strerror(errno));
    return false;
  }
  int out = open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
  if (out < 0) {
    *error = fmt::format("cannot create {}: {}", to, std::strerror(errno));
    close(in);
    return false;
  }
  char buffer[1 << 16];
  bool ok = true;
  for (;;) {
    ssize_t got = read(in, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      ok = false;
      break;
    }
    for (ssize_t written = 0; written < got;) {
      ssize_t put = write(out, buffer + written, static_cast<size_t>(got - written));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) {
        ok = false;
        break;
      }
      written += put;
    }
    if (!ok) break;
  }
  if (!ok) *error = fmt::format("cannot copy {} to {}: {}", from, to, std::strerror(errno));
  close(in);
  if (close(out) != 0 && ok) {
    *error = fmt::format("cannot write {}: {}", to, std::strerror(errno));
    ok = false;
  }
  return ok;
}

}  // namespace

bool ServiceModuleReadable(const std::string& path, std::string* error) {
  struct stat status;
  if (stat(path.c_str(), &status) != 0) {
    *error = fmt::format("{}: {}", path, std::strerror(errno));
    return false;
  }
  if (!S_ISREG(status.st_mode) || access(path.c_str(), R_OK) != 0) {
    *error = fmt::format("{}: not a readable file", path);
    return false;
  }
  return true;
}

ServiceMain LoadServiceModuleCopy(const std::string& path, std::string* error) {
  std::string copy = TheCopies().NewPath(BaseName(path));
  if (!CopyFile(path, copy, error)) return nullptr;
  // RTLD_LOCAL: the copy's symbols stay its own; RTLD_NOW: a missing symbol
  // is this launch's failure, reported now, not a crash in the middle of main.
  void* handle = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    *error = fmt::format("dlopen of a copy of {}: {}", path, why != nullptr ? why : "failed");
    return nullptr;
  }
  auto main = reinterpret_cast<ServiceMain>(dlsym(handle, "main"));
  if (main == nullptr) {
    *error = fmt::format("{} defines no main", path);
    return nullptr;
  }
  return main;
}

}  // namespace xpctest::fakes::runtime
