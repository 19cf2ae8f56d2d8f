// dispatch/data_internal.h — Data, behind dispatch_data_t.
//
// Always one contiguous region. The bytes are owned (copied or taken with
// DESTRUCTOR_FREE/MUNMAP) or borrowed until a client destructor block runs.
//
// Thread safety: immutable after creation.
#ifndef XPCTEST_FAKES_DISPATCH_DATA_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_DATA_INTERNAL_H

#include <cstddef>
#include <memory>

#include "dispatch/closure.h"
#include "dispatch/object_internal.h"

namespace xpctest::fakes::dispatch {

class Queue;

class Data final : public Object {
 public:
  static constexpr ObjectKind kKind = ObjectKind::kData;

  enum class Ownership { kCopied, kFree, kMunmap, kBorrowed, kStatic };

  // Copies `size` bytes.
  static Data* Copy(std::shared_ptr<DomainState> domain, const void* bytes, size_t size);
  // Takes (kFree, kMunmap) or borrows (kBorrowed: `destructor` runs on `queue`
  // when the object dies) the buffer.
  static Data* Adopt(std::shared_ptr<DomainState> domain, const void* bytes, size_t size,
                     Ownership ownership, Queue* queue, Closure destructor);

  const void* bytes() const { return bytes_; }
  size_t size() const { return size_; }
  std::string Describe() const override;

 private:
  friend Data& EmptyData();
  Data(std::shared_ptr<DomainState> domain, const void* bytes, size_t size, Ownership ownership);
  Data();  // the immortal empty object
  void Dispose() override;

  const void* bytes_;
  size_t size_;
  Ownership ownership_;
  Queue* destructor_queue_ = nullptr;  // internal reference
  Closure destructor_;
};

// The object dispatch_data_empty stands for.
Data& EmptyData();

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_DATA_INTERNAL_H
