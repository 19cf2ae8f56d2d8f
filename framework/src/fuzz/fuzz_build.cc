// Fuzz values to XPC objects and back, and the comparison of the two.
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "fuzz/fuzz_text.h"
#include "xpctest/fuzz_input.h"

namespace xpctest {
namespace {

using internal::CStringLiteral;

xpc_type_t XpcTypeOf(FuzzType type) {
  switch (type) {
    case FuzzType::kNull:
      return XPC_TYPE_NULL;
    case FuzzType::kBool:
      return XPC_TYPE_BOOL;
    case FuzzType::kInt64:
      return XPC_TYPE_INT64;
    case FuzzType::kUint64:
      return XPC_TYPE_UINT64;
    case FuzzType::kDouble:
      return XPC_TYPE_DOUBLE;
    case FuzzType::kDate:
      return XPC_TYPE_DATE;
    case FuzzType::kData:
      return XPC_TYPE_DATA;
    case FuzzType::kString:
      return XPC_TYPE_STRING;
    case FuzzType::kUuid:
      return XPC_TYPE_UUID;
    case FuzzType::kFd:
      return XPC_TYPE_FD;
    case FuzzType::kShmem:
      return XPC_TYPE_SHMEM;
    case FuzzType::kArray:
      return XPC_TYPE_ARRAY;
    case FuzzType::kDictionary:
      return XPC_TYPE_DICTIONARY;
    case FuzzType::kEndpoint:
      return XPC_TYPE_ENDPOINT;
  }
  return XPC_TYPE_NULL;
}

double AsDouble(uint64_t bits) {
  double value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

uint64_t BitsOf(double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof bits);
  return bits;
}

// Regular files keep this much of their contents as a seed.
constexpr size_t kMaxFileSeed = 4096;

FuzzValue FdFromXpc(xpc_object_t object) {
  FuzzValue value{FuzzType::kFd};
  value.bits = static_cast<uint64_t>(FdKind::kPipe);
  int fd = xpc_fd_dup(object);
  if (fd < 0) return value;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    value.bits = static_cast<uint64_t>(FdKind::kFile);
    value.bytes.resize(std::min<size_t>(static_cast<size_t>(st.st_size), kMaxFileSeed));
    ssize_t n = pread(fd, value.bytes.data(), value.bytes.size(), 0);
    value.bytes.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  close(fd);
  return value;
}

// The bytes a shmem maps, the whole mapping (S43: rounded up to pages).
std::string MappedBytes(xpc_object_t shmem) {
  void* region = nullptr;
  size_t size = xpc_shmem_map(shmem, &region);
  if (size == 0 || region == nullptr) return {};
  std::string bytes(static_cast<const char*>(region), size);
  munmap(region, size);
  return bytes;
}

class Comparison {
 public:
  explicit Comparison(const std::string& path) : path_(path) {}

  std::string Mismatch(const FuzzValue& expected, xpc_object_t actual) {
    if (actual == nullptr) {
      return Say(std::string("expected ") + FuzzTypeName(expected.type) + ", got nothing");
    }
    xpc_type_t type = xpc_get_type(actual);
    if (type != XpcTypeOf(expected.type)) {
      return Say(std::string("expected ") + FuzzTypeName(expected.type) + ", got " +
                 xpc_type_get_name(type));
    }
    switch (expected.type) {
      case FuzzType::kNull:
      case FuzzType::kEndpoint:
        return "";
      case FuzzType::kBool:
        return Scalar(expected.bits != 0, xpc_bool_get_value(actual));
      case FuzzType::kInt64:
        return Scalar(static_cast<int64_t>(expected.bits), xpc_int64_get_value(actual));
      case FuzzType::kUint64:
        return Scalar(expected.bits, xpc_uint64_get_value(actual));
      case FuzzType::kDate:
        return Scalar(static_cast<int64_t>(expected.bits), xpc_date_get_value(actual));
      case FuzzType::kDouble: {
        // The bits travel unchanged: -0.0 stays -0.0, a NaN keeps its payload.
        double got = xpc_double_get_value(actual);
        if (BitsOf(got) == expected.bits) return "";
        return Say("expected double " + std::to_string(AsDouble(expected.bits)) + ", got " +
                   std::to_string(got));
      }
      case FuzzType::kData: {
        std::string got(static_cast<const char*>(xpc_data_get_bytes_ptr(actual)),
                        xpc_data_get_length(actual));
        return Bytes(expected.bytes, got);
      }
      case FuzzType::kString:
        return Bytes(expected.bytes,
                     std::string(xpc_string_get_string_ptr(actual), xpc_string_get_length(actual)));
      case FuzzType::kUuid:
        return Bytes(expected.bytes,
                     std::string(reinterpret_cast<const char*>(xpc_uuid_get_bytes(actual)), 16));
      case FuzzType::kFd:
        return Fd(expected, actual);
      case FuzzType::kShmem: {
        std::string got = MappedBytes(actual);
        if (got.size() < expected.bytes.size() ||
            got.compare(0, expected.bytes.size(), expected.bytes) != 0 ||
            got.find_first_not_of('\0', expected.bytes.size()) != std::string::npos) {
          return Say("expected shmem mapping " + CStringLiteral(expected.bytes) +
                     " then zeros, got " + std::to_string(got.size()) + " bytes " +
                     CStringLiteral(got.substr(0, 64)));
        }
        return "";
      }
      case FuzzType::kArray:
        return Array(expected, actual);
      case FuzzType::kDictionary:
        return Dictionary(expected, actual);
    }
    return "";
  }

 private:
  std::string Say(const std::string& what) const {
    return path_.empty() ? what : "at " + path_ + ": " + what;
  }

  template <class T>
  std::string Scalar(T expected, T actual) const {
    if (expected == actual) return "";
    return Say("expected " + std::to_string(expected) + ", got " + std::to_string(actual));
  }

  std::string Bytes(const std::string& expected, const std::string& actual) const {
    if (expected == actual) return "";
    return Say("expected " + CStringLiteral(expected) + ", got " + CStringLiteral(actual));
  }

  std::string Fd(const FuzzValue& expected, xpc_object_t actual) const {
    FuzzValue got = FdFromXpc(actual);
    if (got.bits != expected.bits) {
      return Say(std::string("expected an fd on a ") +
                 (expected.bits == static_cast<uint64_t>(FdKind::kFile) ? "file" : "pipe") +
                 ", got another kind");
    }
    if (expected.bits == static_cast<uint64_t>(FdKind::kFile) &&
        got.bytes != expected.bytes.substr(0, kMaxFileSeed)) {
      return Say("expected a file holding " + CStringLiteral(expected.bytes) + ", got " +
                 CStringLiteral(got.bytes));
    }
    return "";
  }

  std::string Array(const FuzzValue& expected, xpc_object_t actual) {
    size_t count = xpc_array_get_count(actual);
    if (count != expected.entries.size()) {
      return Say("expected " + std::to_string(expected.entries.size()) + " elements, got " +
                 std::to_string(count));
    }
    for (size_t i = 0; i < count; ++i) {
      Comparison inner(path_ + "[" + std::to_string(i) + "]");
      std::string why = inner.Mismatch(expected.entries[i].value, xpc_array_get_value(actual, i));
      if (!why.empty()) return why;
    }
    return "";
  }

  std::string Dictionary(const FuzzValue& expected, xpc_object_t actual) {
    size_t count = xpc_dictionary_get_count(actual);
    if (count != expected.entries.size()) {
      return Say("expected " + std::to_string(expected.entries.size()) + " entries, got " +
                 std::to_string(count));
    }
    for (const FuzzEntry& entry : expected.entries) {
      Comparison inner(path_ + "[" + CStringLiteral(entry.key) + "]");
      std::string why =
          inner.Mismatch(entry.value, xpc_dictionary_get_value(actual, entry.key.c_str()));
      if (!why.empty()) return why;
    }
    return "";
  }

  std::string path_;
};

}  // namespace

Object BuildFuzzValue(const FuzzValue& value, const FuzzBuildContext& context) {
  switch (value.type) {
    case FuzzType::kNull:
      return Null();
    case FuzzType::kBool:
      return Object::Adopt(xpc_bool_create(value.bits != 0));
    case FuzzType::kInt64:
      return Object::Adopt(xpc_int64_create(static_cast<int64_t>(value.bits)));
    case FuzzType::kUint64:
      return Uint64(value.bits);
    case FuzzType::kDouble:
      return Object::Adopt(xpc_double_create(AsDouble(value.bits)));
    case FuzzType::kDate:
      return Date(static_cast<int64_t>(value.bits));
    case FuzzType::kData:
      return Data(value.bytes);
    case FuzzType::kString:
      return Object::Adopt(xpc_string_create(value.bytes.c_str()));
    case FuzzType::kUuid: {
      unsigned char bytes[16] = {};
      memcpy(bytes, value.bytes.data(), std::min<size_t>(value.bytes.size(), 16));
      return Uuid(bytes);
    }
    case FuzzType::kFd:
      return value.bits == static_cast<uint64_t>(FdKind::kFile) ? FileFd(value.bytes)
                                                                : PipeFd(value.bytes);
    case FuzzType::kShmem:
      return Shmem(value.bytes);
    case FuzzType::kArray: {
      xpctest::Array array;
      for (const FuzzEntry& element : value.entries) {
        Object built = BuildFuzzValue(element.value, context);
        // A descriptor the system refused (EMFILE) leaves a null in its place.
        array.Append(built ? built : Null());
      }
      return array;
    }
    case FuzzType::kDictionary: {
      Dict dictionary;
      for (const FuzzEntry& entry : value.entries) {
        Object built = BuildFuzzValue(entry.value, context);
        dictionary.Set(entry.key.c_str(), built ? built : Null());
      }
      return dictionary;
    }
    case FuzzType::kEndpoint:
      if (context.endpoint_listener == nullptr) return Null();
      return Endpoint(context.endpoint_listener);
  }
  return Null();
}

FuzzValue FuzzValueFromXpc(xpc_object_t object) {
  FuzzValue value;
  if (object == nullptr) return value;
  xpc_type_t type = xpc_get_type(object);
  if (type == XPC_TYPE_BOOL) {
    value = FuzzValue(FuzzType::kBool, xpc_bool_get_value(object) ? 1u : 0u);
  } else if (type == XPC_TYPE_INT64) {
    value = FuzzValue(FuzzType::kInt64, static_cast<uint64_t>(xpc_int64_get_value(object)));
  } else if (type == XPC_TYPE_UINT64) {
    value = FuzzValue(FuzzType::kUint64, xpc_uint64_get_value(object));
  } else if (type == XPC_TYPE_DOUBLE) {
    value = FuzzValue(FuzzType::kDouble, BitsOf(xpc_double_get_value(object)));
  } else if (type == XPC_TYPE_DATE) {
    value = FuzzValue(FuzzType::kDate, static_cast<uint64_t>(xpc_date_get_value(object)));
  } else if (type == XPC_TYPE_DATA) {
    value.type = FuzzType::kData;
    value.bytes.assign(static_cast<const char*>(xpc_data_get_bytes_ptr(object)),
                       xpc_data_get_length(object));
  } else if (type == XPC_TYPE_STRING) {
    value.type = FuzzType::kString;
    value.bytes = xpc_string_get_string_ptr(object);
  } else if (type == XPC_TYPE_UUID) {
    value.type = FuzzType::kUuid;
    value.bytes.assign(reinterpret_cast<const char*>(xpc_uuid_get_bytes(object)), 16);
  } else if (type == XPC_TYPE_FD) {
    value = FdFromXpc(object);
  } else if (type == XPC_TYPE_SHMEM) {
    value.type = FuzzType::kShmem;
    value.bytes = MappedBytes(object);
    size_t end = value.bytes.find_last_not_of('\0');
    value.bytes.resize(end == std::string::npos ? 0 : end + 1);
  } else if (type == XPC_TYPE_ENDPOINT) {
    value.type = FuzzType::kEndpoint;
  } else if (type == XPC_TYPE_ARRAY) {
    value.type = FuzzType::kArray;
    for (size_t i = 0; i < xpc_array_get_count(object); ++i) {
      value.entries.push_back({"", FuzzValueFromXpc(xpc_array_get_value(object, i))});
    }
  } else if (type == XPC_TYPE_DICTIONARY) {
    value.type = FuzzType::kDictionary;
    __block std::vector<FuzzEntry>* entries = &value.entries;
    xpc_dictionary_apply(object, ^bool(const char* key, xpc_object_t element) {
      entries->push_back({key, FuzzValueFromXpc(element)});
      return true;
    });
  }
  return value;
}

void EmptyAllContainers(xpc_object_t object) {
  xpc_type_t type = xpc_get_type(object);
  if (type == XPC_TYPE_ARRAY) {
    for (size_t i = 0; i < xpc_array_get_count(object); ++i) {
      EmptyAllContainers(xpc_array_get_value(object, i));
      xpc_array_set_value(object, i, Null().get());
    }
  } else if (type == XPC_TYPE_DICTIONARY) {
    for (const std::string& key : Object::Borrow(object).Keys()) {
      EmptyAllContainers(xpc_dictionary_get_value(object, key.c_str()));
      xpc_dictionary_set_value(object, key.c_str(), nullptr);
    }
  }
}

std::string FuzzValueMismatch(const FuzzValue& expected, xpc_object_t actual) {
  return Comparison("").Mismatch(expected, actual);
}

}  // namespace xpctest
