#include "text/keywords.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "testing/test_support.h"
#include "text/normalize.h"

namespace wenku::text {
namespace {

const Segmenter& segmenter() {
  static const Segmenter s(testing::dict_dir());
  return s;
}

const KeywordExtractor& extractor() {
  static const KeywordExtractor k(testing::dict_dir());
  return k;
}

std::vector<std::string> keys_of(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.key);
  return out;
}

TEST(SegmentWordsTest, CutsTheKeyAndPointsBackIntoTheOriginal) {
  const std::string text = "廣州共產黨，ＧＤＰ增長。";
  const auto words = segment_words(segmenter(), text);
  ASSERT_FALSE(words.empty());
  std::string keys;
  std::string surfaces;
  for (const auto& w : words) {
    EXPECT_EQ(normalize_key(w.surface), w.key);
    EXPECT_GE(w.surface.data(), text.data());
    EXPECT_LE(w.surface.data() + w.surface.size(), text.data() + text.size());
    keys += w.key;
    surfaces += w.surface;
  }
  EXPECT_EQ(keys, "广州共产党gdp增长");  // punctuation dropped
  EXPECT_EQ(surfaces, "廣州共產黨ＧＤＰ增長");
}

TEST(SegmentWordsTest, TraditionalAndSimplifiedGiveTheSameKeys) {
  EXPECT_EQ(keys_of(segment_words(segmenter(), "我們要推動經濟發展")),
            keys_of(segment_words(segmenter(), "我们要推动经济发展")));
}

TEST(SegmentWordsTest, RejectsInvalidUtf8) {
  EXPECT_THROW(segment_words(segmenter(), "发展\xFF"), InvalidUtf8);
}

TEST(KeywordExtractorTest, CandidatesExcludeStopWordsSingleCharactersNumbersAndPunctuation) {
  EXPECT_TRUE(extractor().is_candidate("乡村振兴"));
  EXPECT_TRUE(extractor().is_candidate("gdp"));
  EXPECT_FALSE(extractor().is_candidate("的"));    // single character
  EXPECT_FALSE(extractor().is_candidate("我们"));  // stop word
  EXPECT_FALSE(extractor().is_candidate("2021"));
  EXPECT_FALSE(extractor().is_candidate("3.5%"));
  EXPECT_FALSE(extractor().is_candidate("——"));
}

TEST(KeywordExtractorTest, IdfPrefersTheLibraryOnceItIsLargeEnough) {
  DocumentFrequencies library;
  library.documents = 1000;
  library.counts["乡村振兴"] = 10;
  EXPECT_NEAR(extractor().idf("乡村振兴", library), std::log(100.0), 1e-9);
  const double general = extractor().idf("乡村振兴", DocumentFrequencies{});
  EXPECT_GT(general, 0);
  library.documents = KeywordExtractor::kMinLibraryDocuments - 1;
  EXPECT_EQ(extractor().idf("乡村振兴", library), general);
  // Unknown everywhere: the median idf, the same for every unknown word.
  EXPECT_EQ(extractor().idf("zzqxj", {}), extractor().idf("qqzxw", {}));
}

TEST(KeywordExtractorTest, TopKeywordsAreFrequentRareWordsInTheirOwnSpelling) {
  const std::string text =
      "我們要全面推進鄉村振興。鄉村振興是一項重大任務，要堅持農業農村優先發展，"
      "推進鄉村振興戰略，推動農業農村現代化。我們的工作是我們的責任。";
  const auto words = segment_words(segmenter(), text);
  const auto top = extractor().top(words, {}, 3);
  ASSERT_EQ(top.size(), 3u);
  // 鄉村振興 (one word or two, as the dictionary decides) leads, shown in the text's own
  // Traditional spelling; every keyword is a span of the text.
  const std::set<std::string> leading = {"乡村振兴", "乡村", "振兴"};
  EXPECT_TRUE(leading.contains(normalize_key(top[0]))) << top[0];
  for (const auto& k : top) {
    EXPECT_NE(text.find(k), std::string::npos) << k;
    EXPECT_NE(k, "我們");
  }
}

TEST(KeywordExtractorTest, LibraryFrequenciesChangeTheRanking) {
  const auto words = segment_words(segmenter(), "改革开放 改革开放 改革开放 现代化 现代化");
  EXPECT_EQ(extractor().top(words, {}, 1), std::vector<std::string>{"改革开放"});
  DocumentFrequencies library;
  library.documents = 1000;
  library.counts["改革开放"] = 1000;  // in every document: idf 0
  library.counts["现代化"] = 1;
  EXPECT_EQ(extractor().top(words, library, 1), std::vector<std::string>{"现代化"});
}

TEST(KeywordExtractorTest, EmptyTextHasNoKeywords) {
  EXPECT_TRUE(extractor().top(segment_words(segmenter(), ""), {}, 5).empty());
  EXPECT_TRUE(extractor().top(segment_words(segmenter(), "。，、"), {}, 5).empty());
}

}  // namespace
}  // namespace wenku::text
