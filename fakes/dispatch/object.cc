#include "dispatch/object_internal.h"

#include <fmt/format.h>

#include <deque>
#include <mutex>

#include "base/report.h"
#include "dispatch/data_internal.h"
#include "dispatch/domain_internal.h"
#include "dispatch/queue_internal.h"

namespace xpctest::fakes::dispatch {
namespace {

// Freed objects keep their storage for a while, marked dead, so that a late
// dispatch_release is reported as an over-release instead of touching freed
// memory. The oldest entries are freed for real.
class Quarantine {
 public:
  static constexpr size_t kCapacity = 4096;

  void Add(void* storage) {
    void* evicted = nullptr;
    {
      std::lock_guard lock(mu_);
      entries_.push_back(storage);
      if (entries_.size() > kCapacity) {
        evicted = entries_.front();
        entries_.pop_front();
      }
    }
    if (evicted != nullptr) ::operator delete(evicted);
  }

  ~Quarantine() {
    for (void* storage : entries_) ::operator delete(storage);
  }

 private:
  std::mutex mu_;
  std::deque<void*> entries_;
};

Quarantine& TheQuarantine() {
  static Quarantine quarantine;
  return quarantine;
}

}  // namespace

Object::Object(ObjectKind kind, std::shared_ptr<DomainState> domain, Lifetime lifetime)
    : kind_(kind),
      lifetime_(lifetime),
      domain_(domain.get()),
      domain_keepalive_(std::move(domain)) {}

Object::Object(ObjectKind kind, DomainState* domain)
    : kind_(kind), lifetime_(Lifetime::kImmortal), domain_(domain) {}

Object::~Object() = default;

void Object::RetainExternal() {
  if (immortal()) return;
  xrefs_.fetch_add(1, std::memory_order_relaxed);
}

void Object::ReleaseExternal(std::string_view call) {
  if (immortal()) return;
  int32_t before = xrefs_.fetch_sub(1, std::memory_order_acq_rel);
  if (before <= 0) {
    xrefs_.fetch_add(1, std::memory_order_relaxed);
    ReportDispatchMisuse(call, "Over-release of an object", Describe());
    return;
  }
  if (before == 1) {
    XrefDispose();
    Release();  // the reference all external ones held together
  }
}

void Object::Retain() {
  if (immortal()) return;
  refs_.fetch_add(1, std::memory_order_relaxed);
}

void Object::Release() {
  if (immortal()) return;
  int32_t before = refs_.fetch_sub(1, std::memory_order_acq_rel);
  XPCTEST_ASSERT(before > 0, "dispatch object internal reference count underflow");
  if (before != 1) return;
  dispatch_function_t finalizer = finalizer_.load(std::memory_order_acquire);
  void* context = context_.load(std::memory_order_acquire);
  if (finalizer != nullptr && context != nullptr) {
    // As libdispatch: asynchronously, on the target queue.
    if (Queue* queue = FinalizerQueue()) {
      queue->Async(Closure::FromFunction(finalizer, context), ItemKind::kAsync, nullptr);
    }
  }
  Dispose();
  Free();
}

void Object::DestroyImmortal() {
  XPCTEST_ASSERT(immortal(), "DestroyImmortal on a counted object");
  Dispose();
  delete this;
}

Queue* Object::FinalizerQueue() const { return &domain_->default_queue(); }

void Object::Free() {
  this->~Object();
  // The storage stays allocated (quarantined); only the marker is rewritten.
  magic_.store(kDeadMagic, std::memory_order_release);
  TheQuarantine().Add(this);
}

// Reads the marker word of memory that may be no dispatch object at all;
// UBSan's vptr check must not fire before the word is read.
__attribute__((no_sanitize("vptr"))) Object* FromHandle(const void* handle,
                                                        std::string_view call) {
  if (handle == nullptr) {
    ReportDispatchMisuse(call, fmt::format("{} called with a NULL object", call));
    return nullptr;
  }
  // dispatch_data_empty is a C symbol, not an Object; it stands for the
  // immortal empty data object.
  if (handle == &_dispatch_data_empty) return &EmptyData();
  auto* object = static_cast<Object*>(const_cast<void*>(handle));
  if (object->released()) {
    ReportDispatchMisuse(call, "Over-release of an object",
                         fmt::format("<released dispatch object: {}>", handle));
    return nullptr;
  }
  if (!object->alive()) {
    ReportDispatchMisuse(call,
                         fmt::format("{} called with an object that is not a dispatch object",
                                     call),
                         fmt::format("<not a dispatch object: {}>", handle));
    return nullptr;
  }
  return object;
}

Object* FromHandle(const void* handle, ObjectKind kind, std::string_view call) {
  Object* object = FromHandle(handle, call);
  if (object == nullptr) return nullptr;
  if (object->kind() != kind) {
    ReportDispatchMisuse(call, fmt::format("{} called with an object of the wrong type", call),
                         object->Describe());
    return nullptr;
  }
  return object;
}

}  // namespace xpctest::fakes::dispatch
