#include "conformance/objects_test_support.h"

#include <malloc.h>

#include <cstdlib>
#include <regex>
#include <vector>

// Defined by every sanitizer runtime; absent (null) in a plain build.
extern "C" size_t __sanitizer_get_current_allocated_bytes() __attribute__((weak));

namespace xpctest::conformance {

int64_t HeapBytesInUse() {
  if (__sanitizer_get_current_allocated_bytes != nullptr) {
    return static_cast<int64_t>(__sanitizer_get_current_allocated_bytes());
  }
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

xpc_object_t NestedDictionaries(int levels) {
  xpc_object_t inner = xpc_dictionary_create_empty();
  for (int level = 1; level < levels; ++level) {
    xpc_object_t outer = xpc_dictionary_create_empty();
    xpc_dictionary_set_value(outer, "next", inner);
    xpc_release(inner);
    inner = outer;
  }
  return inner;
}

std::string Describe(xpc_object_t object) {
  char* text = xpc_copy_description(object);
  std::string result = text != nullptr ? text : "(null)";
  free(text);
  return result;
}

std::string MaskAddresses(const std::string& text) {
  static const std::regex kAddress("0x[0-9a-f]+");
  return std::regex_replace(text, kAddress, "0xADDR");
}

std::string ObjectGenerator::Key() {
  static const char* const kKeys[] = {"a", "b", "op", "name", "count", "x", "payload", "id"};
  return kKeys[random_() % 8];
}

xpc_object_t ObjectGenerator::Leaf() {
  switch (random_() % 10) {
    case 0: return xpc_null_create();
    case 1: return xpc_bool_create(random_() % 2 == 0);
    case 2: return xpc_int64_create(static_cast<int64_t>(random_()) - (1 << 30));
    case 3: return xpc_uint64_create(random_());
    case 4: return xpc_double_create(static_cast<double>(random_() % 1000) / 8.0);
    case 5: return xpc_date_create(static_cast<int64_t>(random_()) * 1000);
    case 6: {
      std::vector<unsigned char> bytes(random_() % 40);
      for (auto& byte : bytes) byte = static_cast<unsigned char>(random_());
      return xpc_data_create(bytes.data(), bytes.size());
    }
    case 7: {
      uuid_t uuid;
      for (auto& byte : uuid) byte = static_cast<unsigned char>(random_());
      return xpc_uuid_create(uuid);
    }
    default: return xpc_string_create(("s" + std::to_string(random_() % 100)).c_str());
  }
}

xpc_object_t ObjectGenerator::NextContainer(int depth) {
  size_t count = random_() % 5;
  if (random_() % 2 == 0) {
    xpc_object_t array = xpc_array_create_empty();
    for (size_t i = 0; i < count; ++i) {
      xpc_object_t value = Next(depth - 1);
      xpc_array_append_value(array, value);
      xpc_release(value);
    }
    return array;
  }
  xpc_object_t dictionary = xpc_dictionary_create_empty();
  for (size_t i = 0; i < count; ++i) {
    xpc_object_t value = Next(depth - 1);
    xpc_dictionary_set_value(dictionary, Key().c_str(), value);
    xpc_release(value);
  }
  return dictionary;
}

xpc_object_t ObjectGenerator::Next(int depth) {
  if (depth <= 0 || random_() % 3 != 0) return Leaf();
  return NextContainer(depth);
}

void MutateEveryContainer(xpc_object_t container) {
  xpc_type_t type = xpc_get_type(container);
  std::vector<xpc_object_t> children;
  std::vector<xpc_object_t>* out = &children;  // blocks capture C++ objects as const copies
  if (type == XPC_TYPE_ARRAY) {
    xpc_array_apply(container, ^bool(size_t, xpc_object_t value) {
      out->push_back(value);
      return true;
    });
    xpc_array_set_string(container, XPC_ARRAY_APPEND, "mutated");
  } else if (type == XPC_TYPE_DICTIONARY) {
    xpc_dictionary_apply(container, ^bool(const char*, xpc_object_t value) {
      out->push_back(value);
      return true;
    });
    xpc_dictionary_set_string(container, "mutated-key", "mutated");
  }
  for (xpc_object_t child : children) MutateEveryContainer(child);
}

}  // namespace xpctest::conformance
