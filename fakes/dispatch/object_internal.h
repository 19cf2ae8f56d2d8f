// dispatch/object_internal.h — what every dispatch object shares.
//
// Each dispatch_*_t handed to client code points at an Object: queues,
// sources, semaphores, groups and data derive from it. Reference counting,
// handle validation, context and finalizer, and the quarantine of freed
// objects are written once, here.
//
// Two counts, as in libdispatch: external references (dispatch_retain /
// dispatch_release, the creator's +1) and internal ones (pending work items,
// child queues, armed timers). All external references together hold one
// internal reference. When the last external one goes, XrefDispose() may
// report misuse ("Release of a suspended object"); when the last internal one
// goes, the finalizer is submitted, Dispose() drops what the object holds, and
// the storage enters a quarantine so a late use or an over-release is reported
// instead of touching freed memory.
//
// Thread safety: counts are atomic; context and finalizer are atomic pointers.
#ifndef XPCTEST_FAKES_DISPATCH_OBJECT_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_OBJECT_INTERNAL_H

#include <dispatch/dispatch.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace xpctest::fakes::dispatch {

class DomainState;
class Queue;

enum class ObjectKind : uint8_t { kQueue, kSource, kSemaphore, kGroup, kData };

// Whether an object takes part in reference counting.
enum class Lifetime : uint8_t { kCounted, kImmortal };

class Object {
 public:
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  ObjectKind kind() const { return kind_; }
  bool immortal() const { return lifetime_ == Lifetime::kImmortal; }
  // alive() and released() may read memory that is no dispatch object at
  // all (a handle check): UBSan's vptr check must not fire on it.
  __attribute__((no_sanitize("vptr"))) bool alive() const {
    return magic_.load(std::memory_order_acquire) == kLiveMagic;
  }
  // A dispatch object whose last reference is gone (quarantined); neither
  // this nor alive() holds for memory that is no dispatch object at all.
  __attribute__((no_sanitize("vptr"))) bool released() const {
    return magic_.load(std::memory_order_acquire) == kDeadMagic;
  }
  // The domain the object was created in; never null.
  DomainState& domain() const { return *domain_; }
  // The domain as a shared pointer (non-owning for root queues, whose domain
  // outlives them).
  std::shared_ptr<DomainState> shared_domain() const {
    return domain_keepalive_ ? domain_keepalive_
                             : std::shared_ptr<DomainState>(std::shared_ptr<DomainState>{}, domain_);
  }

  // dispatch_retain / dispatch_release.
  void RetainExternal();
  void ReleaseExternal(std::string_view call);
  // Internal references; pair every Retain with a Release.
  void Retain();
  void Release();

  void set_context(void* context) { context_.store(context, std::memory_order_release); }
  void* context() const { return context_.load(std::memory_order_acquire); }
  void set_finalizer(dispatch_function_t f) { finalizer_.store(f, std::memory_order_release); }

  // "<OS_dispatch_queue_serial: label[0x…] = { xref = 1, ref = 2, … }>"
  virtual std::string Describe() const = 0;
  int32_t external_refs() const { return xrefs_.load(std::memory_order_relaxed); }
  int32_t internal_refs() const { return refs_.load(std::memory_order_relaxed); }

  // Destroys an immortal object (root queues, when their domain goes away).
  void DestroyImmortal();

 protected:
  Object(ObjectKind kind, std::shared_ptr<DomainState> domain, Lifetime lifetime);
  // For root queues: the domain owns them, so they must not own it back.
  Object(ObjectKind kind, DomainState* domain);
  virtual ~Object();

  // The last external reference is gone; report misuse if the object may not
  // die in this state, and put it in a state where it can.
  virtual void XrefDispose() {}
  // The last reference is gone: release children and blocks.
  virtual void Dispose() {}
  // Where the finalizer runs; the domain's default global queue unless overridden.
  virtual Queue* FinalizerQueue() const;

 private:
  void Free();

  static constexpr uint32_t kLiveMagic = 0x64697370;  // "disp"
  static constexpr uint32_t kDeadMagic = 0x64656164;  // "dead"

  std::atomic<uint32_t> magic_{kLiveMagic};
  const ObjectKind kind_;
  const Lifetime lifetime_;
  std::atomic<int32_t> xrefs_{1};
  std::atomic<int32_t> refs_{1};
  std::atomic<void*> context_{nullptr};
  std::atomic<dispatch_function_t> finalizer_{nullptr};
  DomainState* domain_;
  std::shared_ptr<DomainState> domain_keepalive_;  // empty for root queues
};

// An internal reference that follows the object around (captured in lambdas).
template <class T>
class Ref {
 public:
  Ref() = default;
  explicit Ref(T* object) : object_(object) {
    if (object_ != nullptr) object_->Retain();
  }
  Ref(const Ref& other) : Ref(other.object_) {}
  Ref(Ref&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Ref& operator=(Ref other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~Ref() {
    if (object_ != nullptr) object_->Release();
  }
  T* get() const { return object_; }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  T* object_ = nullptr;
};

// Converts a handle. Reports misuse naming `call` and returns nullptr when the
// handle is NULL, released, or not of `kind`.
Object* FromHandle(const void* handle, std::string_view call);
Object* FromHandle(const void* handle, ObjectKind kind, std::string_view call);

template <class T>
T* As(const void* handle, std::string_view call) {
  return static_cast<T*>(FromHandle(handle, T::kKind, call));
}

template <class Handle>
Handle ToHandle(Object* object) {
  return reinterpret_cast<Handle>(object);
}

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_OBJECT_INTERNAL_H
