#include "objects/memory_region.h"

#include <fmt/format.h>
#include <pthread.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

// Defined by every sanitizer runtime (nonzero when its allocator handed out
// the address); absent, hence null, in a plain build.
extern "C" int __sanitizer_get_ownership(const volatile void* p) __attribute__((weak));

namespace xpctest::fakes::objects {
namespace {

bool OnCallingThreadStack(uintptr_t start, uintptr_t end) {
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0) return false;
  void* base = nullptr;
  size_t size = 0;
  bool inside = false;
  if (pthread_attr_getstack(&attributes, &base, &size) == 0) {
    auto low = reinterpret_cast<uintptr_t>(base);
    inside = start >= low && end <= low + size;
  }
  pthread_attr_destroy(&attributes);
  return inside;
}

// The kind of the one mapping that keeps the range from being shared.
RegionInfo FromMapping(const char* path) {
  if (std::strcmp(path, "[heap]") == 0) return {RegionKind::kMalloc, {}};
  if (std::strncmp(path, "[stack", 6) == 0) return {RegionKind::kStack, {}};
  if (path[0] == '/') return {RegionKind::kPrivateFile, path};
  return {RegionKind::kPrivateAnonymous, {}};
}

}  // namespace

RegionInfo ClassifyRegion(const void* region, size_t length) {
  auto want = reinterpret_cast<uintptr_t>(region);
  const uintptr_t end = want + (length > 0 ? length : 1);
  if (__sanitizer_get_ownership != nullptr && __sanitizer_get_ownership(region) != 0) {
    return {RegionKind::kMalloc, {}};
  }
  if (OnCallingThreadStack(want, end)) return {RegionKind::kStack, {}};
  FILE* maps = std::fopen("/proc/self/maps", "re");
  if (maps == nullptr) return {RegionKind::kUnmapped, {}};
  RegionInfo result{RegionKind::kUnmapped, {}};
  char line[4096];
  // The file lists mappings in address order; walk them until the range is
  // covered, a gap shows, or a mapping is not shared.
  while (std::fgets(line, sizeof line, maps) != nullptr) {
    uintptr_t start = 0, stop = 0;
    char perms[8] = {};
    char path[4096] = {};
    if (std::sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %*s %*s %*s %4095[^\n]", &start, &stop,
                    perms, path) < 3) {
      continue;
    }
    if (stop <= want) continue;
    if (start > want) break;  // a gap: part of the range is unmapped
    if (perms[3] != 's') {
      result = FromMapping(path);
      break;
    }
    want = stop;
    if (want >= end) {
      result = {RegionKind::kShared, {}};
      break;
    }
  }
  std::fclose(maps);
  return result;
}

std::string ShmemRefusal(const RegionInfo& info) {
  switch (info.kind) {
    case RegionKind::kShared: return {};
    case RegionKind::kMalloc:
      return "Attempt to pass a malloc(3)ed region to xpc_shmem_create()";  // S139
    case RegionKind::kStack:
      return "Attempt to pass a region of the calling thread's stack to xpc_shmem_create()";
    case RegionKind::kPrivateAnonymous:
      return "Attempt to pass a private (not MAP_SHARED) anonymous mapping to "
             "xpc_shmem_create()";
    case RegionKind::kPrivateFile:
      return fmt::format(
          "Attempt to pass a private (not MAP_SHARED) mapping of {} to xpc_shmem_create()",
          info.path);
    case RegionKind::kUnmapped:
      return "Attempt to pass an unmapped region to xpc_shmem_create()";
  }
  return {};
}

}  // namespace xpctest::fakes::objects
