// C entry points of <dispatch/data.h>.
#include <dispatch/dispatch.h>

#include <cstring>

#include "dispatch/api_util.h"
#include "dispatch/data_internal.h"

namespace dispatch = xpctest::fakes::dispatch;
using dispatch::Closure;
using dispatch::Data;

dispatch_data_t dispatch_data_create(const void* buffer, size_t size, dispatch_queue_t queue,
                                     dispatch_block_t destructor) {
  bool is_free = destructor == DISPATCH_DATA_DESTRUCTOR_FREE;
  bool is_munmap = destructor == DISPATCH_DATA_DESTRUCTOR_MUNMAP;
  if (buffer == nullptr || size == 0) {
    // Nothing to keep: the buffer is handed back at once.
    if (is_free) std::free(const_cast<void*>(buffer));
    else if (destructor != nullptr && !is_munmap && queue != nullptr) dispatch_async(queue, destructor);
    else if (destructor != nullptr && !is_munmap) dispatch_async(dispatch_get_global_queue(0, 0), destructor);
    return dispatch_data_empty;
  }
  auto domain = dispatch::CurrentDomainState();
  if (destructor == DISPATCH_DATA_DESTRUCTOR_DEFAULT) {
    return dispatch::ToHandle<dispatch_data_t>(Data::Copy(domain, buffer, size));
  }
  if (is_free || is_munmap) {
    return dispatch::ToHandle<dispatch_data_t>(
        Data::Adopt(domain, buffer, size, is_free ? Data::Ownership::kFree : Data::Ownership::kMunmap,
                    nullptr, Closure()));
  }
  dispatch::Queue* q = queue != nullptr ? dispatch::As<dispatch::Queue>(queue, "dispatch_data_create")
                                        : &domain->default_queue();
  if (q == nullptr) return nullptr;
  return dispatch::ToHandle<dispatch_data_t>(Data::Adopt(
      domain, buffer, size, Data::Ownership::kBorrowed, q, Closure::FromBlock(destructor)));
}

size_t dispatch_data_get_size(dispatch_data_t data) {
  Data* d = dispatch::As<Data>(data, "dispatch_data_get_size");
  return d != nullptr ? d->size() : 0;
}

dispatch_data_t dispatch_data_create_map(dispatch_data_t data, const void** buffer_ptr,
                                         size_t* size_ptr) {
  Data* d = dispatch::As<Data>(data, "dispatch_data_create_map");
  if (d == nullptr) return nullptr;
  // Already contiguous: the map is the object itself.
  d->RetainExternal();
  if (buffer_ptr != nullptr) *buffer_ptr = d->bytes();
  if (size_ptr != nullptr) *size_ptr = d->size();
  return data;
}

dispatch_data_t dispatch_data_create_concat(dispatch_data_t data1, dispatch_data_t data2) {
  Data* a = dispatch::As<Data>(data1, "dispatch_data_create_concat");
  Data* b = dispatch::As<Data>(data2, "dispatch_data_create_concat");
  if (a == nullptr || b == nullptr) return nullptr;
  size_t size = a->size() + b->size();
  if (size == 0) return dispatch_data_empty;
  void* bytes = std::malloc(size);
  std::memcpy(bytes, a->bytes(), a->size());
  std::memcpy(static_cast<char*>(bytes) + a->size(), b->bytes(), b->size());
  return dispatch_data_create(bytes, size, nullptr, DISPATCH_DATA_DESTRUCTOR_FREE);
}

dispatch_data_t dispatch_data_create_subrange(dispatch_data_t data, size_t offset, size_t length) {
  Data* d = dispatch::As<Data>(data, "dispatch_data_create_subrange");
  if (d == nullptr) return nullptr;
  if (offset >= d->size() || length == 0) return dispatch_data_empty;
  length = std::min(length, d->size() - offset);
  return dispatch_data_create(static_cast<const char*>(d->bytes()) + offset, length, nullptr,
                              DISPATCH_DATA_DESTRUCTOR_DEFAULT);
}

bool dispatch_data_apply(dispatch_data_t data, dispatch_data_applier_t applier) {
  Data* d = dispatch::As<Data>(data, "dispatch_data_apply");
  if (d == nullptr || applier == nullptr) return false;
  if (d->size() == 0) return true;
  return applier(data, 0, d->bytes(), d->size());
}
