#include "text/pair_filter.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <utility>

namespace wenku::text {
namespace {

TEST(PairFilterTest, AnEmptyFilterHoldsNoPair) {
  const PairFilter filter(16);
  EXPECT_FALSE(filter.may_start(U'中', U'国'));
  EXPECT_FALSE(filter.may_start(0, 0));
}

// Every pair added is held (no false negatives); of pairs never added, few are held when the
// filter has a few dozen bits per pair; the order of the two code points matters.
TEST(PairFilterTest, HoldsEveryPairAddedAndFewOthers) {
  std::mt19937 random(11);
  std::uniform_int_distribution<char32_t> han(0x4E00, 0x9FFF);
  std::uniform_int_distribution<char32_t> any(0, 0x10FFFF);
  std::set<std::pair<char32_t, char32_t>> added;
  PairFilter filter(18);
  while (added.size() < 5000) {
    const auto pair = added.size() % 5 == 0 ? std::pair(any(random), any(random))
                                            : std::pair(han(random), han(random));
    filter.add(pair.first, pair.second);
    added.insert(pair);
  }
  for (const auto& [first, second] : added) EXPECT_TRUE(filter.may_start(first, second));
  int held = 0, tried = 0;
  while (tried < 100000) {
    const std::pair pair(han(random), han(random));
    if (added.contains(pair)) continue;
    ++tried;
    held += filter.may_start(pair.first, pair.second);
  }
  EXPECT_LT(held, tried / 20);  // 5,000 of 2^18 bits set: ~2 %
  PairFilter one(8);
  one.add(U'中', U'国');
  EXPECT_TRUE(one.may_start(U'中', U'国'));
  EXPECT_FALSE(one.may_start(U'国', U'中'));
}

}  // namespace
}  // namespace wenku::text
