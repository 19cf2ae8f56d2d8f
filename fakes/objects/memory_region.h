// objects/memory_region.h — what a range of the address space is, in the
// words xpc_shmem_create needs to explain a refusal (S42).
//
//   RegionKind kind = ClassifyRegion(region, length).kind;
//   if (kind != RegionKind::kShared) ReportXpcMisuse(call, RefusalOf(...));
//
// Read from /proc/self/maps, the calling thread's stack bounds, and, under a
// sanitizer, its allocator's ownership of the address. Safe to call on any
// pointer; never dereferences the range.
#ifndef XPCTEST_FAKES_OBJECTS_MEMORY_REGION_H
#define XPCTEST_FAKES_OBJECTS_MEMORY_REGION_H

#include <cstddef>
#include <string>

namespace xpctest::fakes::objects {

enum class RegionKind {
  kShared,            // entirely in MAP_SHARED mappings: what S42 wants
  kMalloc,            // malloc(3) memory (the heap, or the sanitizer's allocator)
  kStack,             // the calling thread's stack
  kPrivateAnonymous,  // a MAP_PRIVATE anonymous mapping
  kPrivateFile,       // a MAP_PRIVATE mapping of a file (a program's data, ...)
  kUnmapped,          // some of the range is not mapped at all
};

struct RegionInfo {
  RegionKind kind;
  std::string path;  // kPrivateFile: the mapped file
};

RegionInfo ClassifyRegion(const void* region, size_t length);

// The misuse text for a region xpc_shmem_create refuses: libxpc's own words
// for malloc(3) memory (S42, S139), the same shape for the others.
std::string ShmemRefusal(const RegionInfo& info);

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_MEMORY_REGION_H
