#include <fmt/format.h>
#include <sys/mman.h>

#include <cstdlib>
#include <cstring>

#include "dispatch/data_internal.h"
#include "dispatch/domain_internal.h"
#include "dispatch/queue_internal.h"

struct dispatch_data_s _dispatch_data_empty;
// Marker blocks: only their addresses matter.
const dispatch_block_t _dispatch_data_destructor_free = ^{
};
const dispatch_block_t _dispatch_data_destructor_munmap = ^{
};

namespace xpctest::fakes::dispatch {

Data::Data(std::shared_ptr<DomainState> domain, const void* bytes, size_t size, Ownership ownership)
    : Object(ObjectKind::kData, std::move(domain), Lifetime::kCounted),
      bytes_(bytes),
      size_(size),
      ownership_(ownership) {}

Data::Data() : Object(ObjectKind::kData, nullptr), bytes_(""), size_(0), ownership_(Ownership::kStatic) {}

Data* Data::Copy(std::shared_ptr<DomainState> domain, const void* bytes, size_t size) {
  void* copy = std::malloc(size);
  std::memcpy(copy, bytes, size);
  return new Data(std::move(domain), copy, size, Ownership::kCopied);
}

Data* Data::Adopt(std::shared_ptr<DomainState> domain, const void* bytes, size_t size,
                  Ownership ownership, Queue* queue, Closure destructor) {
  auto* data = new Data(std::move(domain), bytes, size, ownership);
  if (ownership == Ownership::kBorrowed) {
    data->destructor_queue_ = queue;
    queue->Retain();  // released in Dispose()
    data->destructor_ = std::move(destructor);
  }
  return data;
}

void Data::Dispose() {
  switch (ownership_) {
    case Ownership::kCopied:
    case Ownership::kFree: std::free(const_cast<void*>(bytes_)); break;
    case Ownership::kMunmap: munmap(const_cast<void*>(bytes_), size_); break;
    case Ownership::kBorrowed:
      destructor_queue_->Async(std::move(destructor_), ItemKind::kAsync, nullptr);
      destructor_queue_->Release();
      break;
    case Ownership::kStatic: break;
  }
}

std::string Data::Describe() const {
  return fmt::format("<OS_dispatch_data: data[{}] = {{ xref = {}, ref = {}, size = {} }}>",
                     static_cast<const void*>(this), external_refs(), internal_refs(), size_);
}

Data& EmptyData() {
  static Data* empty = new Data();
  return *empty;
}

}  // namespace xpctest::fakes::dispatch
