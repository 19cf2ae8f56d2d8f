#include "xpctest/object.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace xpctest {

Object Object::Borrow(xpc_object_t object) {
  return Object(object != nullptr ? xpc_retain(object) : nullptr);
}

Object::Object(const Object& other)
    : object_(other.object_ != nullptr ? xpc_retain(other.object_) : nullptr) {}

Object::~Object() {
  if (object_ != nullptr) xpc_release(object_);
}

xpc_type_t Object::type() const { return object_ != nullptr ? xpc_get_type(object_) : nullptr; }

std::string Object::type_name() const {
  return object_ != nullptr ? xpc_type_get_name(type()) : "none";
}

namespace {

bool IsDictionaryLike(const Object& object) {
  return object.is(XPC_TYPE_DICTIONARY) || object.is(XPC_TYPE_ERROR);
}

}  // namespace

Object Object::operator[](const char* key) const {
  if (!IsDictionaryLike(*this)) return Object();
  return Borrow(xpc_dictionary_get_value(object_, key));
}

Object Object::operator[](size_t index) const {
  if (!is(XPC_TYPE_ARRAY) || index >= xpc_array_get_count(object_)) return Object();
  return Borrow(xpc_array_get_value(object_, index));
}

bool Object::Has(const char* key) const {
  return IsDictionaryLike(*this) && xpc_dictionary_get_value(object_, key) != nullptr;
}

size_t Object::size() const {
  if (IsDictionaryLike(*this)) return xpc_dictionary_get_count(object_);
  if (is(XPC_TYPE_ARRAY)) return xpc_array_get_count(object_);
  return 0;
}

std::vector<std::string> Object::Keys() const {
  __block std::vector<std::string> keys;
  if (!IsDictionaryLike(*this)) return keys;
  xpc_dictionary_apply(object_, ^bool(const char* key, xpc_object_t) {
    keys.emplace_back(key);
    return true;
  });
  return keys;
}

int64_t Object::AsInt64() const { return is(XPC_TYPE_INT64) ? xpc_int64_get_value(object_) : 0; }
uint64_t Object::AsUint64() const {
  return is(XPC_TYPE_UINT64) ? xpc_uint64_get_value(object_) : 0;
}
double Object::AsDouble() const { return is(XPC_TYPE_DOUBLE) ? xpc_double_get_value(object_) : 0; }
bool Object::AsBool() const { return is(XPC_TYPE_BOOL) && xpc_bool_get_value(object_); }
std::string Object::AsString() const {
  return is(XPC_TYPE_STRING) ? std::string(xpc_string_get_string_ptr(object_),
                                           xpc_string_get_length(object_))
                             : std::string();
}
std::vector<uint8_t> Object::AsData() const {
  if (!is(XPC_TYPE_DATA)) return {};
  auto* bytes = static_cast<const uint8_t*>(xpc_data_get_bytes_ptr(object_));
  return std::vector<uint8_t>(bytes, bytes + xpc_data_get_length(object_));
}
int64_t Object::AsDate() const { return is(XPC_TYPE_DATE) ? xpc_date_get_value(object_) : 0; }
int Object::DupFd() const { return is(XPC_TYPE_FD) ? xpc_fd_dup(object_) : -1; }

std::vector<uint8_t> Object::AsShmemBytes() const {
  if (!is(XPC_TYPE_SHMEM)) return {};
  void* region = nullptr;
  size_t size = xpc_shmem_map(object_, &region);
  if (size == 0) return {};
  auto* bytes = static_cast<const uint8_t*>(region);
  std::vector<uint8_t> copy(bytes, bytes + size);
  munmap(region, size);
  return copy;
}

std::string Object::Description() const {
  if (object_ == nullptr) return "(none)";
  char* text = xpc_copy_description(object_);
  std::string description = text != nullptr ? text : "";
  free(text);
  return description;
}

bool operator==(const Object& a, const Object& b) {
  if (a.get() == nullptr || b.get() == nullptr) return a.get() == b.get();
  return xpc_equal(a.get(), b.get());
}

Value::Value(bool value) : object_(Object::Adopt(xpc_bool_create(value))) {}
Value::Value(int value) : object_(Object::Adopt(xpc_int64_create(value))) {}
Value::Value(long value) : object_(Object::Adopt(xpc_int64_create(value))) {}
Value::Value(long long value) : object_(Object::Adopt(xpc_int64_create(value))) {}
Value::Value(double value) : object_(Object::Adopt(xpc_double_create(value))) {}
Value::Value(const char* value) : object_(Object::Adopt(xpc_string_create(value))) {}
Value::Value(std::string_view value)
    : object_(Object::Adopt(xpc_string_create(std::string(value).c_str()))) {}

Dict::Dict() : Object(Object::Adopt(xpc_dictionary_create_empty())) {}

Dict::Dict(std::initializer_list<std::pair<const char*, Value>> entries) : Dict() {
  for (const auto& [key, value] : entries) Set(key, value);
}

Dict& Dict::Set(const char* key, const Value& value) {
  xpc_dictionary_set_value(get(), key, value.object().get());
  return *this;
}

Array::Array() : Object(Object::Adopt(xpc_array_create_empty())) {}

Array::Array(std::initializer_list<Value> elements) : Array() {
  for (const Value& value : elements) Append(value);
}

Array& Array::Append(const Value& value) {
  xpc_array_append_value(get(), value.object().get());
  return *this;
}

Object Data(std::string_view bytes) {
  return Object::Adopt(xpc_data_create(bytes.data(), bytes.size()));
}
Object Data(const std::vector<uint8_t>& bytes) {
  return Object::Adopt(xpc_data_create(bytes.data(), bytes.size()));
}
Object Uint64(uint64_t value) { return Object::Adopt(xpc_uint64_create(value)); }
Object Date(int64_t nanoseconds_since_epoch) {
  return Object::Adopt(xpc_date_create(nanoseconds_since_epoch));
}
Object Uuid(const unsigned char bytes[16]) { return Object::Adopt(xpc_uuid_create(bytes)); }
Object Fd(int fd) { return Object::Adopt(xpc_fd_create(fd)); }
Object Null() { return Object::Adopt(xpc_null_create()); }

namespace {

// Writes all of `bytes` to `fd`, or as much as it takes; false on an error.
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

}  // namespace

Object FileFd(std::string_view contents) {
  int fd = memfd_create("xpctest-file", MFD_CLOEXEC);
  if (fd < 0) return Object();
  Object object;
  if (WriteAll(fd, contents) && lseek(fd, 0, SEEK_SET) == 0) object = Fd(fd);
  close(fd);  // the object holds its own (S38)
  return object;
}

Object PipeFd(std::string_view contents) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC | O_NONBLOCK) != 0) return Object();
  // Non-blocking: what does not fit in the pipe is left out, never waited for.
  (void)WriteAll(ends[1], contents);
  close(ends[1]);
  fcntl(ends[0], F_SETFL, 0);  // the reader sees an ordinary, blocking pipe
  Object object = Fd(ends[0]);
  close(ends[0]);
  return object;
}

Object Shmem(std::string_view bytes) {
  size_t length = std::max<size_t>(bytes.size(), 1);
  void* region = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) return Object();
  memcpy(region, bytes.data(), bytes.size());
  // The object maps the region itself; ours may go.
  Object shmem = Object::Adopt(xpc_shmem_create(region, length));
  munmap(region, length);
  return shmem;
}

Object Endpoint(xpc_connection_t listener) {
  return Object::Adopt(xpc_endpoint_create(listener));
}

}  // namespace xpctest
