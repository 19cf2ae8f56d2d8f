#include "objects/shmem.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>


#include "base/report.h"
#include "objects/memory_region.h"

namespace xpctest::fakes::objects {
namespace {

size_t PageSize() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

void* Remap(void* pages, size_t size) {
  // With an old size of 0, mremap maps the same shared pages a second time.
  void* mapping = mremap(pages, 0, size, MREMAP_MAYMOVE);
  return mapping == MAP_FAILED ? nullptr : mapping;
}

}  // namespace

Shmem* Shmem::Create(void* region, size_t length, std::string_view call) {
  if (region == nullptr) {
    ReportXpcMisuse(call, fmt::format("NULL region passed to {}.", call));
    return nullptr;
  }
  if (length == 0) return nullptr;
  RegionInfo info = ClassifyRegion(region, length);
  if (info.kind != RegionKind::kShared) {
    ReportXpcMisuse(call, ShmemRefusal(info),  // S42
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
