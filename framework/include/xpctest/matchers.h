// xpctest/matchers.h — GoogleMock matchers for XPC objects and client events.
//
// Every matcher accepts an xpc_object_t, an xpctest::Object or a client Event
// (its object), explains a mismatch with what it found, and reads well under
// Not():
//
//   EXPECT_THAT(reply, HasInt64("sum", 5));
//   EXPECT_THAT(reply, AllOf(IsDictionary(), HasString("status", StartsWith("ok"))));
//   EXPECT_THAT(client.Events(), ElementsAre(IsReply(HasInt64("sum", 5)), IsInterrupted()));
//   EXPECT_THAT(reply, HasArray("items", ElementsAre(XpcEq(1), HasString("name", "b"))));
//
// Given a raw xpc_object_t (or a connection, session...), a mismatch also
// says what the object is ("which is <dictionary: ...> { ... }"): gtest
// prints raw pointers as addresses, and an xpc_object_t is a void*, so the
// matcher's explanation is where its description can go without changing
// how other void* print.
//
// Matchers are pure: they never fail a test themselves. (HasFd reads the
// file with pread, which leaves the shared offset, S40, where it was.)
#ifndef XPCTEST_MATCHERS_H
#define XPCTEST_MATCHERS_H

#include <gmock/gmock.h>
#include <xpc/xpc.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
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
    if constexpr (std::is_pointer_v<T>) {
      return MatchAndExplainRaw(AsXpc(value), listener);
    } else {
      return impl_->MatchAndExplain(AsXpc(value), listener);
    }
  }
  void DescribeTo(std::ostream* os) const { impl_->DescribeTo(os); }
  void DescribeNegationTo(std::ostream* os) const { impl_->DescribeNegationTo(os); }

 private:
  // A raw pointer prints as an address: the explanation says what it is.
  bool MatchAndExplainRaw(xpc_object_t object, ::testing::MatchResultListener* listener) const;

  std::shared_ptr<const XpcMatcherInterface> impl_;
};

using PolymorphicXpcMatcher = ::testing::PolymorphicMatcher<XpcMatcher>;

}  // namespace internal

// The object's type is `type` (XPC_TYPE_INT64, ...).
internal::PolymorphicXpcMatcher XpcType(xpc_type_t type);
// A dictionary (not an error, which is a dictionary only to the getters).
internal::PolymorphicXpcMatcher IsDictionary();
// xpc_equal to `expected`: an Object, or a value a builder takes
// (XpcEq(1) is an int64 1, XpcEq("two") a string), handy as an element
// matcher inside HasArray.
internal::PolymorphicXpcMatcher XpcEq(const Value& expected);
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
// A dictionary whose `key` holds a UUID whose text (upper case,
// "E621E1F8-C36C-495A-93FC-0C247A3E6E5F") matches `inner`.
internal::PolymorphicXpcMatcher HasUuid(std::string key,
                                        ::testing::Matcher<std::string> inner = ::testing::_);
// A dictionary whose `key` holds an array whose elements match `elements`,
// any gMock container matcher over the elements as Objects: ElementsAre,
// UnorderedElementsAre, Contains, Each, SizeIs, IsEmpty, ... with XPC
// matchers (or XpcEq) for the elements.
internal::PolymorphicXpcMatcher HasArray(
    std::string key, ::testing::Matcher<const std::vector<Object>&> elements = ::testing::_);
// A dictionary whose `key` holds a file descriptor (S38).
internal::PolymorphicXpcMatcher HasFd(std::string key);
// ... whose file's contents, read from its start, match `contents`. A pipe or
// socket cannot be read so (pread): it reads as "".
internal::PolymorphicXpcMatcher HasFd(std::string key, ::testing::Matcher<std::string> contents);
// A dictionary whose `key` holds shared memory whose mapped bytes (whole
// pages, S43: what was written, then zeros) match `bytes`; StartsWith reads
// best.
internal::PolymorphicXpcMatcher HasShmem(std::string key,
                                         ::testing::Matcher<std::string> bytes = ::testing::_);

}  // namespace xpctest

#endif  // XPCTEST_MATCHERS_H
