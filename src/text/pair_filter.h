// A filter of the first two characters of a set of words, for scans that look a word up at
// every position of a text: most positions start no word, and one bit tells.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wenku::text {

// A bit per hash of a pair of code points, set for every pair added. may_start is false only
// when no pair added equals (first, second); true can be wrong (another pair with the same
// hash), so a caller looks further then. Copyable; safe to read from many threads.
class PairFilter {
 public:
  // 2^`bits` bits, bits in [6, 32]. With a few dozen bits per pair added, true is rarely wrong.
  explicit PairFilter(int bits) : bits_(bits), words_((std::size_t{1} << bits) / 64, 0) {}

  void add(char32_t first, char32_t second) {
    const std::size_t bit = bit_of(first, second);
    words_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }

  bool may_start(char32_t first, char32_t second) const {
    const std::size_t bit = bit_of(first, second);
    return (words_[bit / 64] >> (bit % 64)) & 1u;
  }

 private:
  // Fibonacci hashing of the pair (code points take 21 bits): the top `bits_` bits.
  std::size_t bit_of(char32_t first, char32_t second) const {
    const std::uint64_t pair = (std::uint64_t{first} << 21) | second;
    return static_cast<std::size_t>((pair * 0x9E3779B97F4A7C15ull) >> (64 - bits_));
  }

  int bits_;
  std::vector<std::uint64_t> words_;
};

}  // namespace wenku::text
