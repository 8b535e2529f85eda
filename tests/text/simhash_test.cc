#include "text/simhash.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>
#include <string>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"
#include "text/keywords.h"

namespace wenku::text {
namespace {

std::vector<std::string_view> split(const std::string& s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t end = std::min(s.find(' ', start), s.size());
    out.emplace_back(s.data() + start, end - start);
    start = end + 1;
  }
  return out;
}

std::string numbered_words(int n, int offset = 0) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " w" : "w") + std::to_string(i + offset);
  return s;
}

TEST(SimHashTest, IsStableAcrossRunsAndVersions) {
  // A fixed value: SimHashes are stored, so the hash must never change silently.
  EXPECT_EQ(simhash(split("推动 高质量 发展 建设 现代化 经济体系")), 17737049663311332257u);
  // Long texts (more than 255 distinct shingles, counted in batches): values of the version
  // that counted each bit of each shingle one by one.
  EXPECT_EQ(simhash(split(numbered_words(257, 3))), 14465029221765685411u);
  EXPECT_EQ(simhash(split(numbered_words(1000))), 14609182278702400646u);
  EXPECT_EQ(simhash(split(numbered_words(5000, 11))), 15754775580104281182u);
}

TEST(SimHashTest, EmptyIsZeroAndShortTextsStillHash) {
  EXPECT_EQ(simhash({}), 0u);
  EXPECT_NE(simhash(split("发展")), 0u);
  EXPECT_NE(simhash(split("高质量 发展")), simhash(split("发展 高质量")));
  EXPECT_THROW(simhash(split("a b"), 0), std::invalid_argument);
}

TEST(SimHashTest, SmallEditsStayCloseAndDifferentTextsDoNot) {
  const std::string base = numbered_words(400);
  std::string edited = base;
  edited.replace(edited.find(" w200 "), 6, " changed ");
  EXPECT_LE(hamming_distance(simhash(split(base)), simhash(split(edited))), kNearDuplicateDistance);
  EXPECT_GT(hamming_distance(simhash(split(base)), simhash(split(numbered_words(400, 1000)))),
            kNearDuplicateDistance);
}

TEST(SimHashTest, HammingDistanceCountsBits) {
  EXPECT_EQ(hamming_distance(0, 0), 0);
  EXPECT_EQ(hamming_distance(0b1011, 0b0001), 2);
  EXPECT_EQ(hamming_distance(~0ull, 0), 64);
}

TEST(SimHashSetTest, FindsEntriesWithinTheDistanceNearestFirst) {
  SimHashSet set;
  set.add(0b1111, 10);
  set.add(0b1110, 11);
  set.add(0b1000'0000'0000'1111, 12);
  set.add(0xFFFF'0000, 13);
  set.add(0, 14);  // not computed: never matches
  const auto matches = set.near(0b1110, 3);
  ASSERT_EQ(matches.size(), 3u);
  EXPECT_EQ(matches[0].value, 11u);
  EXPECT_EQ(matches[0].distance, 0);
  EXPECT_EQ(matches[1].value, 10u);
  EXPECT_EQ(matches[2].value, 12u);
  EXPECT_TRUE(set.near(0, 64).empty());
}

// The scale argument of SimHashSet: a lookup among 25,000 hashes takes microseconds.
TEST(SimHashSetTest, LinearScanOverTheWholeLibraryIsFast) {
  std::mt19937_64 random(42);
  SimHashSet set;
  for (std::size_t i = 0; i < 25000; ++i) set.add(random(), i);
  constexpr int kLookups = 200;
  std::size_t found = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kLookups; ++i) found += set.near(random()).size();
  const double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      kLookups;
  std::printf("SimHashSet::near over %zu hashes: %.1f us per lookup\n", set.size(), us);
  EXPECT_LT(found, 5u);   // random 64-bit hashes are almost never within 3 bits
  EXPECT_LT(us, 5000.0);  // generous: sanitizer builds are slow
}

// The speeches file holds the same speech both plain and in a "新华社…电" news wrapping (or
// with a photo caption): these six pairs, checked by eye (character similarity 0.97-0.99).
// Every pair within kNearDuplicateDistance must be one of them (no false positives), and
// most of them must be found (the exact count moves a little with the segmenter's
// dictionary: 4 or 5 of 6 while writing this).
TEST(SimHashCorpusTest, FindsTheWrappedSpeechesAsNearDuplicates) {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  const Segmenter segmenter(testing::dict_dir());
  const auto docs = doc::testing::read_corpus_docs(dir / "xi_speeches_2020.jsonl");
  SimHashSet set;
  std::vector<std::string> ids;
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& [id, d] : docs) {
    const auto words = segment_words(segmenter, d.content);
    std::vector<std::string_view> keys;
    for (const auto& w : words) keys.push_back(w.key);
    const auto hash = simhash(keys);
    for (const auto& m : set.near(hash)) pairs.emplace(ids[m.value], id);
    set.add(hash, ids.size());
    ids.push_back(id);
  }
  const std::set<std::pair<std::string, std::string>> known = {
      {"xi2020-20200909-1", "xi2020-20201015-1"}, {"xi2020-20201023-1", "xi2020-20201024-1"},
      {"xi2020-20201112-1", "xi2020-20201113-1"}, {"xi2020-20201110-1", "xi2020-20201111-1"},
      {"xi2020-20201112-2", "xi2020-20201113-2"}, {"xi2020-20201119-1", "xi2020-20201120-1"},
  };
  for (const auto& p : pairs) EXPECT_TRUE(known.contains(p)) << p.first << " ~ " << p.second;
  EXPECT_GE(pairs.size(), 4u);
}

}  // namespace
}  // namespace wenku::text
