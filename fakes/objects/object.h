// objects/object.h — the header every XPC object shares.
//
// Every xpc_object_t handed to user code points at an Object. Kinds (int64,
// dictionary, connection, ...) derive from it and override the per-kind
// behaviour: copy, equality, hash, description and disposal. Retain counting,
// handle validation and the quarantine of released objects are written once,
// here.
//
// Lifetime: an object is created with one reference (S14). When the last
// reference goes, Dispose() releases what the object holds (contents too:
// data bytes, string text) and the object's small shell enters a quarantine
// of the last kQuarantinedObjects released objects, so that a late use or an
// over-release within that window is reported as misuse (S16) instead of
// touching freed memory. Disposal never recurses: the children a disposal
// releases are disposed after it, on the same thread, before the outermost
// release returns, so any depth of nesting is released in constant stack.
// Immortal objects (bool and null singletons, error singletons) ignore retain
// and release (S7).
//
// Internal references (libxpc's own, beside the user's, as os_object keeps a
// ref count beside its xref count) keep an object's memory alive while the
// runtime still works for it, e.g. a connection until its final event. When
// only internal references remain, OnUserReferencesGone() runs; Dispose()
// runs when the last reference of either kind goes.
//
// Thread safety: Retain/Release are atomic; everything else is the kind's business.
#ifndef XPCTEST_FAKES_OBJECTS_OBJECT_H
#define XPCTEST_FAKES_OBJECTS_OBJECT_H

#include <xpc/xpc.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace xpctest::fakes::objects {

// One per XPC_TYPE_* descriptor.
enum class Kind : uint8_t {
  kNull, kBool, kInt64, kUint64, kDouble, kDate, kData, kString, kUuid, kFd, kShmem,
  kArray, kDictionary, kError, kConnection, kEndpoint, kSession, kListener, kRichError,
  kActivity, kPeerRequirement,
};

}  // namespace xpctest::fakes::objects

// The descriptor behind each XPC_TYPE_* constant (declared opaque in <xpc/xpc.h>).
struct _xpc_type_s {
  xpctest::fakes::objects::Kind kind;
  const char* name;  // the short form of P4: "int64", "dictionary", ...
};

namespace xpctest::fakes::objects {

// Whether an object takes part in reference counting.
enum class Lifetime : uint8_t { kCounted, kImmortal };

class Object {
 public:
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  xpc_type_t type() const { return type_; }
  Kind kind() const { return type_->kind; }

  // S15: returns this.
  Object* Retain();
  // S16: reports "Over-release of object." naming `call` when the count is
  // already zero. The last release disposes the object.
  void Release(std::string_view call);

  // An internal reference (see above); pairs with ReleaseInternal. Fails, and
  // takes nothing, when the object has no reference left (being disposed).
  bool TryRetainInternal();
  void ReleaseInternal(std::string_view call);

  // xpc_copy (S44): a new reference to an equal, independent object. Immutable
  // kinds return this, retained; kinds that cannot be copied return nullptr.
  virtual Object* Copy();
  // What a receiver gets when this object travels in a message (S49): a new,
  // equal object that is not this one, or nullptr when the kind cannot be
  // copied. The bool, null and error singletons are the same objects in every
  // process (S5, S6, S8), so they return themselves. The default is Copy(),
  // right for kinds whose Copy() already makes a new object.
  virtual Object* ReceiverCopy() { return Copy(); }
  // xpc_equal (S45); `other` has the same type (checked by the caller).
  virtual bool Equals(const Object& other) const;
  // xpc_hash (S46): equal objects hash equally.
  virtual size_t Hash() const;
  // xpc_copy_description (S106–S110): appends this object's text; nested
  // entries are indented with `depth` tabs.
  virtual void AppendDescription(std::string& out, int depth) const = 0;

  std::string Description() const;

  // True while the object has not been disposed; false for a released object
  // still in quarantine.
  bool alive() const { return magic_.load(std::memory_order_relaxed) == kLiveMagic; }
  bool IsHandle() const;

 protected:
  explicit constexpr Object(xpc_type_t type, Lifetime lifetime = Lifetime::kCounted)
      : type_(type), refs_(lifetime == Lifetime::kImmortal ? kImmortalRefs : 1) {
    // Balanced in Release(), when the last reference goes (LiveObjectCount()).
    if (!std::is_constant_evaluated() && lifetime == Lifetime::kCounted) NoteCreated();
  }
  virtual ~Object() = default;

  // Called once, when the last reference is released: drop children and
  // contents, close fds, release blocks. Kinds that must report (S59)
  // override it. Children released here are disposed after this returns.
  virtual void Dispose() {}
  // The user's references are gone while internal ones remain (see above).
  virtual void OnUserReferencesGone() {}

 private:
  friend void FreeQuarantinedObject(Object* object);

  static void NoteCreated();
  bool immortal() const { return refs_.load(std::memory_order_relaxed) >= kImmortalRefs / 2; }
  // Disposes this object now, or after the disposal already running on this
  // thread (which keeps the stack flat however deep the nesting).
  void Destroy();
  // Dispose(), then the quarantine.
  void DisposeAndQuarantine();

  static constexpr uint32_t kLiveMagic = 0x78504321;  // "xPC!"
  // Not libdispatch's dead marker: a released XPC object passed to dispatch
  // must read as "not a dispatch object", not as a released one.
  static constexpr uint32_t kDeadMagic = 0x78646561;  // "xdea"
  static constexpr int32_t kImmortalRefs = INT32_MAX;

  std::atomic<uint32_t> magic_{kLiveMagic};
  xpc_type_t type_;
  std::atomic<int32_t> refs_;
  std::atomic<int32_t> internal_refs_{0};
};

// How many released objects stay quarantined (their shells only: contents
// are freed at release). A late use of an object released longer ago than
// this many releases is not detected.
inline constexpr size_t kQuarantinedObjects = 4096;

// Converts a handle to its object. Reports misuse naming `call` and returns
// nullptr when the handle is NULL, not an XPC object, or already released.
Object* FromHandle(const void* handle, std::string_view call);

// As FromHandle, and also requires the given kind; a wrong kind is misuse (P6).
Object* FromHandle(const void* handle, Kind kind, std::string_view call);

// The same check without a report, for getters that return a default (S12).
Object* TryFromHandle(const void* handle, Kind kind);

// True when `handle` is an object whose last reference is gone (in quarantine).
bool IsReleasedHandle(const void* handle);

template <class T>
T* As(const void* handle, std::string_view call) {
  return static_cast<T*>(FromHandle(handle, T::kKind, call));
}
template <class T>
T* TryAs(const void* handle) {
  return static_cast<T*>(TryFromHandle(handle, T::kKind));
}

inline xpc_object_t ToHandle(Object* object) { return object; }

// The descriptor for a kind.
xpc_type_t TypeOf(Kind kind);

// xpc_equal's rule (S45): the same object, or the same type and equal values.
bool ObjectsEqual(const Object& a, const Object& b);

// "<int64: 0x...>": the opening of every description (S108).
std::string DescriptionHeader(const Object& object);

// Appends `depth` tabs: the indentation of nested entries (§15).
void AppendIndent(std::string& out, int depth);

// Number of live counted objects, for leak accounting in tests.
int64_t LiveObjectCount();

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_OBJECT_H
