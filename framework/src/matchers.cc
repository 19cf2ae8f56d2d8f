#include "xpctest/matchers.h"

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
  EntryMatcher(std::string key, xpc_type_t type, ::testing::Matcher<M> inner,
               std::function<T(const Object&)> read)
      : key_(std::move(key)), type_(type), inner_(std::move(inner)), read_(std::move(read)) {}

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
    *listener << "whose \"" << key_ << "\" is " << ::testing::PrintToString(read);
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
};

template <typename T, typename M = T>
PolymorphicXpcMatcher Entry(std::string key, xpc_type_t type, ::testing::Matcher<M> inner,
                            std::function<T(const Object&)> read) {
  return Make(std::make_shared<EntryMatcher<T, M>>(std::move(key), type, std::move(inner),
                                                   std::move(read)));
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

PolymorphicXpcMatcher XpcEq(const Object& expected) {
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

}  // namespace xpctest
