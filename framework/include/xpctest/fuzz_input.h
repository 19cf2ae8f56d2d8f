// xpctest/fuzz_input.h — what a fuzzer sends: XPC messages as a tree, and the
// byte encoding that libFuzzer mutates.
//
// A FuzzInput is a short conversation: messages, each a dictionary sent on
// one of a few client connections, with or without a reply handler. Its
// values cover every type a peer can send (null, bool, int64, uint64, double,
// date, data, string, uuid, fd, shmem, array, dictionary, endpoint), nested.
//
//   FuzzInput input = DecodeFuzzInput(data, size);      // any bytes decode
//   Object message = BuildFuzzValue(input[0].body, {});  // a real dictionary
//   std::string code = FuzzValueLiteral(input[0].body);
//   // "xpctest::Dict{{"op", "add"}, {"a", 2}, {"b", 3}}", to paste into a test
//
// The encoding (docs/fuzzing.md has the grammar) is total: every byte string
// decodes to a valid input, so no execution is wasted on a parse error, and
// libFuzzer's own byte mutations stay usable. Lengths and counts are clamped
// to what is left, missing bytes read as zero, nesting stops at
// FuzzLimits::max_depth. Decoding is canonical on the tree: a dictionary's
// repeated key keeps its last value (as xpc_dictionary_set_value does) and a
// string stops at its first NUL (XPC strings are C strings), so
// Decode(Encode(Decode(b))) == Decode(b).
//
// Values are plain data; BuildFuzzValue makes the XPC objects (fds are new
// descriptors each time, so call it on the thread and in the process that
// should own them).
#ifndef XPCTEST_FUZZ_INPUT_H
#define XPCTEST_FUZZ_INPUT_H

#include <xpc/xpc.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "xpctest/object.h"

namespace xpctest {

// The types a fuzzed message can hold; the byte tag of a value is its type's
// index modulo kFuzzValueTypes.
enum class FuzzType : uint8_t {
  kNull, kBool, kInt64, kUint64, kDouble, kDate, kData, kString, kUuid, kFd, kShmem,
  kArray, kDictionary, kEndpoint
};
inline constexpr int kFuzzValueTypes = 14;
const char* FuzzTypeName(FuzzType type);

// What an fd value refers to: a regular file (memfd) holding `bytes` at
// offset 0, or the read end of a pipe holding `bytes` whose writer is gone.
enum class FdKind : uint8_t { kFile, kPipe };

struct FuzzEntry;

struct FuzzValue {
  // Defined below, where FuzzEntry is complete.
  FuzzValue();
  explicit FuzzValue(FuzzType type, uint64_t bits = 0);

  FuzzType type = FuzzType::kNull;
  // bool (0 or 1), int64, uint64, double (its bits), date; FdKind for fds.
  uint64_t bits = 0;
  // data, string (no NUL), uuid (16 bytes), fd contents, shmem contents.
  std::string bytes;
  // Array elements (keys empty) or dictionary entries (keys unique).
  std::vector<FuzzEntry> entries;

  bool is_container() const { return type == FuzzType::kArray || type == FuzzType::kDictionary; }
  bool operator==(const FuzzValue& other) const;
};

struct FuzzEntry {
  std::string key;
  FuzzValue value;
  bool operator==(const FuzzEntry& other) const = default;
};

inline FuzzValue::FuzzValue() = default;
inline FuzzValue::FuzzValue(FuzzType type, uint64_t bits) : type(type), bits(bits) {}

// One message: a dictionary sent on client connection `connection`.
struct FuzzMessage {
  bool expects_reply = true;
  int connection = 0;
  FuzzValue body{FuzzType::kDictionary};
  bool operator==(const FuzzMessage& other) const = default;
};

using FuzzInput = std::vector<FuzzMessage>;

// How much one input may hold.
struct FuzzLimits {
  int max_messages = 8;
  // Client connections the messages are spread over (1 to 4).
  int max_connections = 2;
  // Containers this deep (a message's body is depth 0) decode empty.
  int max_depth = 8;
};

FuzzInput DecodeFuzzInput(const uint8_t* data, size_t size, const FuzzLimits& limits = {});
std::vector<uint8_t> EncodeFuzzInput(const FuzzInput& input);

// Value builders for the tree, for seeds and tests.
FuzzValue FuzzInt64(int64_t value);
FuzzValue FuzzString(std::string value);
FuzzValue FuzzDictionary(std::vector<FuzzEntry> entries);

// Where BuildFuzzValue points endpoints: a listener, or null to build them as
// null objects.
struct FuzzBuildContext {
  xpc_connection_t endpoint_listener = nullptr;
};

// The XPC object `value` describes, new.
Object BuildFuzzValue(const FuzzValue& value, const FuzzBuildContext& context);

// The tree of an XPC object, for seed messages. Regular files keep up to 4 KiB
// of their contents, other descriptors become empty pipes, shared memory
// keeps its bytes up to the last non-zero one; connections, errors and other
// kinds that cannot travel become null.
FuzzValue FuzzValueFromXpc(xpc_object_t object);

// "" when `actual` holds what `expected` describes; otherwise where and how
// it differs ("at [\"a\"][2]: expected int64 5, got uint64 5"). An fd must
// be an fd (a file one with the same contents), a shmem must map the same
// bytes (then zeros), an endpoint must be an endpoint: what survives a send
// (S41, S43, S51).
std::string FuzzValueMismatch(const FuzzValue& expected, xpc_object_t actual);

// `value` as C++ that builds it with xpctest/object.h:
// xpctest::Dict{{"op", "add"}, {"a", 2}}, xpctest::Uint64(7ULL), ...
// Endpoints print as xpctest::Endpoint(listener): name your listener so.
std::string FuzzValueLiteral(const FuzzValue& value);

// Empties `object` and every array and dictionary inside it (arrays keep
// their length, holding nulls): what a sender may do to a message it has
// sent, without the receiver seeing it (S49).
void EmptyAllContainers(xpc_object_t object);

// True when `value` or something inside it is of `type`.
bool FuzzValueContains(const FuzzValue& value, FuzzType type);

}  // namespace xpctest

#endif  // XPCTEST_FUZZ_INPUT_H
