// The byte encoding of fuzz inputs (docs/fuzzing.md, "The encoding"):
//
//   input      := message*                      until the bytes run out
//   message    := header:u8 entries             bit 0: expects a reply;
//                                               bits 1-2: connection
//   value      := tag:u8 payload                type = tag % 14 (FuzzType)
//   payload    := nothing                       null, endpoint
//               | u8                            bool (bit 0)
//               | u64le                         int64, uint64, double, date
//               | varint bytes                  data, string, shmem
//               | u8[16]                        uuid
//               | kind:u8 varint bytes          fd (kind % 2: file, pipe)
//               | varint value*                 array
//               | entries                       dictionary
//   entries    := varint (varint bytes value)*  key length, key, value
//
// Decoding never fails: a missing byte reads as 0, a length or count is cut
// to what is left, and a container at max_depth keeps its count but no
// children.
#include <algorithm>

#include "xpctest/fuzz_input.h"

namespace xpctest {
namespace {

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : next_(data), end_(data + size) {}

  bool done() const { return next_ == end_; }
  size_t left() const { return static_cast<size_t>(end_ - next_); }

  uint8_t Byte() { return done() ? 0 : *next_++; }

  uint64_t Fixed64() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= static_cast<uint64_t>(Byte()) << (8 * i);
    return value;
  }

  // LEB128, at most five bytes.
  uint32_t Varint() {
    uint32_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      uint8_t byte = Byte();
      value |= static_cast<uint32_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) break;
    }
    return value;
  }

  std::string Bytes(size_t count) {
    count = std::min(count, left());
    std::string bytes(reinterpret_cast<const char*>(next_), count);
    next_ += count;
    return bytes;
  }

  // Length-prefixed bytes.
  std::string Sized() { return Bytes(Varint()); }

 private:
  const uint8_t* next_;
  const uint8_t* end_;
};

// XPC strings and keys are C strings: they end at the first NUL.
std::string CString(std::string bytes) {
  size_t nul = bytes.find('\0');
  if (nul != std::string::npos) bytes.resize(nul);
  return bytes;
}

// Sets `key` as xpc_dictionary_set_value would: a repeated key is replaced
// where it stands.
void SetEntry(std::vector<FuzzEntry>& entries, std::string key, FuzzValue value) {
  for (FuzzEntry& entry : entries) {
    if (entry.key == key) {
      entry.value = std::move(value);
      return;
    }
  }
  entries.push_back({std::move(key), std::move(value)});
}

class Decoder {
 public:
  Decoder(Reader& reader, const FuzzLimits& limits) : in_(reader), limits_(limits) {}

  void Entries(FuzzValue& dictionary, int depth) {
    uint32_t count = in_.Varint();
    if (depth >= limits_.max_depth) count = 0;
    for (uint32_t i = 0; i < count && !in_.done(); ++i) {
      std::string key = CString(in_.Sized());
      SetEntry(dictionary.entries, std::move(key), Value(depth + 1));
    }
  }

  FuzzValue Value(int depth) {
    FuzzValue value;
    value.type = static_cast<FuzzType>(in_.Byte() % kFuzzValueTypes);
    switch (value.type) {
      case FuzzType::kNull:
      case FuzzType::kEndpoint:
        break;
      case FuzzType::kBool:
        value.bits = in_.Byte() & 1;
        break;
      case FuzzType::kInt64:
      case FuzzType::kUint64:
      case FuzzType::kDouble:
      case FuzzType::kDate:
        value.bits = in_.Fixed64();
        break;
      case FuzzType::kString:
        value.bytes = CString(in_.Sized());
        break;
      case FuzzType::kData:
      case FuzzType::kShmem:
        value.bytes = in_.Sized();
        break;
      case FuzzType::kUuid:
        value.bytes = in_.Bytes(16);
        value.bytes.resize(16, '\0');
        break;
      case FuzzType::kFd:
        value.bits = in_.Byte() % 2;
        value.bytes = in_.Sized();
        break;
      case FuzzType::kArray: {
        uint32_t count = in_.Varint();
        if (depth >= limits_.max_depth) count = 0;
        for (uint32_t i = 0; i < count && !in_.done(); ++i) {
          value.entries.push_back({"", Value(depth + 1)});
        }
        break;
      }
      case FuzzType::kDictionary:
        Entries(value, depth);
        break;
    }
    return value;
  }

 private:
  Reader& in_;
  const FuzzLimits& limits_;
};

class Encoder {
 public:
  explicit Encoder(std::vector<uint8_t>& out) : out_(out) {}

  void Byte(uint8_t byte) { out_.push_back(byte); }

  void Varint(size_t value) {
    while (value >= 0x80) {
      Byte(static_cast<uint8_t>(value | 0x80));
      value >>= 7;
    }
    Byte(static_cast<uint8_t>(value));
  }

  void Sized(const std::string& bytes) {
    Varint(bytes.size());
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }

  void Entries(const FuzzValue& dictionary) {
    Varint(dictionary.entries.size());
    for (const FuzzEntry& entry : dictionary.entries) {
      Sized(entry.key);
      Value(entry.value);
    }
  }

  void Value(const FuzzValue& value) {
    Byte(static_cast<uint8_t>(value.type));
    switch (value.type) {
      case FuzzType::kNull:
      case FuzzType::kEndpoint:
        break;
      case FuzzType::kBool:
        Byte(value.bits & 1);
        break;
      case FuzzType::kInt64:
      case FuzzType::kUint64:
      case FuzzType::kDouble:
      case FuzzType::kDate:
        for (int i = 0; i < 8; ++i) Byte(static_cast<uint8_t>(value.bits >> (8 * i)));
        break;
      case FuzzType::kData:
      case FuzzType::kString:
      case FuzzType::kShmem:
        Sized(value.bytes);
        break;
      case FuzzType::kUuid: {
        std::string bytes = value.bytes;
        bytes.resize(16, '\0');
        out_.insert(out_.end(), bytes.begin(), bytes.end());
        break;
      }
      case FuzzType::kFd:
        Byte(static_cast<uint8_t>(value.bits % 2));
        Sized(value.bytes);
        break;
      case FuzzType::kArray:
        Varint(value.entries.size());
        for (const FuzzEntry& element : value.entries) Value(element.value);
        break;
      case FuzzType::kDictionary:
        Entries(value);
        break;
    }
  }

 private:
  std::vector<uint8_t>& out_;
};

}  // namespace

const char* FuzzTypeName(FuzzType type) {
  static const char* const kNames[kFuzzValueTypes] = {
      "null",   "bool", "int64", "uint64", "double", "date",       "data",
      "string", "uuid", "fd",    "shmem",  "array",  "dictionary", "endpoint"};
  return kNames[static_cast<int>(type) % kFuzzValueTypes];
}

bool FuzzValue::operator==(const FuzzValue& other) const {
  return type == other.type && bits == other.bits && bytes == other.bytes &&
         entries == other.entries;
}

FuzzInput DecodeFuzzInput(const uint8_t* data, size_t size, const FuzzLimits& limits) {
  Reader reader(data, size);
  Decoder decoder(reader, limits);
  FuzzInput input;
  int connections = std::clamp(limits.max_connections, 1, 4);
  while (!reader.done() && static_cast<int>(input.size()) < limits.max_messages) {
    uint8_t header = reader.Byte();
    FuzzMessage message;
    message.expects_reply = (header & 1) != 0;
    message.connection = ((header >> 1) & 3) % connections;
    decoder.Entries(message.body, 0);
    input.push_back(std::move(message));
  }
  return input;
}

std::vector<uint8_t> EncodeFuzzInput(const FuzzInput& input) {
  std::vector<uint8_t> out;
  Encoder encoder(out);
  for (const FuzzMessage& message : input) {
    encoder.Byte(
        static_cast<uint8_t>((message.expects_reply ? 1 : 0) | (message.connection & 3) << 1));
    encoder.Entries(message.body);
  }
  return out;
}

FuzzValue FuzzInt64(int64_t value) {
  FuzzValue v{FuzzType::kInt64};
  v.bits = static_cast<uint64_t>(value);
  return v;
}

FuzzValue FuzzString(std::string value) {
  FuzzValue v{FuzzType::kString};
  v.bytes = CString(std::move(value));
  return v;
}

FuzzValue FuzzDictionary(std::vector<FuzzEntry> entries) {
  FuzzValue v{FuzzType::kDictionary};
  for (FuzzEntry& entry : entries) SetEntry(v.entries, CString(entry.key), std::move(entry.value));
  return v;
}

bool FuzzValueContains(const FuzzValue& value, FuzzType type) {
  if (value.type == type) return true;
  for (const FuzzEntry& entry : value.entries) {
    if (FuzzValueContains(entry.value, type)) return true;
  }
  return false;
}

}  // namespace xpctest
