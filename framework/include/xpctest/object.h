// xpctest/object.h — XPC objects as C++ values, and builders for messages.
//
// xpctest::Object owns one reference to an xpc_object_t: copying retains,
// destroying releases, moving transfers. Builders make messages from C++
// values, and accessors read them back:
//
//   xpctest::Object request = xpctest::Dict{{"op", "add"}, {"a", 2}, {"b", 3},
//                                           {"blob", xpctest::Data("\x01\x02")},
//                                           {"list", xpctest::Array{1, "two"}}};
//   int64_t a = request["a"].AsInt64();          // 2
//   std::string op = request["op"].AsString();   // "add"
//
// A missing key or a wrong type reads as libxpc's default (S12): 0, "", false.
#ifndef XPCTEST_OBJECT_H
#define XPCTEST_OBJECT_H

#include <xpc/xpc.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xpctest {

class Object {
 public:
  // The empty object (no xpc_object_t).
  Object() = default;
  // Takes over a +1 reference (what create/copy functions return, S14).
  static Object Adopt(xpc_object_t object) { return Object(object); }
  // Retains a borrowed reference (what get functions and handlers give, S19).
  static Object Borrow(xpc_object_t object);

  Object(const Object& other);
  Object(Object&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Object& operator=(Object other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~Object();

  xpc_object_t get() const { return object_; }
  // Gives up ownership: the caller now owns the +1 reference.
  xpc_object_t release() { return std::exchange(object_, nullptr); }
  explicit operator bool() const { return object_ != nullptr; }

  xpc_type_t type() const;
  // "dictionary", "int64", ... or "none" for the empty object.
  std::string type_name() const;
  bool is(xpc_type_t type) const { return object_ != nullptr && this->type() == type; }

  // Dictionary entry or array element; the empty object when absent.
  Object operator[](const char* key) const;
  Object operator[](const std::string& key) const { return (*this)[key.c_str()]; }
  Object operator[](size_t index) const;
  Object operator[](int index) const { return (*this)[static_cast<size_t>(index)]; }
  bool Has(const char* key) const;
  // Entries of a dictionary or array; 0 otherwise.
  size_t size() const;
  std::vector<std::string> Keys() const;

  int64_t AsInt64() const;
  uint64_t AsUint64() const;
  double AsDouble() const;
  bool AsBool() const;
  std::string AsString() const;
  std::vector<uint8_t> AsData() const;
  int64_t AsDate() const;
  // A new descriptor (caller closes) or -1.
  int DupFd() const;
  // A shmem's bytes (the whole mapping, S43: rounded up to pages); empty
  // when this is not a shmem.
  std::vector<uint8_t> AsShmemBytes() const;

  // xpc_copy_description's text; "(none)" for the empty object.
  std::string Description() const;

  friend bool operator==(const Object& a, const Object& b);

 private:
  explicit Object(xpc_object_t object) : object_(object) {}
  xpc_object_t object_ = nullptr;
};

// A value in a builder: anything that becomes an XPC object.
class Value {
 public:
  Value(const Object& object) : object_(object) {}
  Value(Object&& object) : object_(std::move(object)) {}
  Value(bool value);
  Value(int value);
  Value(long value);
  Value(long long value);
  Value(double value);
  Value(const char* value);
  Value(std::string_view value);
  Value(const std::string& value) : Value(std::string_view(value)) {}

  const Object& object() const { return object_; }

 private:
  Object object_;
};

// A dictionary from key/value pairs.
class Dict : public Object {
 public:
  Dict();
  Dict(std::initializer_list<std::pair<const char*, Value>> entries);
  // Adds or replaces an entry; returns *this for chaining.
  Dict& Set(const char* key, const Value& value);
};

class Array : public Object {
 public:
  Array();
  Array(std::initializer_list<Value> elements);
  Array& Append(const Value& value);
};

Object Data(std::string_view bytes);
Object Data(const std::vector<uint8_t>& bytes);
Object Uint64(uint64_t value);
Object Date(int64_t nanoseconds_since_epoch);
Object Uuid(const unsigned char bytes[16]);
// Duplicates `fd` (S38); the caller keeps its own.
Object Fd(int fd);
// An fd on a regular file (an anonymous memfd) holding `contents`, at offset 0.
Object FileFd(std::string_view contents);
// An fd on the read end of a pipe holding `contents` (up to the pipe's
// capacity, 64 KiB on Linux) whose write end is closed: reading it gives
// `contents`, then end of file.
Object PipeFd(std::string_view contents);
Object Null();
// Shared memory (S42) holding `bytes`: a fresh MAP_SHARED mapping, as the
// API requires.
Object Shmem(std::string_view bytes);
// An endpoint for `listener` (S97), to send inside a message.
Object Endpoint(xpc_connection_t listener);

}  // namespace xpctest

#endif  // XPCTEST_OBJECT_H
