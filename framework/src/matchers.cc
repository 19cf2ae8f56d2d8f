#include "xpctest/matchers.h"

#include <unistd.h>

#include <cstdio>

#include "xpctest/printers.h"

namespace xpctest {
namespace {

using internal::PolymorphicXpcMatcher;
using internal::XpcMatcher;
using internal::XpcMatcherInterface;
using ::testing::MatchResultListener;

// Most matchers are a predicate plus words; this covers them.
class PredicateMatcher : public XpcMatcherInterface {
 public:
  PredicateMatcher(std::string is, std::string is_not, std::function<bool(xpc_object_t)> match)
      : is_(std::move(is)), is_not_(std::move(is_not)), match_(std::move(match)) {}
  bool MatchAndExplain(xpc_object_t object, MatchResultListener* listener) const override {
    bool matched = object != nullptr && match_(object);
    if (!matched) *listener << "which is " << Describe(object);
    return matched;
  }
  void DescribeTo(std::ostream* os) const override { *os << is_; }
  void DescribeNegationTo(std::ostream* os) const override { *os << is_not_; }

 private:
  std::string is_, is_not_;
  std::function<bool(xpc_object_t)> match_;
};

PolymorphicXpcMatcher Make(std::shared_ptr<const XpcMatcherInterface> impl) {
  return ::testing::MakePolymorphicMatcher(XpcMatcher(std::move(impl)));
}

PolymorphicXpcMatcher Predicate(std::string is, std::string is_not,
                                std::function<bool(xpc_object_t)> match) {
  return Make(std::make_shared<PredicateMatcher>(std::move(is), std::move(is_not), std::move(match)));
}

const char* ErrorName(xpc_object_t error) {
  if (error == XPC_ERROR_CONNECTION_INTERRUPTED) return "XPC_ERROR_CONNECTION_INTERRUPTED";
  if (error == XPC_ERROR_CONNECTION_INVALID) return "XPC_ERROR_CONNECTION_INVALID";
  if (error == XPC_ERROR_TERMINATION_IMMINENT) return "XPC_ERROR_TERMINATION_IMMINENT";
  if (error == XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT) {
    return "XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT";
  }
  return "an XPC error";
}

class RichErrorMatcher : public XpcMatcherInterface {
 public:
  explicit RichErrorMatcher(::testing::Matcher<std::string> description)
      : description_(std::move(description)) {}
  bool MatchAndExplain(xpc_object_t object, MatchResultListener* listener) const override {
    if (object == nullptr || xpc_get_type(object) != XPC_TYPE_RICH_ERROR) {
      *listener << "which is " << Describe(object);
      return false;
    }
    char* text = xpc_rich_error_copy_description(static_cast<xpc_rich_error_t>(object));
    std::string description = text != nullptr ? text : "";
    free(text);
    *listener << "whose description is \"" << description << "\"";
    return description_.MatchAndExplain(description, listener);
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is a rich error whose description ";
    description_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not a rich error whose description ";
    description_.DescribeTo(os);
  }

 private:
  ::testing::Matcher<std::string> description_;
};

// A dictionary entry checked by a typed inner matcher (of T, or of `const T&`).
template <typename T, typename M = T>
class EntryMatcher : public XpcMatcherInterface {
 public:
  // `show` says what the value is after "whose "key" is "; default: gtest's
  // printing of it.
  EntryMatcher(std::string key, xpc_type_t type, ::testing::Matcher<M> inner,
               std::function<T(const Object&)> read,
               std::function<std::string(const T&)> show = nullptr)
      : key_(std::move(key)),
        type_(type),
        inner_(std::move(inner)),
        read_(std::move(read)),
        show_(std::move(show)) {}

  bool MatchAndExplain(xpc_object_t object, MatchResultListener* listener) const override {
    if (object == nullptr || (xpc_get_type(object) != XPC_TYPE_DICTIONARY &&
                              xpc_get_type(object) != XPC_TYPE_ERROR)) {
      *listener << "which is not a dictionary but " << Describe(object);
      return false;
    }
    xpc_object_t value = xpc_dictionary_get_value(object, key_.c_str());
    if (value == nullptr) {
      *listener << "which has no key \"" << key_ << "\"";
      return false;
    }
    Object entry = Object::Borrow(value);
    if (type_ != nullptr && xpc_get_type(value) != type_) {
      *listener << "whose \"" << key_ << "\" is " << Describe(value) << ", not of type "
                << xpc_type_get_name(type_);
      return false;
    }
    T read = read_(entry);
    ::testing::StringMatchResultListener inner;
    bool matched = inner_.MatchAndExplain(read, &inner);
    *listener << "whose \"" << key_ << "\" is "
              << (show_ ? show_(read) : ::testing::PrintToString(read));
    if (!inner.str().empty()) *listener << ", " << inner.str();
    return matched;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has \"" << key_ << "\"" << TypeWords() << " that ";
    inner_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has no \"" << key_ << "\"" << TypeWords() << " that ";
    inner_.DescribeTo(os);
  }

 private:
  std::string TypeWords() const {
    return type_ != nullptr ? std::string(" (") + xpc_type_get_name(type_) + ")" : "";
  }
  std::string key_;
  xpc_type_t type_;
  ::testing::Matcher<M> inner_;
  std::function<T(const Object&)> read_;
  std::function<std::string(const T&)> show_;
};

template <typename T, typename M = T>
PolymorphicXpcMatcher Entry(std::string key, xpc_type_t type, ::testing::Matcher<M> inner,
                            std::function<T(const Object&)> read,
                            std::function<std::string(const T&)> show = nullptr) {
  return Make(std::make_shared<EntryMatcher<T, M>>(std::move(key), type, std::move(inner),
                                                   std::move(read), std::move(show)));
}

// "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
std::string UuidText(const Object& uuid) {
  const uint8_t* bytes = xpc_uuid_get_bytes(uuid.get());
  if (bytes == nullptr) return "";
  char text[37];
  std::snprintf(text, sizeof text,
                "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

std::vector<Object> Elements(const Object& array) {
  std::vector<Object> elements;
  for (size_t i = 0; i < array.size(); ++i) elements.push_back(array[i]);
  return elements;
}

// The file's bytes from offset 0, without moving the offset its descriptors
// share (S40); "" when it cannot be read so.
std::string FdContents(const Object& fd) {
  int copy = fd.DupFd();
  if (copy < 0) return "";
  std::string contents;
  char buffer[4096];
  for (off_t offset = 0;;) {
    ssize_t n = pread(copy, buffer, sizeof buffer, offset);
    if (n <= 0) break;
    contents.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
  close(copy);
  return contents;
}

std::string ShmemBytes(const Object& shmem) {
  std::vector<uint8_t> bytes = shmem.AsShmemBytes();
  return std::string(bytes.begin(), bytes.end());
}

// "shared memory of 4096 bytes starting "hello"": the zeros after what was
// written are not shown.
std::string ShowShmem(const std::string& bytes) {
  std::string shown = bytes.substr(0, bytes.find_last_not_of('\0') + 1);
  return "shared memory of " + std::to_string(bytes.size()) + " bytes starting " +
         ::testing::PrintToString(shown.substr(0, 64));
}

}  // namespace

PolymorphicXpcMatcher XpcType(xpc_type_t type) {
  std::string name = xpc_type_get_name(type);
  return Predicate("is of XPC type " + name, "is not of XPC type " + name,
                   [type](xpc_object_t o) { return xpc_get_type(o) == type; });
}

PolymorphicXpcMatcher IsDictionary() {
  return Predicate("is a dictionary", "is not a dictionary",
                   [](xpc_object_t o) { return xpc_get_type(o) == XPC_TYPE_DICTIONARY; });
}

PolymorphicXpcMatcher XpcEq(const Value& value) {
  Object expected = value.object();
  std::string text = Describe(expected.get());
  return Predicate("is equal to " + text, "is not equal to " + text,
                   [expected](xpc_object_t o) { return xpc_equal(o, expected.get()); });
}

PolymorphicXpcMatcher IsError(xpc_object_t error) {
  std::string name = ErrorName(error);
  return Predicate("is " + name, "is not " + name, [error](xpc_object_t o) { return o == error; });
}

PolymorphicXpcMatcher IsInterrupted() { return IsError(XPC_ERROR_CONNECTION_INTERRUPTED); }
PolymorphicXpcMatcher IsInvalid() { return IsError(XPC_ERROR_CONNECTION_INVALID); }
PolymorphicXpcMatcher IsTerminationImminent() { return IsError(XPC_ERROR_TERMINATION_IMMINENT); }
PolymorphicXpcMatcher IsPeerForbidden() {
  return IsError(XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT);
}

PolymorphicXpcMatcher IsRichError(::testing::Matcher<std::string> description) {
  return Make(std::make_shared<RichErrorMatcher>(std::move(description)));
}

PolymorphicXpcMatcher CanRetry() {
  return Predicate("is a rich error that can be retried", "is not a rich error that can be retried",
                   [](xpc_object_t o) {
                     return xpc_get_type(o) == XPC_TYPE_RICH_ERROR &&
                            xpc_rich_error_can_retry(static_cast<xpc_rich_error_t>(o));
                   });
}

PolymorphicXpcMatcher HasEntry(std::string key, ::testing::Matcher<const Object&> inner) {
  return Entry<Object, const Object&>(std::move(key), nullptr, std::move(inner),
                                      [](const Object& o) { return o; });
}

PolymorphicXpcMatcher HasKey(std::string key) {
  return HasEntry(std::move(key), ::testing::A<const Object&>());
}

PolymorphicXpcMatcher HasInt64(std::string key, ::testing::Matcher<int64_t> inner) {
  return Entry<int64_t>(std::move(key), XPC_TYPE_INT64, std::move(inner),
                        [](const Object& o) { return o.AsInt64(); });
}

PolymorphicXpcMatcher HasUint64(std::string key, ::testing::Matcher<uint64_t> inner) {
  return Entry<uint64_t>(std::move(key), XPC_TYPE_UINT64, std::move(inner),
                         [](const Object& o) { return o.AsUint64(); });
}

PolymorphicXpcMatcher HasDouble(std::string key, ::testing::Matcher<double> inner) {
  return Entry<double>(std::move(key), XPC_TYPE_DOUBLE, std::move(inner),
                       [](const Object& o) { return o.AsDouble(); });
}

PolymorphicXpcMatcher HasBool(std::string key, ::testing::Matcher<bool> inner) {
  return Entry<bool>(std::move(key), XPC_TYPE_BOOL, std::move(inner),
                     [](const Object& o) { return o.AsBool(); });
}

PolymorphicXpcMatcher HasString(std::string key, ::testing::Matcher<std::string> inner) {
  return Entry<std::string>(std::move(key), XPC_TYPE_STRING, std::move(inner),
                            [](const Object& o) { return o.AsString(); });
}

PolymorphicXpcMatcher HasData(std::string key, ::testing::Matcher<std::vector<uint8_t>> inner) {
  return Entry<std::vector<uint8_t>>(std::move(key), XPC_TYPE_DATA, std::move(inner),
                                     [](const Object& o) { return o.AsData(); });
}

PolymorphicXpcMatcher HasUuid(std::string key, ::testing::Matcher<std::string> inner) {
  return Entry<std::string>(std::move(key), XPC_TYPE_UUID, std::move(inner), UuidText);
}

PolymorphicXpcMatcher HasArray(std::string key,
                               ::testing::Matcher<const std::vector<Object>&> elements) {
  return Entry<std::vector<Object>, const std::vector<Object>&>(
      std::move(key), XPC_TYPE_ARRAY, std::move(elements), Elements);
}

PolymorphicXpcMatcher HasFd(std::string key) {
  return Entry<Object, const Object&>(std::move(key), XPC_TYPE_FD, ::testing::A<const Object&>(),
                                      [](const Object& o) { return o; });
}

PolymorphicXpcMatcher HasFd(std::string key, ::testing::Matcher<std::string> contents) {
  return Entry<std::string>(std::move(key), XPC_TYPE_FD, std::move(contents), FdContents,
                            [](const std::string& read) {
                              return "a file descriptor reading " + ::testing::PrintToString(read);
                            });
}

PolymorphicXpcMatcher HasShmem(std::string key, ::testing::Matcher<std::string> bytes) {
  return Entry<std::string>(std::move(key), XPC_TYPE_SHMEM, std::move(bytes), ShmemBytes,
                            ShowShmem);
}

namespace internal {

bool XpcMatcher::MatchAndExplainRaw(xpc_object_t object, MatchResultListener* listener) const {
  if (!listener->IsInterested()) return impl_->MatchAndExplain(object, listener);
  ::testing::StringMatchResultListener inner;
  bool matched = impl_->MatchAndExplain(object, &inner);
  // Some explanations already say what the object is; a match needs no more.
  std::string explained = inner.str();
  if (matched || explained.rfind("which is ", 0) == 0) {
    *listener << explained;
  } else {
    *listener << "which is " << Describe(object);
    if (!explained.empty()) *listener << ", " << explained;
  }
  return matched;
}

}  // namespace internal

}  // namespace xpctest
