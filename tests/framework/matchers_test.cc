// Matchers describe what they expect and explain what they found; the failure
// text is pinned here (addresses masked).
#include <regex>

#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::Not;
using ::testing::StartsWith;

std::string Mask(const std::string& text) {
  return std::regex_replace(text, std::regex("0x[0-9a-f]+"), "0xADDR");
}

// What gMock would print after "Actual: ...", addresses masked.
template <typename M, typename T>
std::string Explain(const M& matcher, const T& value) {
  ::testing::StringMatchResultListener listener;
  bool matched = ::testing::ExplainMatchResult(matcher, value, &listener);
  return Mask(matched ? "(matched) " + listener.str() : listener.str());
}

template <typename T, typename M>
std::string Describe(const M& matcher) {
  return ::testing::DescribeMatcher<T>(matcher);
}

TEST(Matchers, HasInt64ExplainsAMissingKey) {
  Object message = Dict{{"op", "add"}};
  EXPECT_EQ(Explain(HasInt64("sum", 5), message), "which has no key \"sum\"");
}

TEST(Matchers, HasInt64ExplainsAWrongType) {
  Object message = Dict{{"sum", "five"}};
  EXPECT_EQ(Explain(HasInt64("sum", 5), message),
            "whose \"sum\" is <string: 0xADDR> { length = 4, contents = \"five\" }, not of type "
            "int64");
}

TEST(Matchers, HasInt64ExplainsAWrongValue) {
  Object message = Dict{{"sum", 4}};
  EXPECT_EQ(Explain(HasInt64("sum", 5), message), "whose \"sum\" is 4");
  EXPECT_EQ(Describe<const Object&>(HasInt64("sum", 5)), "has \"sum\" (int64) that is equal to 5");
  EXPECT_EQ(Describe<const Object&>(Not(HasInt64("sum", 5))),
            "has no \"sum\" (int64) that is equal to 5");
}

TEST(Matchers, HasStringTakesAnyStringMatcher) {
  Object message = Dict{{"status", "ok: done"}};
  EXPECT_THAT(message, HasString("status", StartsWith("ok")));
  EXPECT_THAT(message, Not(HasString("status", "failed")));
}

TEST(Matchers, ErrorsAreMatchedByIdentityAndNamed) {
  EXPECT_THAT(XPC_ERROR_CONNECTION_INVALID, IsInvalid());
  EXPECT_THAT(XPC_ERROR_CONNECTION_INTERRUPTED, Not(IsInvalid()));
  EXPECT_EQ(Describe<xpc_object_t>(IsInterrupted()), "is XPC_ERROR_CONNECTION_INTERRUPTED");
  EXPECT_THAT(Mask(Explain(IsInvalid(), XPC_ERROR_CONNECTION_INTERRUPTED)),
              ::testing::HasSubstr("which is <error: 0xADDR>"));
}

TEST(Matchers, IsDictionaryIsNotFooledByErrors) {
  EXPECT_THAT(Object(Dict{}), IsDictionary());
  EXPECT_THAT(XPC_ERROR_CONNECTION_INVALID, Not(IsDictionary()));
}

TEST(Matchers, XpcEqComparesDeeply) {
  EXPECT_THAT(Object(Dict{{"list", Array{1, "two"}}}), XpcEq(Dict{{"list", Array{1, "two"}}}));
  EXPECT_THAT(Object(Dict{{"list", Array{1, "two"}}}), Not(XpcEq(Dict{{"list", Array{1}}})));
}

TEST(Matchers, HasEntryNestsMatchers) {
  Object message = Dict{{"inner", Dict{{"n", 3}}}};
  EXPECT_THAT(message, HasEntry("inner", HasInt64("n", 3)));
  EXPECT_EQ(Explain(HasEntry("inner", HasInt64("n", 4)), message),
            "whose \"inner\" is <dictionary: 0xADDR> { count = 1, transaction: 0, voucher = "
            "0xADDR, contents =\n\t\"n\" => <int64: 0xADDR>: 3\n}, whose \"n\" is 3");
}

}  // namespace
}  // namespace xpctest::testing
