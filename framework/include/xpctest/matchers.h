// xpctest/matchers.h — GoogleMock matchers for XPC objects and client events.
//
// Every matcher accepts an xpc_object_t, an xpctest::Object or a client Event
// (its object), explains a mismatch with what it found, and reads well under
// Not():
//
//   EXPECT_THAT(reply, HasInt64("sum", 5));
//   EXPECT_THAT(reply, AllOf(IsDictionary(), HasString("status", StartsWith("ok"))));
//   EXPECT_THAT(client.Events(), ElementsAre(IsReply(HasInt64("sum", 5)), IsInterrupted()));
//
// Matchers are pure: they never fail a test themselves.
#ifndef XPCTEST_MATCHERS_H
#define XPCTEST_MATCHERS_H

#include <gmock/gmock.h>
#include <xpc/xpc.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "xpctest/object.h"

namespace xpctest {

// How matchers see their argument.
inline xpc_object_t AsXpc(xpc_object_t object) { return object; }
inline xpc_object_t AsXpc(const Object& object) { return object.get(); }

namespace internal {

// The logic of one matcher, written once in matchers.cc.
class XpcMatcherInterface {
 public:
  virtual ~XpcMatcherInterface() = default;
  virtual bool MatchAndExplain(xpc_object_t object,
                               ::testing::MatchResultListener* listener) const = 0;
  virtual void DescribeTo(std::ostream* os) const = 0;
  virtual void DescribeNegationTo(std::ostream* os) const = 0;
};

// The thin template shell gMock needs: any argument with an AsXpc overload.
class XpcMatcher {
 public:
  explicit XpcMatcher(std::shared_ptr<const XpcMatcherInterface> impl) : impl_(std::move(impl)) {}
  template <typename T>
  bool MatchAndExplain(const T& value, ::testing::MatchResultListener* listener) const {
    return impl_->MatchAndExplain(AsXpc(value), listener);
  }
  void DescribeTo(std::ostream* os) const { impl_->DescribeTo(os); }
  void DescribeNegationTo(std::ostream* os) const { impl_->DescribeNegationTo(os); }

 private:
  std::shared_ptr<const XpcMatcherInterface> impl_;
};

using PolymorphicXpcMatcher = ::testing::PolymorphicMatcher<XpcMatcher>;

}  // namespace internal

// The object's type is `type` (XPC_TYPE_INT64, ...).
internal::PolymorphicXpcMatcher XpcType(xpc_type_t type);
// A dictionary (not an error, which is a dictionary only to the getters).
internal::PolymorphicXpcMatcher IsDictionary();
// xpc_equal to `expected`.
internal::PolymorphicXpcMatcher XpcEq(const Object& expected);
// The error singleton `error` (XPC_ERROR_CONNECTION_INVALID, ...).
internal::PolymorphicXpcMatcher IsError(xpc_object_t error);
internal::PolymorphicXpcMatcher IsInterrupted();
internal::PolymorphicXpcMatcher IsInvalid();
internal::PolymorphicXpcMatcher IsTerminationImminent();
internal::PolymorphicXpcMatcher IsPeerForbidden();
// A rich error (sessions, listeners) whose description matches.
internal::PolymorphicXpcMatcher IsRichError(
    ::testing::Matcher<std::string> description = ::testing::A<std::string>());
// A rich error that says trying again may succeed (xpc_rich_error_can_retry).
internal::PolymorphicXpcMatcher CanRetry();

// A dictionary whose `key` holds a value matching `inner`.
internal::PolymorphicXpcMatcher HasEntry(std::string key, ::testing::Matcher<const Object&> inner);
// A dictionary with `key` present (any value).
internal::PolymorphicXpcMatcher HasKey(std::string key);
internal::PolymorphicXpcMatcher HasInt64(std::string key, ::testing::Matcher<int64_t> inner);
internal::PolymorphicXpcMatcher HasUint64(std::string key, ::testing::Matcher<uint64_t> inner);
internal::PolymorphicXpcMatcher HasDouble(std::string key, ::testing::Matcher<double> inner);
internal::PolymorphicXpcMatcher HasBool(std::string key, ::testing::Matcher<bool> inner);
internal::PolymorphicXpcMatcher HasString(std::string key, ::testing::Matcher<std::string> inner);
internal::PolymorphicXpcMatcher HasData(std::string key,
                                        ::testing::Matcher<std::vector<uint8_t>> inner);

}  // namespace xpctest

#endif  // XPCTEST_MATCHERS_H
