#include "text/simhash.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <stdexcept>
#include <string>

namespace wenku::text {

namespace {

constexpr char kWordSeparator = '\x1f';

std::uint64_t shingle_hash(const std::vector<std::string_view>& words, std::size_t begin,
                           std::size_t end, std::string& buffer) {
  buffer.clear();
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) buffer += kWordSeparator;
    buffer += words[i];
  }
  return XXH3_64bits(buffer.data(), buffer.size());
}

}  // namespace

std::uint64_t simhash(const std::vector<std::string_view>& words, std::size_t shingle) {
  if (shingle == 0) throw std::invalid_argument("simhash: shingle must be at least 1 word");
  if (words.empty()) return 0;
  const std::size_t width = std::min(shingle, words.size());
  std::vector<std::uint64_t> shingles;
  std::string buffer;
  for (std::size_t begin = 0; begin + width <= words.size(); ++begin) {
    shingles.push_back(shingle_hash(words, begin, begin + width, buffer));
  }
  // Each distinct shingle votes once: with counts, a term repeated all through a text (a
  // law's 农民专业合作社) outvotes the rest and texts on one subject collide.
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  // A bit of the result is set when more distinct shingles have it set than not. The ones
  // of each bit are counted eight bits at a time: byte j of kSpread[b] is bit j of b, so one
  // addition counts eight bits of a shingle in eight byte counters (a loop over the 64 bits
  // of each shingle was most of simhash's time). Byte counters are emptied before 255.
  static constexpr auto kSpread = [] {
    std::array<std::uint64_t, 256> table{};
    for (std::size_t b = 0; b < table.size(); ++b) {
      for (int j = 0; j < 8; ++j) table[b] |= static_cast<std::uint64_t>((b >> j) & 1) << (8 * j);
    }
    return table;
  }();
  std::array<std::uint64_t, 64> ones{};
  std::array<std::uint64_t, 8> bytes{};  // byte j of bytes[g]: ones of bit 8g + j, pending
  auto empty_bytes = [&] {
    for (int g = 0; g < 8; ++g) {
      for (int j = 0; j < 8; ++j) ones[8 * g + j] += (bytes[g] >> (8 * j)) & 0xFF;
      bytes[g] = 0;
    }
  };
  for (std::size_t i = 0; i < shingles.size(); ++i) {
    for (int g = 0; g < 8; ++g) bytes[g] += kSpread[(shingles[i] >> (8 * g)) & 0xFF];
    if (i % 255 == 254) empty_bytes();
  }
  empty_bytes();
  std::uint64_t out = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (2 * ones[bit] > shingles.size()) out |= std::uint64_t{1} << bit;
  }
  return out;
}

int hamming_distance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

void SimHashSet::add(std::uint64_t hash, std::size_t value) {
  hashes_.push_back(hash);
  values_.push_back(value);
}

// Built twice, the popcnt instruction being newer than the x86-64 baseline Debian compiles
// for; the machine picks at load time. Without it each distance is a library call: an
// import's near-duplicate check (one scan per document) spent ~1 % of its time in it.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
[[gnu::target_clones("popcnt", "default")]]
#endif
std::vector<SimHashSet::Match>
SimHashSet::near(std::uint64_t hash, int max_distance) const {
  std::vector<Match> out;
  if (hash == 0) return out;
  for (std::size_t i = 0; i < hashes_.size(); ++i) {
    const int d = std::popcount(hash ^ hashes_[i]);
    if (d <= max_distance && hashes_[i] != 0) out.push_back(Match{values_[i], d});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Match& a, const Match& b) { return a.distance < b.distance; });
  return out;
}

}  // namespace wenku::text
