// objects/shmem.h — a region of shared memory (S42, S43).
//
// Only MAP_SHARED mappings qualify (objects/memory_region.h tells them apart
// from malloc(3) memory, stacks, private mappings and unmapped ranges).
// At creation the box takes its own mapping of the same pages (mremap with
// old size 0), so the caller may unmap its region afterwards; each Map()
// makes one more mapping of those pages, which the caller munmaps.
// Equality is identity only (S41).
#ifndef XPCTEST_FAKES_OBJECTS_SHMEM_H
#define XPCTEST_FAKES_OBJECTS_SHMEM_H

#include <string_view>

#include "objects/object.h"

namespace xpctest::fakes::objects {

class Shmem final : public Object {
 public:
  static constexpr Kind kKind = Kind::kShmem;

  // S42: +1, or nullptr after reporting what the region is when it is not a
  // shared mapping ("Attempt to pass a malloc(3)ed region to
  // xpc_shmem_create()" for malloc(3) memory).
  static Shmem* Create(void* region, size_t length, std::string_view call);

  // S43: maps the pages anew; returns the page-rounded size, 0 on failure.
  size_t Map(void** region) const;
  size_t size() const { return size_; }

  // S41: a new box over the same pages.
  Object* Copy() override;
  // No real sample exists (S110): "<shmem: ADDR> { length = N }".
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  void Dispose() override;

 private:
  Shmem(void* mirror, size_t size) : Object(TypeOf(kKind)), mirror_(mirror), size_(size) {}
  void* mirror_;
  size_t size_;
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_SHMEM_H
