// HasUuid, HasArray, HasFd and HasShmem describe what they expect and explain
// what they found; raw xpc_object_t arguments are explained by description,
// and typed handles print as theirs. The failure text is pinned here
// (addresses masked).
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <regex>
#include <string>

#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::_;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

std::string Mask(const std::string& text) {
  return std::regex_replace(text, std::regex("0x[0-9a-f]+"), "0xADDR");
}

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

const unsigned char kUuid[16] = {0xE6, 0x21, 0xE1, 0xF8, 0xC3, 0x6C, 0x49, 0x5A,
                                 0x93, 0xFC, 0x0C, 0x24, 0x7A, 0x3E, 0x6E, 0x5F};

TEST(MatchersValues, HasUuidMatchesTheUuidsText) {
  Object message = Dict{{"id", Uuid(kUuid)}};
  EXPECT_THAT(message, HasUuid("id", "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"));
  EXPECT_THAT(message, HasUuid("id", StartsWith("E621E1F8")));
  EXPECT_THAT(message, HasUuid("id"));
  EXPECT_EQ(Explain(HasUuid("id", "00000000-0000-0000-0000-000000000000"), message),
            "whose \"id\" is \"E621E1F8-C36C-495A-93FC-0C247A3E6E5F\"");
  EXPECT_EQ(Describe<const Object&>(HasUuid("id", StartsWith("E6"))),
            "has \"id\" (uuid) that starts with \"E6\"");
  EXPECT_EQ(Explain(HasUuid("id"), Object(Dict{{"id", "E621E1F8"}})),
            "whose \"id\" is <string: 0xADDR> { length = 8, contents = \"E621E1F8\" }, not of type "
            "uuid");
}

TEST(MatchersValues, HasArrayComposesWithGMocksContainerMatchers) {
  Object message = Dict{{"items", Array{1, "two", Dict{{"name", "three"}}}}};
  EXPECT_THAT(message, HasArray("items", ElementsAre(XpcEq(1), XpcEq("two"),
                                                     HasString("name", "three"))));
  EXPECT_THAT(message, HasArray("items", SizeIs(3)));
  EXPECT_THAT(message, HasArray("items", Contains(XpcEq("two"))));
  EXPECT_THAT(message, HasArray("items", Not(Contains(XpcEq(4)))));
  EXPECT_THAT(Object(Dict{{"items", Array{}}}), HasArray("items", IsEmpty()));
  EXPECT_EQ(Describe<const Object&>(HasArray("items", SizeIs(2))),
            "has \"items\" (array) that size is equal to 2");
  EXPECT_EQ(Explain(HasArray("items", ElementsAre(XpcEq(1), XpcEq(2), _)), message),
            "whose \"items\" is { <int64: 0xADDR>: 1, <string: 0xADDR> { length = 3, contents = "
            "\"two\" }, <dictionary: 0xADDR> { count = 1, transaction: 0, voucher = 0xADDR, "
            "contents =\n\t\"name\" => <string: 0xADDR> { length = 5, contents = \"three\" }\n} "
            "}, whose element #1 doesn't match, which is <string: 0xADDR> { length = 3, contents "
            "= \"two\" }");
  EXPECT_EQ(Explain(HasArray("items"), Object(Dict{{"items", 1}})),
            "whose \"items\" is <int64: 0xADDR>: 1, not of type array");
}

// A temporary file holding `contents`, open for reading; removed at once.
int TemporaryFile(const std::string& contents) {
  char path[] = "/tmp/xpctest-matchers-XXXXXX";
  int fd = mkstemp(path);
  unlink(path);
  if (write(fd, contents.data(), contents.size()) != static_cast<ssize_t>(contents.size())) {
    ADD_FAILURE() << "could not write the temporary file";
  }
  return fd;
}

TEST(MatchersValues, HasFdReadsTheFileWithoutMovingItsOffset) {
  int fd = TemporaryFile("hello, log");
  Object message = Dict{{"log", Fd(fd)}};
  EXPECT_THAT(message, HasFd("log"));
  EXPECT_THAT(message, HasFd("log", StartsWith("hello")));
  EXPECT_EQ(Explain(HasFd("log", "bye"), message),
            "whose \"log\" is a file descriptor reading \"hello, log\"");
  EXPECT_EQ(Describe<const Object&>(HasFd("log", "bye")),
            "has \"log\" (fd) that is equal to \"bye\"");
  EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 10) << "S40: the offset is shared; matching leaves it";
  EXPECT_EQ(Explain(HasFd("log"), Object(Dict{{"log", 3}})),
            "whose \"log\" is <int64: 0xADDR>: 3, not of type fd");
  close(fd);
}

TEST(MatchersValues, HasShmemShowsWhatWasWrittenNotThePageOfZeros) {
  Object message = Dict{{"frame", Shmem("PNG frame")}};
  EXPECT_THAT(message, HasShmem("frame", StartsWith("PNG")));
  EXPECT_THAT(message, HasShmem("frame"));
  std::string page_size = std::to_string(sysconf(_SC_PAGESIZE));
  EXPECT_EQ(Explain(HasShmem("frame", StartsWith("JPEG")), message),
            "whose \"frame\" is shared memory of " + page_size +
                " bytes starting \"PNG frame\"");
  EXPECT_EQ(Describe<const Object&>(HasShmem("frame", StartsWith("JPEG"))),
            "has \"frame\" (shmem) that starts with \"JPEG\"");
}

// gtest prints a void* as an address: a raw object is explained by its
// description instead.
TEST(MatchersValues, ARawObjectIsExplainedByItsDescription) {
  xpc_object_t raw = xpc_dictionary_create_empty();
  xpc_dictionary_set_int64(raw, "sum", 4);
  EXPECT_EQ(Explain(HasInt64("sum", 5), raw),
            "which is <dictionary: 0xADDR> { count = 1, transaction: 0, voucher = 0xADDR, "
            "contents =\n\t\"sum\" => <int64: 0xADDR>: 4\n}, whose \"sum\" is 4");
  EXPECT_EQ(Explain(IsInvalid(), raw).rfind("which is <dictionary: 0xADDR>", 0), 0u)
      << "said once, not twice";
  EXPECT_EQ(Explain(IsInterrupted(), XPC_ERROR_CONNECTION_INTERRUPTED), "(matched) ");
  xpc_release(raw);
}

TEST(MatchersValues, TypedHandlesPrintAsTheirDescriptionAndOtherPointersAsAddresses) {
  control::World world;
  xpc_connection_t listener = xpc_connection_create(nullptr, nullptr);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t) {});
  xpc_connection_activate(listener);
  EXPECT_EQ(::testing::PrintToString(listener), xpctest::Describe(listener));
  EXPECT_EQ(Mask(::testing::PrintToString(listener)).rfind("<connection: 0xADDR> {", 0), 0u);
  int unrelated = 0;
  void* pointer = &unrelated;
  EXPECT_EQ(Mask(::testing::PrintToString(pointer)), "0xADDR");
  xpc_connection_cancel(listener);
  xpc_release(listener);
  world.RunUntilIdle();
}

}  // namespace
}  // namespace xpctest::testing
