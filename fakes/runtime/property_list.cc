#include "runtime/property_list.h"

#include <plist/plist.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

namespace xpctest::fakes::runtime {
namespace {

plist_t Node(void* node) { return static_cast<plist_t>(node); }

// libplist counts dates from 2001-01-01 (Core Foundation's epoch); XPC dates
// count nanoseconds from the Unix epoch (S9).
constexpr int64_t kSecondsFrom1970To2001 = 978307200;

}  // namespace

std::string PlistValue::TypeName() const {
  if (node_ == nullptr) return "nothing";
  switch (plist_get_node_type(Node(node_))) {
    case PLIST_BOOLEAN: return "a boolean";
    case PLIST_UINT: return "an integer";
    case PLIST_REAL: return "a real";
    case PLIST_STRING: return "a string";
    case PLIST_ARRAY: return "an array";
    case PLIST_DICT: return "a dictionary";
    case PLIST_DATE: return "a date";
    case PLIST_DATA: return "data";
    default: return "an unsupported value";
  }
}

std::string PlistValue::Where() const {
  std::string where = *file_;
  if (path_.empty()) return where + ": the top level";
  where += ": key ";
  for (size_t i = 0; i < path_.size(); ++i) {
    if (i > 0) where += " > ";
    where += "\"" + path_[i] + "\"";
  }
  return where;
}

bool PlistValue::IsDictionary() const {
  return node_ != nullptr && plist_get_node_type(Node(node_)) == PLIST_DICT;
}
bool PlistValue::IsArray() const {
  return node_ != nullptr && plist_get_node_type(Node(node_)) == PLIST_ARRAY;
}
bool PlistValue::IsString() const {
  return node_ != nullptr && plist_get_node_type(Node(node_)) == PLIST_STRING;
}
bool PlistValue::IsBool() const {
  return node_ != nullptr && plist_get_node_type(Node(node_)) == PLIST_BOOLEAN;
}

PlistValue PlistValue::Get(const std::string& key) const {
  std::vector<std::string> path = path_;
  path.push_back(key);
  void* child = IsDictionary() ? plist_dict_get_item(Node(node_), key.c_str()) : nullptr;
  return PlistValue(file_, child, std::move(path));
}

std::vector<std::string> PlistValue::Keys() const {
  std::vector<std::string> keys;
  if (!IsDictionary()) return keys;
  plist_dict_iter iter = nullptr;
  plist_dict_new_iter(Node(node_), &iter);
  for (;;) {
    char* key = nullptr;
    plist_t value = nullptr;
    plist_dict_next_item(Node(node_), iter, &key, &value);
    if (key == nullptr) break;
    keys.emplace_back(key);
    free(key);
  }
  free(iter);
  return keys;
}

std::vector<PlistValue> PlistValue::Elements() const {
  std::vector<PlistValue> elements;
  if (!IsArray()) return elements;
  uint32_t count = plist_array_get_size(Node(node_));
  for (uint32_t i = 0; i < count; ++i) {
    std::vector<std::string> path = path_;
    path.push_back("[" + std::to_string(i) + "]");
    elements.push_back(PlistValue(file_, plist_array_get_item(Node(node_), i), std::move(path)));
  }
  return elements;
}

bool PlistValue::Complain(std::string* error, const std::string& what) const {
  if (error != nullptr) *error = Where() + ": " + what;
  return false;
}

bool PlistValue::Expect(bool ok, const char* expected, std::string* error) const {
  if (ok) return true;
  return Complain(error, std::string("expected ") + expected + ", found " + TypeName());
}

std::optional<std::string> PlistValue::String(std::string* error) const {
  if (!Expect(IsString(), "a string", error)) return std::nullopt;
  char* value = nullptr;
  plist_get_string_val(Node(node_), &value);
  std::string text = value != nullptr ? value : "";
  free(value);
  return text;
}

std::optional<bool> PlistValue::Bool(std::string* error) const {
  if (!Expect(IsBool(), "a boolean", error)) return std::nullopt;
  uint8_t value = 0;
  plist_get_bool_val(Node(node_), &value);
  return value != 0;
}

std::optional<int64_t> PlistValue::Integer(std::string* error) const {
  bool is_integer = node_ != nullptr && plist_get_node_type(Node(node_)) == PLIST_UINT;
  if (!Expect(is_integer, "an integer", error)) return std::nullopt;
  uint64_t value = 0;
  plist_get_uint_val(Node(node_), &value);
  // libplist keeps negative integers in two's complement.
  return static_cast<int64_t>(value);
}

std::optional<std::vector<std::string>> PlistValue::StringArray(std::string* error) const {
  if (!Expect(IsArray(), "an array of strings", error)) return std::nullopt;
  std::vector<std::string> strings;
  for (const PlistValue& element : Elements()) {
    std::optional<std::string> text = element.String(error);
    if (!text) return std::nullopt;
    strings.push_back(std::move(*text));
  }
  return strings;
}

std::optional<std::vector<std::string>> PlistValue::StringOrStringArray(std::string* error) const {
  if (IsString()) return std::vector<std::string>{*String(error)};
  if (!Expect(IsArray(), "a string or an array of strings", error)) return std::nullopt;
  return StringArray(error);
}

xpc_object_t PlistValue::ToXpc() const {
  plist_t node = Node(node_);
  switch (node == nullptr ? PLIST_NONE : plist_get_node_type(node)) {
    case PLIST_BOOLEAN: return xpc_bool_create(*Bool(nullptr));
    case PLIST_UINT: return xpc_int64_create(*Integer(nullptr));
    case PLIST_REAL: {
      double value = 0;
      plist_get_real_val(node, &value);
      return xpc_double_create(value);
    }
    case PLIST_STRING: return xpc_string_create(String(nullptr)->c_str());
    case PLIST_DATA: {
      uint64_t length = 0;
      const char* bytes = plist_get_data_ptr(node, &length);
      return xpc_data_create(bytes, length);
    }
    case PLIST_DATE: {
      int32_t seconds = 0, microseconds = 0;
      plist_get_date_val(node, &seconds, &microseconds);
      return xpc_date_create((static_cast<int64_t>(seconds) + kSecondsFrom1970To2001) *
                                 1000000000 +
                             static_cast<int64_t>(microseconds) * 1000);
    }
    case PLIST_ARRAY: {
      xpc_object_t array = xpc_array_create_empty();
      for (const PlistValue& element : Elements()) {
        xpc_object_t value = element.ToXpc();
        xpc_array_append_value(array, value);
        xpc_release(value);
      }
      return array;
    }
    case PLIST_DICT: {
      xpc_object_t dictionary = xpc_dictionary_create_empty();
      for (const std::string& key : Keys()) {
        xpc_object_t value = Get(key).ToXpc();
        xpc_dictionary_set_value(dictionary, key.c_str(), value);
        xpc_release(value);
      }
      return dictionary;
    }
    default: return xpc_null_create();
  }
}

PropertyList::PropertyList(std::string file, void* root)
    : file_(std::make_unique<std::string>(std::move(file))), root_(root) {}

PropertyList::PropertyList(PropertyList&& other) noexcept
    : file_(std::move(other.file_)), root_(std::exchange(other.root_, nullptr)) {}

PropertyList& PropertyList::operator=(PropertyList&& other) noexcept {
  if (this != &other) {
    if (root_ != nullptr) plist_free(Node(root_));
    file_ = std::move(other.file_);
    root_ = std::exchange(other.root_, nullptr);
  }
  return *this;
}

PropertyList::~PropertyList() {
  if (root_ != nullptr) plist_free(Node(root_));
}

std::optional<PropertyList> PropertyList::Read(const std::string& path, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = path + ": cannot be read";
    return std::nullopt;
  }
  std::stringstream bytes;
  bytes << file.rdbuf();
  return Parse(bytes.str(), path, error);
}

std::optional<PropertyList> PropertyList::Parse(const std::string& bytes, const std::string& name,
                                                std::string* error) {
  plist_t root = nullptr;
  if (!bytes.empty()) {
    plist_from_memory(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  }
  if (root == nullptr) {
    *error = name + ": not a property list (neither XML nor binary plist)";
    return std::nullopt;
  }
  return PropertyList(name, root);
}

}  // namespace xpctest::fakes::runtime
