// xpctest/fuzz_mutator.h — libFuzzer's custom mutator for XPC messages.
//
// libFuzzer mutates bytes; a FuzzMutator mutates the messages those bytes
// encode (xpctest/fuzz_input.h): it decodes the input, changes one thing in
// the tree — a number to an edge value, a string to a word, a value to
// another type, an entry added or removed, a container nested, a message
// added, dropped, repeated or sent without a reply handler — and encodes the
// result. Now and then it hands the raw bytes to libFuzzer's own mutator
// instead (which brings -dict entries and the operands of the service's
// comparisons); since every byte string decodes, that is never wasted.
// Leaves go through libFuzzer's mutator too, so a string the service
// compares against lands in a string, a number it compares against in a
// number.
//
//   FuzzMutator mutator(limits, LLVMFuzzerMutate);
//   mutator.AddWord("op");                          // keys and strings to try
//   mutator.AddSeed(DecodeFuzzInput(seed_bytes));   // real messages
//   size_t size = mutator.Mutate(data, size, max_size, seed);
//
// Words come from AddWord (the target's words and -dict files) and are
// learned from every input it mutates: the keys and strings of the corpus.
//
// The same seed argument gives the same mutation of the same input and word
// pool. Not thread-safe; libFuzzer mutates on one thread.
#ifndef XPCTEST_FUZZ_MUTATOR_H
#define XPCTEST_FUZZ_MUTATOR_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "xpctest/fuzz_input.h"

namespace xpctest {

class FuzzMutator {
 public:
  // libFuzzer's LLVMFuzzerMutate: mutates data[0, size) in place, up to
  // max_size bytes, and returns the new size.
  using ByteMutator = size_t (*)(uint8_t* data, size_t size, size_t max_size);

  // Without a byte mutator (unit tests) a simple one of its own is used.
  explicit FuzzMutator(FuzzLimits limits = {}, ByteMutator byte_mutator = nullptr);

  // A key or string value to try. Empty words and words with a NUL are skipped.
  void AddWord(std::string_view word);
  // A real message sequence to start from; its keys and strings become words.
  void AddSeed(FuzzInput seed);

  // LLVMFuzzerCustomMutator: data has room for max_size bytes.
  size_t Mutate(uint8_t* data, size_t size, size_t max_size, unsigned seed);
  // LLVMFuzzerCustomCrossOver: 0 when no mix of the two fits in max_out_size.
  size_t CrossOver(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                   uint8_t* out, size_t max_out_size, unsigned seed);

  // The words given, then those learned.
  std::vector<std::string> Words() const;

 private:
  friend class FuzzTreeMutation;

  // The keys and strings of `value`, as given words.
  void AddWords(const FuzzValue& value);
  void Learn(const FuzzValue& value);
  void Learn(std::string_view word);
  const std::string* RandomWord();
  // A byte-level mutation of `bytes`, growing it by at most `room` bytes.
  void MutateBytes(std::string& bytes, size_t room);
  // Copies `bytes` to `out`; nothing when they need more than max_size.
  std::optional<size_t> Store(const std::vector<uint8_t>& bytes, uint8_t* out,
                              size_t max_size) const;

  FuzzLimits limits_;
  ByteMutator byte_mutator_;
  std::mt19937_64 random_;
  std::vector<std::string> given_;
  std::vector<std::string> learned_;
  std::unordered_set<std::string> known_;
  std::vector<FuzzInput> seeds_;
};

}  // namespace xpctest

#endif  // XPCTEST_FUZZ_MUTATOR_H
