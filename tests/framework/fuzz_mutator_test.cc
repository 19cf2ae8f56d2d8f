// The structure-aware mutator: it keeps inputs within their limits, reaches
// every type, uses the words it is given and learns, starts from seeds, and
// replays: the same seed argument gives the same mutation.
#include "xpctest/fuzz_mutator.h"

#include <cmath>
#include <cstring>
#include <set>

#include "xpctest/xpctest.h"

namespace xpctest {
namespace {

constexpr size_t kMaxSize = 512;

int Depth(const FuzzValue& value) {
  int depth = 0;
  for (const FuzzEntry& entry : value.entries) depth = std::max(depth, 1 + Depth(entry.value));
  return depth;
}

void CollectTypes(const FuzzValue& value, std::set<FuzzType>& types) {
  types.insert(value.type);
  for (const FuzzEntry& entry : value.entries) CollectTypes(entry.value, types);
}

bool HasKey(const FuzzValue& value, const std::string& key) {
  for (const FuzzEntry& entry : value.entries) {
    if ((value.type == FuzzType::kDictionary && entry.key == key) || HasKey(entry.value, key)) {
      return true;
    }
  }
  return false;
}

// Mutates an input `rounds` times in a row, as a fuzzer walking away from the
// empty input would, and calls `visit` with each result.
template <class Visit>
void Walk(FuzzMutator& mutator, int rounds, Visit visit) {
  std::vector<uint8_t> data(kMaxSize);
  size_t size = 0;
  for (int round = 0; round < rounds; ++round) {
    size = mutator.Mutate(data.data(), size, kMaxSize, static_cast<unsigned>(round));
    ASSERT_LE(size, kMaxSize);
    visit(std::vector<uint8_t>(data.begin(), data.begin() + static_cast<long>(size)));
    // Now and then start over, so that small inputs are seen throughout.
    if (round % 200 == 199) size = 0;
  }
}

TEST(FuzzMutator, MutatedInputsStayWithinTheirLimits) {
  FuzzLimits limits;
  limits.max_messages = 3;
  limits.max_depth = 4;
  FuzzMutator mutator(limits);
  int changed = 0;
  std::vector<uint8_t> previous;
  Walk(mutator, 3000, [&](const std::vector<uint8_t>& bytes) {
    FuzzInput input = DecodeFuzzInput(bytes.data(), bytes.size(), limits);
    EXPECT_LE(input.size(), 3u);
    for (const FuzzMessage& message : input) {
      EXPECT_LE(Depth(message.body), 4);
      EXPECT_LT(message.connection, limits.max_connections);
    }
    changed += bytes != previous;
    previous = bytes;
  });
  // Almost every call changes the input.
  EXPECT_GT(changed, 2700);
}

TEST(FuzzMutator, ReachesEveryTypeFromTheEmptyInput) {
  FuzzMutator mutator;
  std::set<FuzzType> types;
  Walk(mutator, 3000, [&](const std::vector<uint8_t>& bytes) {
    for (const FuzzMessage& message : DecodeFuzzInput(bytes.data(), bytes.size())) {
      CollectTypes(message.body, types);
    }
  });
  EXPECT_EQ(types.size(), static_cast<size_t>(kFuzzValueTypes));
}

TEST(FuzzMutator, TheSameSeedGivesTheSameMutation) {
  FuzzMutator first, second;
  std::vector<uint8_t> a(kMaxSize), b(kMaxSize);
  size_t size_a = 0, size_b = 0;
  for (unsigned seed = 0; seed < 500; ++seed) {
    size_a = first.Mutate(a.data(), size_a, kMaxSize, seed);
    size_b = second.Mutate(b.data(), size_b, kMaxSize, seed);
    ASSERT_EQ(std::vector<uint8_t>(a.begin(), a.begin() + static_cast<long>(size_a)),
              std::vector<uint8_t>(b.begin(), b.begin() + static_cast<long>(size_b)))
        << "seed " << seed;
  }
}

TEST(FuzzMutator, GivenWordsBecomeKeys) {
  FuzzMutator mutator;
  mutator.AddWord("magic-key");
  bool seen = false;
  Walk(mutator, 500, [&](const std::vector<uint8_t>& bytes) {
    for (const FuzzMessage& message : DecodeFuzzInput(bytes.data(), bytes.size())) {
      seen = seen || HasKey(message.body, "magic-key");
    }
  });
  EXPECT_TRUE(seen);
}

TEST(FuzzMutator, WordsWithANulOrNothingInThemAreSkipped) {
  FuzzMutator mutator;
  mutator.AddWord("");
  mutator.AddWord(std::string_view("a\0b", 3));
  mutator.AddWord("op");
  mutator.AddWord("op");
  EXPECT_EQ(mutator.Words(), std::vector<std::string>{"op"});
}

TEST(FuzzMutator, LearnsTheKeysAndStringsOfSeedsAndInputs) {
  FuzzMutator mutator;
  mutator.AddSeed({{true, 0, FuzzDictionary({{"op", FuzzString("frobnicate")}})}});
  std::vector<uint8_t> bytes =
      EncodeFuzzInput({{true, 0, FuzzDictionary({{"learned", FuzzInt64(1)}})}});
  bytes.resize(kMaxSize);
  mutator.Mutate(bytes.data(), bytes.size(), kMaxSize, 1);
  std::vector<std::string> words = mutator.Words();
  for (const char* word : {"op", "frobnicate", "learned"}) {
    EXPECT_NE(std::find(words.begin(), words.end(), word), words.end()) << word;
  }
}

TEST(FuzzMutator, AnEmptyInputOftenBecomesASeed) {
  FuzzMutator mutator;
  FuzzInput seed{{true, 0, FuzzDictionary({{"op", FuzzString("add")}, {"a", FuzzInt64(2)}})}};
  mutator.AddSeed(seed);
  std::vector<uint8_t> data(kMaxSize);
  int seeds = 0;
  for (unsigned i = 0; i < 100; ++i) {
    size_t size = mutator.Mutate(data.data(), 0, kMaxSize, i);
    seeds += DecodeFuzzInput(data.data(), size) == seed;
  }
  EXPECT_GT(seeds, 30);
}

TEST(FuzzMutator, CrossOverMixesTwoInputs) {
  FuzzMutator mutator;
  std::vector<uint8_t> a = EncodeFuzzInput({{true, 0, FuzzDictionary({{"from-a", FuzzInt64(1)}})}});
  std::vector<uint8_t> b = EncodeFuzzInput(
      {{true, 0, FuzzDictionary({{"from-b", FuzzDictionary({{"deep", FuzzInt64(2)}})}})}});
  std::vector<uint8_t> out(kMaxSize);
  int mixed = 0;
  for (unsigned seed = 0; seed < 200; ++seed) {
    size_t size =
        mutator.CrossOver(a.data(), a.size(), b.data(), b.size(), out.data(), kMaxSize, seed);
    bool has_a = false, has_b = false;
    for (const FuzzMessage& message : DecodeFuzzInput(out.data(), size)) {
      has_a = has_a || HasKey(message.body, "from-a");
      has_b = has_b || HasKey(message.body, "deep");
    }
    mixed += has_a && has_b;
  }
  EXPECT_GT(mixed, 20);
}

// Found by the fuzz preset's UBSan: an empty result was copied from a null
// pointer.
TEST(FuzzMutator, DroppingTheLastMessageLeavesAnEmptyInput) {
  FuzzMutator mutator;
  std::vector<uint8_t> one = EncodeFuzzInput({{true, 0, FuzzDictionary({})}});
  std::vector<uint8_t> data(kMaxSize);
  int empty = 0;
  for (unsigned seed = 0; seed < 500; ++seed) {
    std::copy(one.begin(), one.end(), data.begin());
    empty += mutator.Mutate(data.data(), one.size(), kMaxSize, seed) == 0;
  }
  EXPECT_GT(empty, 0);
}

// Found by the fuzz preset's UBSan: a negative double was converted to an
// unsigned integer on the way to a nearby whole number.
TEST(FuzzMutator, ANegativeDoubleMutatesToNearbyWholeNumbers) {
  FuzzMutator mutator;
  double start = -1.5;
  FuzzValue value(FuzzType::kDouble);
  memcpy(&value.bits, &start, sizeof start);
  std::vector<uint8_t> input = EncodeFuzzInput({{true, 0, FuzzDictionary({{"d", value}})}});
  std::vector<uint8_t> data(kMaxSize);
  int nearby = 0;
  for (unsigned seed = 0; seed < 2000; ++seed) {
    std::copy(input.begin(), input.end(), data.begin());
    size_t size = mutator.Mutate(data.data(), input.size(), kMaxSize, seed);
    FuzzInput mutated = DecodeFuzzInput(data.data(), size);
    if (mutated.size() != 1 || mutated[0].body.entries.size() != 1) continue;
    const FuzzValue& d = mutated[0].body.entries[0].value;
    double got;
    memcpy(&got, &d.bits, sizeof got);
    nearby += d.type == FuzzType::kDouble && got == std::trunc(got) && got >= -20 && got <= 20 &&
              got != 0 && got != 1 && got != -1;
  }
  EXPECT_GT(nearby, 0);
}

TEST(FuzzMutator, NeverWritesMoreThanMaxSize) {
  FuzzMutator mutator;
  std::vector<uint8_t> data(16);
  size_t size = 0;
  for (unsigned seed = 0; seed < 2000; ++seed) {
    size = mutator.Mutate(data.data(), size, data.size(), seed);
    ASSERT_LE(size, data.size());
  }
}

}  // namespace
}  // namespace xpctest
