#include "objects/shmem.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>

#include "base/report.h"

namespace xpctest::fakes::objects {
namespace {

size_t PageSize() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

void* Remap(void* pages, size_t size) {
  // With an old size of 0, mremap maps the same shared pages a second time.
  void* mapping = mremap(pages, 0, size, MREMAP_MAYMOVE);
  return mapping == MAP_FAILED ? nullptr : mapping;
}

}  // namespace

bool IsSharedMapping(const void* region, size_t length) {
  FILE* maps = std::fopen("/proc/self/maps", "re");
  if (maps == nullptr) return false;
  uintptr_t want = reinterpret_cast<uintptr_t>(region);
  const uintptr_t end = want + length;
  bool covered = false;
  char line[4096];
  // The file lists mappings in address order; walk them until the range is covered.
  while (std::fgets(line, sizeof line, maps) != nullptr) {
    uintptr_t start = 0, stop = 0;
    char perms[8] = {};
    if (std::sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &start, &stop, perms) != 3) continue;
    if (stop <= want || start > want) continue;
    if (perms[3] != 's') break;
    want = stop;
    if (want >= end) {
      covered = true;
      break;
    }
  }
  std::fclose(maps);
  return covered;
}

Shmem* Shmem::Create(void* region, size_t length, std::string_view call) {
  if (region == nullptr) {
    ReportXpcMisuse(call, fmt::format("NULL region passed to {}.", call));
    return nullptr;
  }
  if (length == 0) return nullptr;
  if (!IsSharedMapping(region, length)) {
    ReportXpcMisuse(call, "Attempt to pass a malloc(3)ed region to xpc_shmem_create()",  // S42
                    fmt::format("region = {}, length = {}", FormatAddress(region), length));
    return nullptr;
  }
  const size_t page = PageSize();
  uintptr_t start = reinterpret_cast<uintptr_t>(region) & ~(page - 1);
  uintptr_t stop = reinterpret_cast<uintptr_t>(region) + length;
  size_t size = (stop - start + page - 1) & ~(page - 1);
  void* mirror = Remap(reinterpret_cast<void*>(start), size);
  if (mirror == nullptr) return nullptr;
  return new Shmem(mirror, size);
}

size_t Shmem::Map(void** region) const {
  void* mapping = mirror_ != nullptr ? Remap(mirror_, size_) : nullptr;
  if (region != nullptr) *region = mapping;
  return mapping != nullptr ? size_ : 0;  // S43
}

Object* Shmem::Copy() {
  void* mirror = Remap(mirror_, size_);
  return mirror != nullptr ? new Shmem(mirror, size_) : nullptr;
}

void Shmem::Dispose() {
  if (mirror_ != nullptr) munmap(mirror_, size_);
  mirror_ = nullptr;
}

void Shmem::AppendDescription(std::string& out, int depth) const {
  out += DescriptionHeader(*this);
  out += fmt::format(" {{ length = {} }}", size_);
}

}  // namespace xpctest::fakes::objects
