// The fuzz encoding: every byte string decodes, decoding is canonical after
// one round trip, the tree builds the XPC objects it describes and reads back
// from them.
#include "xpctest/fuzz_input.h"

#include <sys/stat.h>
#include <unistd.h>

#include <random>

#include "xpctest/xpctest.h"

namespace xpctest {
namespace {

using ::testing::HasSubstr;

std::vector<uint8_t> RandomBytes(std::mt19937_64& random, size_t max_size) {
  std::vector<uint8_t> bytes(random() % (max_size + 1));
  for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(random());
  return bytes;
}

int Depth(const FuzzValue& value) {
  int depth = 0;
  for (const FuzzEntry& entry : value.entries) depth = std::max(depth, 1 + Depth(entry.value));
  return depth;
}

FuzzValue Scalar(FuzzType type, uint64_t bits) { return FuzzValue(type, bits); }

FuzzValue Bytes(FuzzType type, std::string bytes, uint64_t bits = 0) {
  FuzzValue value(type, bits);
  value.bytes = std::move(bytes);
  return value;
}

// One value of every type, in a dictionary.
FuzzValue EveryType() {
  FuzzValue array(FuzzType::kArray);
  array.entries.push_back({"", FuzzInt64(1)});
  array.entries.push_back({"", FuzzString("two")});
  return FuzzDictionary({
      {"null", FuzzValue(FuzzType::kNull)},
      {"bool", Scalar(FuzzType::kBool, 1)},
      {"int64", FuzzInt64(-5)},
      {"uint64", Scalar(FuzzType::kUint64, 7)},
      {"double", Scalar(FuzzType::kDouble, 0x3ff8000000000000)},  // 1.5
      {"date", Scalar(FuzzType::kDate, 1700000000000000000)},
      {"data", Bytes(FuzzType::kData, std::string("\0\1\2", 3))},
      {"string", FuzzString("hello")},
      {"uuid", Bytes(FuzzType::kUuid, "0123456789abcdef")},
      {"file", Bytes(FuzzType::kFd, "file contents", static_cast<uint64_t>(FdKind::kFile))},
      {"pipe", Bytes(FuzzType::kFd, "pipe contents", static_cast<uint64_t>(FdKind::kPipe))},
      {"shmem", Bytes(FuzzType::kShmem, "shared")},
      {"array", array},
      {"dictionary", FuzzDictionary({{"inner", FuzzInt64(3)}})},
      {"endpoint", FuzzValue(FuzzType::kEndpoint)},
  });
}

// An anonymous listener for endpoints to point at, cancelled at the end.
class ScopedListener {
 public:
  ScopedListener() : listener_(xpc_connection_create(nullptr, nullptr)) {
    xpc_connection_set_event_handler(listener_, ^(xpc_object_t) {});
    xpc_connection_activate(listener_);
  }
  ~ScopedListener() {
    xpc_connection_cancel(listener_);
    xpc_release(listener_);
  }
  FuzzBuildContext context() const { return {listener_}; }

 private:
  xpc_connection_t listener_;
};

TEST(FuzzInput, EveryByteStringDecodesToMessagesThatBuild) {
  ScopedListener listener;
  std::mt19937_64 random(1);
  FuzzLimits limits;
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bytes = RandomBytes(random, 300);
    FuzzInput input = DecodeFuzzInput(bytes.data(), bytes.size(), limits);
    EXPECT_LE(input.size(), static_cast<size_t>(limits.max_messages));
    for (const FuzzMessage& message : input) {
      ASSERT_EQ(message.body.type, FuzzType::kDictionary);
      EXPECT_LT(message.connection, limits.max_connections);
      EXPECT_LE(Depth(message.body), limits.max_depth);
      Object built = BuildFuzzValue(message.body, listener.context());
      EXPECT_EQ(FuzzValueMismatch(message.body, built.get()), "") << built.Description();
    }
  }
}

TEST(FuzzInput, DecodingIsCanonicalAfterOneRoundTrip) {
  std::mt19937_64 random(2);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bytes = RandomBytes(random, 300);
    FuzzInput decoded = DecodeFuzzInput(bytes.data(), bytes.size());
    std::vector<uint8_t> encoded = EncodeFuzzInput(decoded);
    EXPECT_EQ(DecodeFuzzInput(encoded.data(), encoded.size()), decoded);
    // The canonical encoding is a fixed point.
    FuzzInput again = DecodeFuzzInput(encoded.data(), encoded.size());
    EXPECT_EQ(EncodeFuzzInput(again), encoded);
  }
}

TEST(FuzzInput, EveryTypeRoundTripsThroughTheEncoding) {
  FuzzInput input{{true, 1, EveryType()}, {false, 0, FuzzDictionary({})}};
  std::vector<uint8_t> bytes = EncodeFuzzInput(input);
  FuzzLimits limits;
  limits.max_connections = 2;
  EXPECT_EQ(DecodeFuzzInput(bytes.data(), bytes.size(), limits), input);
}

TEST(FuzzInput, TheEmptyInputHasNoMessages) { EXPECT_TRUE(DecodeFuzzInput(nullptr, 0).empty()); }

TEST(FuzzInput, ARepeatedKeyKeepsItsLastValueWhereItFirstStood) {
  // Header, 3 entries: "a" = null, "b" = null, "a" = int64 7.
  const uint8_t bytes[] = {0x01, 3, 1, 'a', 0x00, 1, 'b', 0x00, 1, 'a',
                           0x02, 7, 0, 0,   0,    0, 0,   0,    0};
  FuzzInput input = DecodeFuzzInput(bytes, sizeof bytes);
  ASSERT_EQ(input.size(), 1u);
  EXPECT_EQ(input[0].body, FuzzDictionary({{"a", FuzzInt64(7)}, {"b", FuzzValue()}}));
}

TEST(FuzzInput, StringsAndKeysEndAtTheirFirstNul) {
  // One entry: key "k\0x" = string "ab\0c".
  const uint8_t bytes[] = {0x01, 1, 3, 'k', 0, 'x', 0x07, 4, 'a', 'b', 0, 'c'};
  FuzzInput input = DecodeFuzzInput(bytes, sizeof bytes);
  ASSERT_EQ(input.size(), 1u);
  EXPECT_EQ(input[0].body, FuzzDictionary({{"k", FuzzString("ab")}}));
}

TEST(FuzzInput, CountsAndLengthsAreCutToTheBytesLeft) {
  // A dictionary claiming 2^28 entries, then a data value claiming 2^28 bytes.
  const uint8_t bytes[] = {0x00, 0x80, 0x80, 0x80, 0x01, 1, 'd', 0x06, 0x80, 0x80, 0x80, 0x01, 'x'};
  FuzzInput input = DecodeFuzzInput(bytes, sizeof bytes);
  ASSERT_EQ(input.size(), 1u);
  EXPECT_FALSE(input[0].expects_reply);
  EXPECT_EQ(input[0].body, FuzzDictionary({{"d", Bytes(FuzzType::kData, "x")}}));
}

TEST(FuzzInput, ContainersAtTheDepthLimitDecodeEmpty) {
  // Arrays nested in arrays, each claiming one element, ten deep.
  std::vector<uint8_t> bytes = {0x01, 1, 1, 'a'};
  for (int i = 0; i < 10; ++i) {
    bytes.push_back(static_cast<uint8_t>(FuzzType::kArray));
    bytes.push_back(1);
  }
  FuzzLimits limits;
  limits.max_depth = 3;
  FuzzInput input = DecodeFuzzInput(bytes.data(), bytes.size(), limits);
  // (The arrays past the limit kept their counts only; the rest of the bytes
  // are more messages.)
  ASSERT_GE(input.size(), 1u);
  EXPECT_EQ(Depth(input[0].body), 3);
}

TEST(FuzzInput, TheHeaderSaysReplyAndConnection) {
  const uint8_t bytes[] = {0x07, 0, 0x02, 0};  // reply on connection 3, then none on 1
  FuzzLimits limits;
  limits.max_connections = 4;
  FuzzInput input = DecodeFuzzInput(bytes, sizeof bytes, limits);
  ASSERT_EQ(input.size(), 2u);
  EXPECT_TRUE(input[0].expects_reply);
  EXPECT_EQ(input[0].connection, 3);
  EXPECT_FALSE(input[1].expects_reply);
  EXPECT_EQ(input[1].connection, 1);
}

TEST(FuzzInput, EveryTypeBuildsTheXpcObjectItDescribes) {
  ScopedListener listener;
  Object built = BuildFuzzValue(EveryType(), listener.context());
  EXPECT_EQ(FuzzValueMismatch(EveryType(), built.get()), "");
  EXPECT_EQ(built["double"].AsDouble(), 1.5);
  EXPECT_EQ(built["data"].AsData(), (std::vector<uint8_t>{0, 1, 2}));
  int fd = built["pipe"].DupFd();
  char buffer[32] = {};
  EXPECT_EQ(read(fd, buffer, sizeof buffer), 13);
  EXPECT_STREQ(buffer, "pipe contents");
  close(fd);
  EXPECT_TRUE(built["endpoint"].is(XPC_TYPE_ENDPOINT));
  // Without a listener, an endpoint has nothing to point at.
  EXPECT_TRUE(BuildFuzzValue(EveryType(), {})["endpoint"].is(XPC_TYPE_NULL));
}

TEST(FuzzInput, AnXpcObjectReadsBackAsItsTree) {
  Object built = BuildFuzzValue(EveryType(), {});
  FuzzValue expected = EveryType();
  for (FuzzEntry& entry : expected.entries) {
    // Without a listener the endpoint was built as null.
    if (entry.key == "endpoint") entry.value = FuzzValue();
    // Reading a pipe would take its contents from whoever reads it next.
    if (entry.key == "pipe") entry.value.bytes.clear();
  }
  FuzzValue read = FuzzValueFromXpc(built.get());
  // Dictionaries read back in their own order.
  auto by_key = [](const FuzzEntry& a, const FuzzEntry& b) { return a.key < b.key; };
  std::sort(expected.entries.begin(), expected.entries.end(), by_key);
  std::sort(read.entries.begin(), read.entries.end(), by_key);
  EXPECT_EQ(read, expected);
}

TEST(FuzzInput, AMismatchSaysWhereAndWhat) {
  Object built = Dict{{"a", Array{1, Uint64(2)}}, {"s", "x"}};
  FuzzValue expected = FuzzDictionary({{"a", FuzzValue(FuzzType::kArray)}, {"s", FuzzString("y")}});
  expected.entries[0].value.entries = {{"", FuzzInt64(1)}, {"", FuzzInt64(2)}};
  EXPECT_EQ(FuzzValueMismatch(expected, built.get()), "at [\"a\"][1]: expected int64, got uint64");
  expected.entries[0].value.entries[1] = {"", Scalar(FuzzType::kUint64, 2)};
  EXPECT_EQ(FuzzValueMismatch(expected, built.get()), "at [\"s\"]: expected \"y\", got \"x\"");
  EXPECT_EQ(FuzzValueMismatch(FuzzDictionary({}), built.get()), "expected 0 entries, got 2");
  EXPECT_EQ(FuzzValueMismatch(FuzzInt64(1), nullptr), "expected int64, got nothing");
}

TEST(FuzzInput, AFileFdMustHoldTheSameContents) {
  Object file = FileFd("abc");
  EXPECT_EQ(FuzzValueMismatch(Bytes(FuzzType::kFd, "abc"), file.get()), "");
  EXPECT_THAT(FuzzValueMismatch(Bytes(FuzzType::kFd, "abd"), file.get()),
              HasSubstr("expected a file holding \"abd\", got \"abc\""));
  EXPECT_THAT(FuzzValueMismatch(Bytes(FuzzType::kFd, "", 1), file.get()),
              HasSubstr("expected an fd on a pipe"));
}

TEST(FuzzInput, ContainsFindsATypeAnywhereInside) {
  EXPECT_TRUE(FuzzValueContains(EveryType(), FuzzType::kEndpoint));
  EXPECT_FALSE(FuzzValueContains(FuzzDictionary({{"a", FuzzInt64(1)}}), FuzzType::kFd));
}

}  // namespace
}  // namespace xpctest
