// The parts of every object that are written once: reference counting, the
// quarantine of released objects, and handle validation (S14–S16, S139, P6).
#include "objects/object.h"

#include <fmt/format.h>

#include <array>
#include <mutex>
#include <vector>

#include "base/report.h"

namespace xpctest::fakes::objects {
namespace {

std::atomic<int64_t> g_live_objects{0};

// Released objects stay allocated (marked dead, contents already freed by
// Dispose) for a while, so that a late xpc_release or a late use is reported
// instead of touching freed memory. Bounded: the oldest entry is freed when
// the ring is full.
class Quarantine {
 public:
  void Add(Object* object) {
    Object* evicted = nullptr;
    {
      std::lock_guard lock(mutex_);
      evicted = ring_[next_];
      ring_[next_] = object;
      next_ = (next_ + 1) % ring_.size();
    }
    if (evicted != nullptr) FreeQuarantinedObject(evicted);
  }

 private:
  std::mutex mutex_;
  std::array<Object*, kQuarantinedObjects> ring_{};
  size_t next_ = 0;
};

Quarantine& TheQuarantine() {
  // Never destroyed: objects released during static destruction still land here.
  static Quarantine* quarantine = new Quarantine;
  return *quarantine;
}

}  // namespace

void FreeQuarantinedObject(Object* object) { delete object; }

void Object::NoteCreated() { g_live_objects.fetch_add(1, std::memory_order_relaxed); }

Object* Object::Retain() {
  if (immortal()) return this;  // S7
  refs_.fetch_add(1, std::memory_order_relaxed);
  return this;
}

void Object::Release(std::string_view call) {
  if (immortal()) return;  // S7
  int32_t previous = refs_.fetch_sub(1, std::memory_order_acq_rel);
  if (previous > 1) {
    // Only internal references left: the user's are gone.
    if (previous - 1 == internal_refs_.load(std::memory_order_acquire)) OnUserReferencesGone();
    return;
  }
  if (previous < 1) {
    // Raced with the last release on another thread; undo and report (S16).
    refs_.fetch_add(1, std::memory_order_relaxed);
    ReportXpcMisuse(call, "Over-release of object.", Description());
    return;
  }
  Destroy();
}

bool Object::TryRetainInternal() {
  if (immortal()) return false;
  int32_t refs = refs_.load(std::memory_order_relaxed);
  do {
    if (refs < 1) return false;
  } while (!refs_.compare_exchange_weak(refs, refs + 1, std::memory_order_acq_rel));
  internal_refs_.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

void Object::ReleaseInternal(std::string_view call) {
  // Counted down first, so that Release() does not take the remaining
  // references for internal ones.
  internal_refs_.fetch_sub(1, std::memory_order_acq_rel);
  Release(call);
}

namespace {

// The disposals waiting on this thread while one runs; null when none runs.
thread_local std::vector<Object*>* t_waiting_disposals = nullptr;

}  // namespace

void Object::Destroy() {
  if (t_waiting_disposals != nullptr) {
    t_waiting_disposals->push_back(this);  // after the running one
    return;
  }
  std::vector<Object*> waiting;
  t_waiting_disposals = &waiting;
  DisposeAndQuarantine();
  while (!waiting.empty()) {
    Object* next = waiting.back();
    waiting.pop_back();
    next->DisposeAndQuarantine();
  }
  t_waiting_disposals = nullptr;
}

void Object::DisposeAndQuarantine() {
  Dispose();
  magic_.store(kDeadMagic, std::memory_order_release);
  g_live_objects.fetch_sub(1, std::memory_order_relaxed);
  TheQuarantine().Add(this);
}

Object* Object::Copy() { return nullptr; }

bool Object::Equals(const Object& other) const { return this == &other; }

size_t Object::Hash() const { return std::hash<const void*>()(this); }

std::string Object::Description() const {
  std::string out;
  if (!alive()) return DescriptionHeader(*this) + " (released)";
  AppendDescription(out, 0);
  return out;
}

// Handle checks read the magic word of memory that may not hold an object at
// all (S139); UBSan's vptr check must not fire before the word is read.
#define XPCTEST_READS_FOREIGN_MEMORY __attribute__((no_sanitize("vptr")))

XPCTEST_READS_FOREIGN_MEMORY bool Object::IsHandle() const {
  uint32_t magic = magic_.load(std::memory_order_relaxed);
  return magic == kLiveMagic || magic == kDeadMagic;
}

namespace {

// The checks shared by every FromHandle flavour; reports and returns nullptr.
XPCTEST_READS_FOREIGN_MEMORY Object* CheckedObject(const void* handle, std::string_view call) {
  if (handle == nullptr) {
    ReportXpcMisuse(call, fmt::format("NULL object passed to {}.", call));
    return nullptr;
  }
  auto* object = static_cast<Object*>(const_cast<void*>(handle));
  if (!object->IsHandle()) {
    ReportXpcMisuse(call, "Object is not an XPC object", FormatAddress(handle));  // S139
    return nullptr;
  }
  if (!object->alive()) {
    ReportXpcMisuse(call, "Use of an object after its last release.", object->Description());
    return nullptr;
  }
  return object;
}

}  // namespace

Object* FromHandle(const void* handle, std::string_view call) {
  return CheckedObject(handle, call);
}

Object* FromHandle(const void* handle, Kind kind, std::string_view call) {
  Object* object = CheckedObject(handle, call);
  if (object == nullptr) return nullptr;
  if (object->kind() != kind) {
    // P6: a wrong kind passed to a typed call.
    ReportXpcMisuse(call,
                    fmt::format("Object of type {} passed where {} is required.",
                                object->type()->name, TypeOf(kind)->name),
                    object->Description());
    return nullptr;
  }
  return object;
}

XPCTEST_READS_FOREIGN_MEMORY Object* TryFromHandle(const void* handle, Kind kind) {
  if (handle == nullptr) return nullptr;
  auto* object = static_cast<Object*>(const_cast<void*>(handle));
  if (!object->IsHandle() || !object->alive() || object->kind() != kind) return nullptr;
  return object;
}

XPCTEST_READS_FOREIGN_MEMORY bool IsReleasedHandle(const void* handle) {
  if (handle == nullptr) return false;
  const auto* object = static_cast<const Object*>(handle);
  return object->IsHandle() && !object->alive();
}

int64_t LiveObjectCount() { return g_live_objects.load(std::memory_order_relaxed); }

bool ObjectsEqual(const Object& a, const Object& b) {
  if (&a == &b) return true;
  return a.type() == b.type() && a.Equals(b);  // S45: no coercion between types
}

std::string DescriptionHeader(const Object& object) {
  return fmt::format("<{}: {}>", object.type()->name, FormatAddress(&object));
}

void AppendIndent(std::string& out, int depth) { out.append(static_cast<size_t>(depth), '\t'); }

}  // namespace xpctest::fakes::objects
