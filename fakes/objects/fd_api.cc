// C entry points of fd and shmem boxes (S38–S43). xpc_fd_dup and
// xpc_shmem_map are getters: for another kind they return the default their
// header documents (-1; 0 and a NULL region), as every getter does (S12).
#include <xpc/xpc.h>

#include "objects/fd.h"
#include "objects/shmem.h"

using namespace xpctest::fakes::objects;

extern "C" {

xpc_object_t xpc_fd_create(int fd) { return ToHandle(Fd::Create(fd)); }

int xpc_fd_dup(xpc_object_t xfd) {
  Fd* fd = TryAs<Fd>(FromHandle(xfd, "xpc_fd_dup"));
  return fd != nullptr ? fd->Dup() : -1;  // S39
}

xpc_object_t xpc_shmem_create(void* region, size_t length) {
  return ToHandle(Shmem::Create(region, length, "xpc_shmem_create"));
}

size_t xpc_shmem_map(xpc_object_t xshmem, void** region) {
  Shmem* shmem = TryAs<Shmem>(FromHandle(xshmem, "xpc_shmem_map"));
  if (shmem == nullptr) {
    if (region != nullptr) *region = nullptr;
    return 0;
  }
  return shmem->Map(region);
}

}  // extern "C"
