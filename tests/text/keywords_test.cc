#include "text/keywords.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"
#include "text/normalize.h"
#include "text/utf8.h"

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

TEST(SegmentWordsTest, SurfacesAreTheKeysCodePointsInTheOriginal) {
  // Words written as their keys next to words that are not (Traditional, full width, upper
  // case), with punctuation whose key is shorter or longer in bytes between them.
  const std::vector<std::string> pieces = {"發展", "发展", "ＧＤＰ", "gdp",  "GDP",
                                           "，",   "。",   "廣州",   "广州", " ",
                                           "经济", "ⅱ",    "①",      "𠀀",   "A"};
  std::mt19937 random(11);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(random() % 12);
    for (int i = 0; i < n; ++i) text += pieces[random() % pieces.size()];
    const std::string key = normalize_key(text);
    // Byte offset of every code point of `text`, indexed by code point.
    std::vector<std::size_t> text_offsets;
    for (std::size_t pos = 0; pos < text.size();) {
      text_offsets.push_back(pos);
      decode_at(text, pos);
    }
    text_offsets.push_back(text.size());
    std::size_t key_pos = 0;
    for (const auto& w : segment_words(segmenter(), text)) {
      const std::size_t at = key.find(w.key, key_pos);
      ASSERT_NE(at, std::string::npos) << text;
      // The word's code point range in the key is the surface's range in the text.
      const std::size_t first = count_code_points(std::string_view(key).substr(0, at));
      const std::size_t last = first + count_code_points(w.key);
      EXPECT_EQ(w.surface.data() - text.data(), static_cast<std::ptrdiff_t>(text_offsets[first]))
          << text;
      EXPECT_EQ(w.surface.size(), text_offsets[last] - text_offsets[first]) << text;
      EXPECT_EQ(normalize_key(w.surface), w.key) << text;
      key_pos = at + w.key.size();
    }
  }
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

// The candidates and keywords of `words` worked out the plain way: a map per key, a full sort.
struct Expected {
  std::vector<std::tuple<std::string, std::string, std::uint32_t>> candidates;  // key order
  std::vector<std::string> top;
};

Expected expected_for(const std::vector<Word>& words, const DocumentFrequencies& library,
                      std::size_t k) {
  std::map<std::string, std::pair<std::string, std::uint32_t>> by_key;  // surface, count
  for (const auto& w : words) {
    auto [it, added] = by_key.try_emplace(w.key, std::string(w.surface), 0);
    ++it->second.second;
  }
  Expected e;
  std::vector<std::pair<double, std::string>> scored;  // -score, key
  for (const auto& [key, value] : by_key) {
    if (!extractor().is_candidate(key)) continue;
    e.candidates.emplace_back(key, value.first, value.second);
    scored.emplace_back(-static_cast<double>(value.second) * extractor().idf(key, library), key);
  }
  std::sort(scored.begin(), scored.end());
  for (std::size_t i = 0; i < scored.size() && i < k; ++i) {
    e.top.push_back(by_key.at(scored[i].second).first);
  }
  return e;
}

void expect_candidates_as_expected(std::string_view text, const DocumentFrequencies& library) {
  const auto words = segment_words(segmenter(), text);
  const auto expected = expected_for(words, library, 10);
  const auto candidates = extractor().candidates(words);
  ASSERT_EQ(candidates.size(), expected.candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto c = candidates[i];
    EXPECT_EQ(std::tuple(std::string(c.key), std::string(c.surface), c.count),
              expected.candidates[i]);
  }
  EXPECT_EQ(extractor().top(candidates, library, 10), expected.top);
  EXPECT_EQ(extractor().top(words, library, 10), expected.top);
  EXPECT_EQ(extractor().candidates(words).size(), candidates.size());
}

TEST(KeywordCandidatesTest, KeepEachCandidateKeyWithItsCountAndFirstSpelling) {
  // 發展 (Traditional) is met before 发展: the keyword is spelled as first met.
  const auto words =
      segment_words(segmenter(), "堅持發展，推动发展，发展是第一要务。２０２１年发展");
  const auto candidates = extractor().candidates(words);
  std::map<std::string, std::pair<std::string, std::uint32_t>> got;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    got[std::string(candidates[i].key)] = {std::string(candidates[i].surface), candidates[i].count};
  }
  ASSERT_TRUE(got.contains("发展"));
  EXPECT_EQ(got["发展"], std::pair(std::string("發展"), 4u));
  EXPECT_FALSE(got.contains("2021"));  // a number is no candidate
  EXPECT_FALSE(got.contains("是"));
  EXPECT_EQ(extractor().top(candidates, {}, 1), std::vector<std::string>{"發展"});
  EXPECT_EQ(extractor().candidates(segment_words(segmenter(), "")).size(), 0u);
}

// Keys that share their first 8 bytes, or are prefixes of each other, come out in byte
// order, each once with its count of occurrences and first spelling.
TEST(KeywordCandidatesTest, KeysSharingLongPrefixesAreOrderedAndCountedByTheirBytes) {
  const std::vector<std::string> keys = {
      "中国人民解放军", "abcdefghz", "abcdefgh", "中国人民", "abcdefghi",  "abc",
      "abcdefgh",       "ab",        "中国人",   "中国人民", "abcdefghia", "中国人民解放"};
  std::vector<Word> words;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    words.push_back(Word{keys[i], i % 2 == 0 ? std::string_view("甲") : std::string_view("乙")});
  }
  std::map<std::string, std::pair<std::string, std::uint32_t>> expected;  // first surface, count
  for (const auto& w : words) {
    auto [it, added] = expected.try_emplace(w.key, std::string(w.surface), 0);
    ++it->second.second;
  }
  std::vector<std::string> expected_keys;
  for (const auto& [key, value] : expected) expected_keys.push_back(key);
  // Every key is a candidate (two or more characters, letters, no stop word).
  const auto candidates = extractor().candidates(words);
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto c = candidates[i];
    seen.emplace_back(c.key);
    ASSERT_TRUE(expected.contains(std::string(c.key))) << c.key;
    EXPECT_EQ(std::pair(std::string(c.surface), c.count), expected.at(std::string(c.key))) << c.key;
  }
  EXPECT_EQ(seen, expected_keys);
}

TEST(KeywordCandidatesTest, EqualScoresRankInKeyByteOrder) {
  DocumentFrequencies library;
  library.documents = 1000;
  library.counts["改革"] = 10;
  library.counts["开放"] = 10;
  for (const char* text : {"改革，开放", "开放，改革"}) {
    const auto words = segment_words(segmenter(), text);
    // Once each with the same document frequency: equal scores, so 开放 (E5 BC 80) ranks
    // before 改革 (E6 94 B9) whichever comes first in the text.
    EXPECT_EQ(extractor().top(extractor().candidates(words), library, 2),
              (std::vector<std::string>{"开放", "改革"}))
        << text;
    expect_candidates_as_expected(text, library);
  }
}

TEST(KeywordCandidatesTest, MatchThePlainWayOnCorpusTexts) {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::vector<std::string> texts;
  for (const char* name : {"xi_speeches_2020.jsonl", "gov_work_reports.jsonl"}) {
    for (const auto& [id, d] : doc::testing::read_corpus_docs(dir / name)) {
      texts.push_back(d.title + "\n" + d.content);
    }
  }
  DocumentFrequencies library;  // over these texts: the library's idf decides
  for (const auto& text : texts) {
    std::set<std::string> distinct;
    for (const auto& w : segment_words(segmenter(), text)) distinct.insert(w.key);
    for (const auto& key : distinct) ++library.counts[key];
    ++library.documents;
  }
  ASSERT_GE(library.documents, KeywordExtractor::kMinLibraryDocuments);
  for (std::size_t i = 0; i < texts.size(); i += 3) {
    expect_candidates_as_expected(texts[i], library);
    if (i % 4 == 0) expect_candidates_as_expected(texts[i], {});  // idf.utf8 decides
  }
}

}  // namespace
}  // namespace wenku::text
