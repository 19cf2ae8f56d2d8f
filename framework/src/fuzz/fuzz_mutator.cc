// Structure-aware mutation of fuzz inputs: one change to the message tree
// per call, or a byte-level mutation of the whole encoding.
#include "xpctest/fuzz_mutator.h"

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>

namespace xpctest {
namespace {

// Learned words are bounded: the oldest is replaced at random.
constexpr size_t kMaxLearnedWords = 512;
constexpr size_t kMaxWordLength = 64;

// Numbers services get wrong: signs, widths, powers of two, time units.
// clang-format off
constexpr int64_t kEdgeIntegers[] = {
    0, 1, -1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 100, 127, 128, 255, 256, 1000, 1024, 4096,
    65535, 65536, INT32_MAX, INT32_MIN, static_cast<int64_t>(UINT32_MAX), INT64_MAX, INT64_MIN,
    INT64_MAX / 1000, INT64_MAX / 1000000, -2, -128, -129, -32768, 1LL << 31, 1LL << 32,
    1LL << 53};

constexpr double kEdgeDoubles[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, 1e300, DBL_MIN, DBL_MAX, -DBL_MAX,
    4.9406564584124654e-324, 9007199254740993.0, std::numeric_limits<double>::infinity(),
    -std::numeric_limits<double>::infinity()};
// clang-format on

// One place in the tree a mutation can touch.
struct Site {
  FuzzValue* value;
  FuzzValue* parent;  // null for a message body
  size_t index;       // in parent->entries
  int depth;
};

void CollectSites(FuzzValue& value, FuzzValue* parent, size_t index, int depth,
                  std::vector<Site>& sites) {
  sites.push_back({&value, parent, index, depth});
  for (size_t i = 0; i < value.entries.size(); ++i) {
    CollectSites(value.entries[i].value, &value, i, depth + 1, sites);
  }
}

// The count of a container, the length of a string, data, fd or shmem: of
// `value` and, `levels` deep (-1: all the way), of what is inside it.
void CollectSizes(const FuzzValue& value, std::vector<uint64_t>& sizes, int levels) {
  if (value.is_container()) sizes.push_back(value.entries.size());
  if (!value.bytes.empty() || value.type == FuzzType::kString || value.type == FuzzType::kData) {
    sizes.push_back(value.bytes.size());
  }
  if (levels == 0) return;
  for (const FuzzEntry& entry : value.entries) CollectSizes(entry.value, sizes, levels - 1);
}

void CollectSubtrees(const FuzzValue& value, std::vector<const FuzzValue*>& out) {
  out.push_back(&value);
  for (const FuzzEntry& entry : value.entries) CollectSubtrees(entry.value, out);
}

uint64_t DoubleBits(double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof bits);
  return bits;
}

}  // namespace

// One mutation of one decoded input, drawing on the mutator's words, seeds
// and randomness.
class FuzzTreeMutation {
 public:
  explicit FuzzTreeMutation(FuzzMutator& mutator) : m_(mutator), random_(mutator.random_) {}

  void Mutate(FuzzInput& input) {
    if (input.empty() || Chance(15)) return MutateMessages(input);
    std::vector<Site> sites;
    for (FuzzMessage& message : input) CollectSites(message.body, nullptr, 0, 0, sites);
    Site site = sites[Below(sites.size())];
    MutateSite(input, site);
  }

  void CrossOver(FuzzInput& into, const FuzzInput& from) {
    if (from.empty()) return;
    if (into.empty() || Chance(30)) {
      // Splice: a prefix of one conversation, a suffix of the other.
      size_t keep = Below(into.size() + 1);
      size_t skip = Below(from.size());
      into.resize(keep);
      for (size_t i = skip;
           i < from.size() && static_cast<int>(into.size()) < m_.limits_.max_messages; ++i) {
        into.push_back(from[i]);
      }
      return;
    }
    std::vector<const FuzzValue*> donors;
    for (const FuzzMessage& message : from) CollectSubtrees(message.body, donors);
    const FuzzValue& donor = *donors[Below(donors.size())];
    std::vector<Site> sites;
    for (FuzzMessage& message : into) CollectSites(message.body, nullptr, 0, 0, sites);
    Site site = sites[Below(sites.size())];
    if (site.parent == nullptr || (site.value->is_container() && Chance(50))) {
      Insert(*site.value, donor, site.depth);
    } else if (site.depth + Depth(donor) <= m_.limits_.max_depth) {
      *site.value = donor;
    }
  }

 private:
  bool Chance(int percent) { return Below(100) < static_cast<size_t>(percent); }
  size_t Below(size_t bound) { return bound == 0 ? 0 : random_() % bound; }

  static int Depth(const FuzzValue& value) {
    int depth = 0;
    for (const FuzzEntry& entry : value.entries) depth = std::max(depth, 1 + Depth(entry.value));
    return depth;
  }

  void MutateMessages(FuzzInput& input) {
    size_t room = static_cast<size_t>(m_.limits_.max_messages);
    switch (input.empty() ? 0 : Below(6)) {
      case 0:  // a new message, a seed's when there are seeds
        if (input.size() < room) {
          input.insert(input.begin() + Below(input.size() + 1), NewMessage());
        }
        return;
      case 1:  // drop one
        input.erase(input.begin() + Below(input.size()));
        return;
      case 2:  // say it twice
        if (input.size() < room) {
          size_t i = Below(input.size());
          input.insert(input.begin() + i, input[i]);
        }
        return;
      case 3:  // another order
        std::swap(input[Below(input.size())], input[Below(input.size())]);
        return;
      case 4: {
        FuzzMessage& message = input[Below(input.size())];
        message.expects_reply = !message.expects_reply;
        return;
      }
      default: {
        FuzzMessage& message = input[Below(input.size())];
        message.connection = static_cast<int>(Below(std::clamp(m_.limits_.max_connections, 1, 4)));
        return;
      }
    }
  }

  FuzzMessage NewMessage() {
    if (!m_.seeds_.empty() && Chance(50)) {
      const FuzzInput& seed = m_.seeds_[Below(m_.seeds_.size())];
      if (!seed.empty()) return seed[Below(seed.size())];
    }
    FuzzMessage message;
    message.expects_reply = Chance(80);
    size_t entries = 1 + Below(3);
    for (size_t i = 0; i < entries; ++i) message.body.entries.push_back({Key(), RandomValue(1)});
    return message;
  }

  void MutateSite(FuzzInput& input, const Site& site) {
    FuzzValue& value = *site.value;
    size_t choice = Below(100);
    if (choice < 45 && !value.is_container()) return MutateLeaf(input, site.parent, value);
    if (choice < 45 || (choice < 70 && value.is_container())) {
      return MutateContainer(value, site.depth);
    }
    if (choice < 80 && site.parent != nullptr && site.parent->type == FuzzType::kDictionary) {
      return MutateKey(site.parent->entries[site.index].key);
    }
    if (site.parent == nullptr)
      return MutateContainer(value, site.depth);  // a body stays a dictionary
    if (choice < 88) {
      value = RandomValue(site.depth);
    } else if (choice < 94 && site.depth < m_.limits_.max_depth) {
      // Nest it one level deeper.
      FuzzValue wrapper{Chance(50) ? FuzzType::kArray : FuzzType::kDictionary};
      wrapper.entries.push_back({wrapper.type == FuzzType::kDictionary ? Key() : "", value});
      if (site.depth + Depth(wrapper) <= m_.limits_.max_depth) value = std::move(wrapper);
    } else {
      // Another part of the input, copied here.
      std::vector<const FuzzValue*> donors;
      for (const FuzzMessage& message : input) CollectSubtrees(message.body, donors);
      const FuzzValue& donor = *donors[Below(donors.size())];
      if (&donor != &value && site.depth + Depth(donor) <= m_.limits_.max_depth) {
        FuzzValue copy = donor;  // the donor may be inside `value`
        value = std::move(copy);
      }
    }
  }

  void MutateContainer(FuzzValue& container, int depth) {
    std::vector<FuzzEntry>& entries = container.entries;
    size_t choice = entries.empty() ? 0 : Below(4);
    if (choice == 0) {
      FuzzEntry entry{container.type == FuzzType::kDictionary ? Key() : "", RandomValue(depth + 1)};
      entries.insert(entries.begin() + Below(entries.size() + 1), std::move(entry));
    } else if (choice == 1) {
      entries.erase(entries.begin() + Below(entries.size()));
    } else if (choice == 2) {
      entries[Below(entries.size())].value = RandomValue(depth + 1);
    } else {
      std::swap(entries[Below(entries.size())], entries[Below(entries.size())]);
    }
  }

  void MutateKey(std::string& key) {
    const std::string* word = m_.RandomWord();
    if (word != nullptr && Chance(60)) {
      key = *word;
    } else {
      m_.MutateBytes(key, 8);
      key.resize(strnlen(key.c_str(), key.size()));
    }
  }

  void MutateLeaf(const FuzzInput& input, const FuzzValue* parent, FuzzValue& value) {
    switch (value.type) {
      case FuzzType::kNull:
      case FuzzType::kEndpoint:
        value = RandomValue(0);
        return;
      case FuzzType::kBool:
        value.bits ^= 1;
        return;
      case FuzzType::kInt64:
      case FuzzType::kDate:
      case FuzzType::kUint64:
        // Counts, indexes and lengths often describe another part of the
        // message, most often a neighbour: try the size of one, and one
        // either side of it.
        if (Chance(25)) {
          std::vector<uint64_t> sizes;
          if (parent != nullptr && Chance(70)) {
            for (const FuzzEntry& sibling : parent->entries) CollectSizes(sibling.value, sizes, 0);
          }
          if (sizes.empty()) {
            for (const FuzzMessage& message : input) CollectSizes(message.body, sizes, -1);
          }
          value.bits = sizes[Below(sizes.size())] + Below(3) - 1;
          return;
        }
        value.bits = MutateInteger(value.bits);
        return;
      case FuzzType::kDouble:
        value.bits = MutateDouble(value.bits);
        return;
      case FuzzType::kString: {
        const std::string* word = m_.RandomWord();
        if (word != nullptr && Chance(40)) {
          value.bytes = Chance(80) ? *word : value.bytes + *word;
        } else {
          m_.MutateBytes(value.bytes, 16);
          value.bytes.resize(strnlen(value.bytes.c_str(), value.bytes.size()));
        }
        return;
      }
      case FuzzType::kUuid:
        m_.MutateBytes(value.bytes, 0);
        value.bytes.resize(16, '\0');
        return;
      case FuzzType::kFd:
        if (Chance(20)) {
          value.bits ^= 1;
          return;
        }
        [[fallthrough]];
      case FuzzType::kData:
      case FuzzType::kShmem:
        m_.MutateBytes(value.bytes, 32);
        return;
      case FuzzType::kArray:
      case FuzzType::kDictionary:
        return;
    }
  }

  uint64_t MutateInteger(uint64_t bits) {
    switch (Below(5)) {
      case 0:
        return static_cast<uint64_t>(kEdgeIntegers[Below(std::size(kEdgeIntegers))]);
      case 1:
        return bits + (Below(33) - 16);
      case 2:
        return bits ^ (1ULL << Below(64));
      case 3:
        return ~bits + 1;  // the negation
      default: {
        std::string bytes(reinterpret_cast<const char*>(&bits), 8);
        m_.MutateBytes(bytes, 0);
        bytes.resize(8, '\0');
        uint64_t mutated;
        memcpy(&mutated, bytes.data(), 8);
        return mutated;
      }
    }
  }

  uint64_t MutateDouble(uint64_t bits) {
    double value;
    memcpy(&value, &bits, sizeof value);
    switch (Below(4)) {
      case 0:
        return DoubleBits(kEdgeDoubles[Below(std::size(kEdgeDoubles))]);
      case 1:
        return DoubleBits(std::numeric_limits<double>::quiet_NaN());
      case 2: {
        // A whole number near it: through int64_t, which holds negatives.
        int64_t whole =
            std::isfinite(value) && std::fabs(value) < 9e18 ? static_cast<int64_t>(value) : 0;
        uint64_t nearby = MutateInteger(static_cast<uint64_t>(whole));
        return DoubleBits(static_cast<double>(static_cast<int64_t>(nearby)));
      }
      default:
        return MutateInteger(bits);
    }
  }

  std::string Key() {
    const std::string* word = m_.RandomWord();
    if (word != nullptr && Chance(95)) return *word;
    std::string key(1 + Below(6), 'a');
    for (char& c : key) c = static_cast<char>('a' + Below(26));
    return key;
  }

  std::string SmallBytes() {
    std::string bytes(Below(17), '\0');
    for (char& c : bytes) c = static_cast<char>(Below(256));
    return bytes;
  }

  // A fresh value for a slot at `depth`.
  FuzzValue RandomValue(int depth) {
    // Weights: the types services read most often come up most often.
    static constexpr int kWeights[kFuzzValueTypes] = {4, 6, 16, 6, 6, 4, 8, 16, 3, 3, 2, 8, 8, 2};
    bool containers = depth < m_.limits_.max_depth;
    int total = 0;
    for (int t = 0; t < kFuzzValueTypes; ++t) {
      if (containers || !FuzzValue{static_cast<FuzzType>(t)}.is_container()) total += kWeights[t];
    }
    int pick = static_cast<int>(Below(static_cast<size_t>(total)));
    FuzzType type = FuzzType::kNull;
    for (int t = 0; t < kFuzzValueTypes; ++t) {
      if (!containers && FuzzValue{static_cast<FuzzType>(t)}.is_container()) continue;
      if (pick < kWeights[t]) {
        type = static_cast<FuzzType>(t);
        break;
      }
      pick -= kWeights[t];
    }
    FuzzValue value{type};
    switch (type) {
      case FuzzType::kNull:
      case FuzzType::kEndpoint:
        break;
      case FuzzType::kBool:
        value.bits = Below(2);
        break;
      case FuzzType::kInt64:
      case FuzzType::kUint64:
      case FuzzType::kDate:
        value.bits = Chance(70)
                         ? static_cast<uint64_t>(kEdgeIntegers[Below(std::size(kEdgeIntegers))])
                         : random_();
        break;
      case FuzzType::kDouble:
        value.bits = DoubleBits(kEdgeDoubles[Below(std::size(kEdgeDoubles))]);
        break;
      case FuzzType::kString: {
        const std::string* word = m_.RandomWord();
        value.bytes = word != nullptr && Chance(70) ? *word : Key();
        break;
      }
      case FuzzType::kData:
      case FuzzType::kShmem:
        value.bytes = SmallBytes();
        break;
      case FuzzType::kUuid:
        value.bytes = SmallBytes();
        value.bytes.resize(16, '\0');
        break;
      case FuzzType::kFd:
        value.bits = Below(2);
        value.bytes = SmallBytes();
        break;
      case FuzzType::kArray:
      case FuzzType::kDictionary: {
        size_t count = Below(4);
        for (size_t i = 0; i < count; ++i) {
          value.entries.push_back(
              {type == FuzzType::kDictionary ? Key() : "", RandomValue(depth + 1)});
        }
        break;
      }
    }
    return value;
  }

  void Insert(FuzzValue& container, const FuzzValue& donor, int depth) {
    if (depth + 1 + Depth(donor) > m_.limits_.max_depth) return;
    container.entries.push_back({container.type == FuzzType::kDictionary ? Key() : "", donor});
  }

  FuzzMutator& m_;
  std::mt19937_64& random_;
};

FuzzMutator::FuzzMutator(FuzzLimits limits, ByteMutator byte_mutator)
    : limits_(limits), byte_mutator_(byte_mutator) {}

void FuzzMutator::AddWord(std::string_view word) {
  if (word.empty() || word.find('\0') != std::string_view::npos) return;
  if (!known_.insert(std::string(word)).second) return;
  given_.emplace_back(word);
}

void FuzzMutator::AddSeed(FuzzInput seed) {
  for (const FuzzMessage& message : seed) AddWords(message.body);
  seeds_.push_back(std::move(seed));
}

void FuzzMutator::AddWords(const FuzzValue& value) {
  if (value.type == FuzzType::kString) AddWord(value.bytes);
  for (const FuzzEntry& entry : value.entries) {
    if (value.type == FuzzType::kDictionary) AddWord(entry.key);
    AddWords(entry.value);
  }
}

std::vector<std::string> FuzzMutator::Words() const {
  std::vector<std::string> words = given_;
  words.insert(words.end(), learned_.begin(), learned_.end());
  return words;
}

void FuzzMutator::Learn(const FuzzValue& value) {
  if (value.type == FuzzType::kString) Learn(value.bytes);
  for (const FuzzEntry& entry : value.entries) {
    if (value.type == FuzzType::kDictionary) Learn(entry.key);
    Learn(entry.value);
  }
}

void FuzzMutator::Learn(std::string_view word) {
  if (word.empty() || word.size() > kMaxWordLength) return;
  std::string text(word);
  if (known_.count(text) != 0) return;
  if (learned_.size() >= kMaxLearnedWords) {
    std::string& evicted = learned_[random_() % learned_.size()];
    known_.erase(evicted);
    evicted = text;
  } else {
    learned_.push_back(text);
  }
  known_.insert(std::move(text));
}

const std::string* FuzzMutator::RandomWord() {
  // Words given (by the target, -dict files, seeds) are the best guesses;
  // learned ones include whatever the mutator itself made up.
  bool given = !given_.empty() && (learned_.empty() || random_() % 100 < 80);
  if (given) return &given_[random_() % given_.size()];
  if (!learned_.empty()) return &learned_[random_() % learned_.size()];
  return nullptr;
}

void FuzzMutator::MutateBytes(std::string& bytes, size_t room) {
  size_t size = bytes.size();
  size_t max_size = size + room;
  if (max_size == 0) return;
  std::vector<uint8_t> buffer(bytes.begin(), bytes.end());
  buffer.resize(max_size);
  if (byte_mutator_ != nullptr) {
    size = byte_mutator_(buffer.data(), size, max_size);
  } else if (size > 0 && random_() % 3 != 0) {
    buffer[random_() % size] ^= static_cast<uint8_t>(1u << (random_() % 8));
  } else if (size < max_size) {
    buffer.insert(buffer.begin() + static_cast<long>(random_() % (size + 1)),
                  static_cast<uint8_t>(random_()));
    ++size;
  } else {
    buffer.erase(buffer.begin() + static_cast<long>(random_() % size));
    --size;
  }
  bytes.assign(buffer.begin(), buffer.begin() + static_cast<long>(std::min(size, max_size)));
}

std::optional<size_t> FuzzMutator::Store(const std::vector<uint8_t>& bytes, uint8_t* out,
                                         size_t max_size) const {
  if (bytes.size() > max_size) return std::nullopt;
  if (!bytes.empty()) memcpy(out, bytes.data(), bytes.size());  // data() may be null
  return bytes.size();
}

size_t FuzzMutator::Mutate(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  random_.seed(seed);
  if (size == 0 && !seeds_.empty() && random_() % 2 == 0) {
    if (auto stored = Store(EncodeFuzzInput(seeds_[random_() % seeds_.size()]), data, max_size)) {
      return *stored;
    }
  }
  if (random_() % 100 < 15) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    MutateBytes(bytes, max_size - std::min(size, max_size));
    memcpy(data, bytes.data(), bytes.size());
    return bytes.size();
  }
  FuzzInput input = DecodeFuzzInput(data, size, limits_);
  for (const FuzzMessage& message : input) Learn(message.body);
  for (int attempt = 0; attempt < 4; ++attempt) {
    FuzzInput mutated = input;
    FuzzTreeMutation(*this).Mutate(mutated);
    if (mutated == input) continue;
    if (auto stored = Store(EncodeFuzzInput(mutated), data, max_size)) return *stored;
  }
  std::string bytes(reinterpret_cast<const char*>(data), size);
  MutateBytes(bytes, max_size - std::min(size, max_size));
  memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}

size_t FuzzMutator::CrossOver(const uint8_t* data1, size_t size1, const uint8_t* data2,
                              size_t size2, uint8_t* out, size_t max_out_size, unsigned seed) {
  random_.seed(seed);
  // libFuzzer asks for a cross-over as often as for a mutation; mixing two
  // conversations that often mostly makes long ones, so some of the time
  // this is a mutation of the first.
  if (random_() % 100 < 50 && size1 <= max_out_size) {
    if (size1 > 0) memcpy(out, data1, size1);
    return Mutate(out, size1, max_out_size, static_cast<unsigned>(random_()));
  }
  FuzzInput into = DecodeFuzzInput(data1, size1, limits_);
  FuzzInput from = DecodeFuzzInput(data2, size2, limits_);
  FuzzTreeMutation(*this).CrossOver(into, from);
  return Store(EncodeFuzzInput(into), out, max_out_size).value_or(0);
}

}  // namespace xpctest
