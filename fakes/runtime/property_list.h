// runtime/property_list.h — reading the user's real property lists.
//
// A property list file (XML or binary, told apart by its content) is parsed
// by Debian's libplist, never by hand. A PropertyList owns the parsed tree;
// a PlistValue is a borrowed node with the path that led to it, so that
// every complaint names the file and the key:
//
//   std::string error;
//   std::optional<PropertyList> plist = PropertyList::Read("com.example.helper.plist", &error);
//   if (!plist) return error;   // "com.example.helper.plist: not a property list ..."
//   PlistValue root = plist->root();
//   std::optional<std::string> label = root.Get("Label").String(&error);
//   // error: "com.example.helper.plist: key \"Label\": expected a string, found an integer"
//
// Values convert to XPC objects (ToXpc) the way launchd hands plist contents
// to a job: dictionaries, arrays, strings, booleans, integers (int64), reals,
// data and dates.
//
// Thread safety: a PropertyList and its values are read-only after Read; read
// them from one thread at a time.
#ifndef XPCTEST_FAKES_RUNTIME_PROPERTY_LIST_H
#define XPCTEST_FAKES_RUNTIME_PROPERTY_LIST_H

#include <xpc/xpc.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xpctest::fakes::runtime {

// A node of a parsed property list, borrowed from its PropertyList, with the
// file and key path it was reached by. A missing key gives an absent value.
class PlistValue {
 public:
  bool present() const { return node_ != nullptr; }
  // "a dictionary", "a string", ... or "nothing".
  std::string TypeName() const;
  // `file: key "A" > "B"` — the prefix of every complaint about this value.
  std::string Where() const;

  bool IsDictionary() const;
  bool IsArray() const;
  bool IsString() const;
  bool IsBool() const;

  // The entry `key` of a dictionary (absent when this is not one, or lacks it).
  PlistValue Get(const std::string& key) const;
  // The keys of a dictionary, in the file's order.
  std::vector<std::string> Keys() const;
  // The elements of an array.
  std::vector<PlistValue> Elements() const;

  // Typed reads: nullopt and `*error` set (naming file and key) when the value
  // has another type. Call only on present values.
  std::optional<std::string> String(std::string* error) const;
  std::optional<bool> Bool(std::string* error) const;
  std::optional<int64_t> Integer(std::string* error) const;
  // An array whose every element is a string.
  std::optional<std::vector<std::string>> StringArray(std::string* error) const;
  // A string, or an array of strings (as entitlements allow).
  std::optional<std::vector<std::string>> StringOrStringArray(std::string* error) const;

  // The value as a new (+1) XPC object.
  xpc_object_t ToXpc() const;

  // `*error` = Where() + ": " + what; returns nullopt-friendly false.
  bool Complain(std::string* error, const std::string& what) const;

 private:
  friend class PropertyList;
  PlistValue(const std::string* file, void* node, std::vector<std::string> path)
      : file_(file), node_(node), path_(std::move(path)) {}
  bool Expect(bool ok, const char* expected, std::string* error) const;

  const std::string* file_ = nullptr;
  void* node_ = nullptr;  // plist_t
  std::vector<std::string> path_;
};

class PropertyList {
 public:
  // Reads and parses `path`; nullopt and `*error` when the file cannot be read
  // or is not a property list.
  static std::optional<PropertyList> Read(const std::string& path, std::string* error);
  // Parses bytes already in memory; `name` is what complaints call them.
  static std::optional<PropertyList> Parse(const std::string& bytes, const std::string& name,
                                           std::string* error);

  PropertyList(PropertyList&&) noexcept;
  PropertyList& operator=(PropertyList&&) noexcept;
  ~PropertyList();

  const std::string& file() const { return *file_; }
  PlistValue root() const { return PlistValue(file_.get(), root_, {}); }

 private:
  PropertyList(std::string file, void* root);
  std::unique_ptr<std::string> file_;  // stable address for the values
  void* root_ = nullptr;               // plist_t, owned
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_PROPERTY_LIST_H
