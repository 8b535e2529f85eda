// 64-bit SimHash (Charikar) over word shingles, and an in-memory near-duplicate lookup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wenku::text {

// Words per shingle.
inline constexpr std::size_t kShingleWords = 3;

// Documents whose SimHashes differ in at most this many bits are near-duplicates.
inline constexpr int kNearDuplicateDistance = 3;

// The SimHash of a word sequence: every run of `shingle` consecutive words (all of them as one
// shingle when there are fewer) is hashed with XXH3-64 (stable across runs, machines and
// versions of this program; the words are joined by U+001F, which no word contains), and bit
// i of the result is set when more distinct shingles have bit i set than clear (each
// distinct shingle votes once, however often it occurs). Returns 0 for no words
// (0 means "not computed" in doc::Document). Pass the words' keys (segment_words) so that
// Traditional/Simplified, width and case variants hash alike. `shingle` must be at least 1.
std::uint64_t simhash(const std::vector<std::string_view>& words,
                      std::size_t shingle = kShingleWords);

// Number of differing bits.
int hamming_distance(std::uint64_t a, std::uint64_t b);

// A set of SimHashes, each with the caller's number for it (e.g. a position in a list of
// ids), searched by linear scan: 23k documents × one XOR and popcount is a few microseconds
// (measured in tests/text/simhash_test.cc), far below the segmentation cost of a document,
// so a permutation-table index would add complexity for nothing at this scale.
// Not synchronised: guard it when several threads add and search.
class SimHashSet {
 public:
  struct Match {
    std::size_t value = 0;  // the number given to add()
    int distance = 0;
  };

  void add(std::uint64_t hash, std::size_t value);

  // Entries within `max_distance` bits of `hash`, nearest first (ties: in insertion order).
  // A `hash` of 0 (not computed) matches nothing.
  std::vector<Match> near(std::uint64_t hash, int max_distance = kNearDuplicateDistance) const;

  std::size_t size() const { return hashes_.size(); }

 private:
  std::vector<std::uint64_t> hashes_;
  std::vector<std::size_t> values_;
};

}  // namespace wenku::text
