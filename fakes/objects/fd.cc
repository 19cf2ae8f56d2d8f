#include "objects/fd.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>

namespace xpctest::fakes::objects {

Fd* Fd::Create(int fd) {
  if (fd < 0) return nullptr;
  int owned = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (owned < 0) return nullptr;  // S38: invalid descriptor
  return new Fd(owned);
}

int Fd::Dup() const { return fd_ >= 0 ? dup(fd_) : -1; }

Object* Fd::Copy() {
  Fd* copy = Create(fd_);
  return copy;
}

void Fd::Dispose() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

namespace {

const char* FileTypeName(mode_t mode) {
  if (S_ISREG(mode)) return "file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISFIFO(mode)) return "pipe";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISLNK(mode)) return "symbolic link";
  return "unknown";
}

}  // namespace

void Fd::AppendDescription(std::string& out, int depth) const {
  struct stat info {};
  const char* type = fstat(fd_, &info) == 0 ? FileTypeName(info.st_mode) : "(invalid descriptor)";
  char path[PATH_MAX];
  ssize_t length = readlink(fmt::format("/proc/self/fd/{}", fd_).c_str(), path, sizeof path - 1);
  std::string path_text = length > 0 ? std::string(path, static_cast<size_t>(length)) : "(unknown)";
  out += DescriptionHeader(*this);
  out += fmt::format(" {{ type = {}, path = {} }}", type, path_text);
}

}  // namespace xpctest::fakes::objects
