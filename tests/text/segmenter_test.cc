#include "text/segmenter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::text {
namespace {

using Words = std::vector<std::string>;

const Segmenter& shared_segmenter() {
  static Segmenter segmenter(testing::dict_dir());
  return segmenter;
}

bool contains(const Words& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

TEST(SegmenterTest, CutsChineseIntoDictionaryWords) {
  EXPECT_EQ(shared_segmenter().cut("我们要推动高质量发展"),
            (Words{"我们", "要", "推动", "高质量发展"}));
}

TEST(SegmenterTest, KeepsDomainTermsWhole) {
  auto words = shared_segmenter().cut(
      "深化放管服改革，持续优化营商环境，市工信局牵头推进招才引智和三大改造，全面推进乡村振兴，"
      "增强四个意识，做到两个维护。");
  for (const char* term :
       {"营商环境", "工信局", "牵头", "招才引智", "三大改造", "乡村振兴", "四个意识", "两个维护"}) {
    EXPECT_TRUE(contains(words, term)) << term;
  }
  EXPECT_TRUE(contains(shared_segmenter().cut("放管服"), "放管服"));
}

TEST(SegmenterTest, NumbersKeepTheirUnitsButNotMeasureWords) {
  auto words = shared_segmenter().cut("2000年12月31日8时，增长17.5％，达1万亿元，共3个");
  for (const char* word : {"2000年", "12月", "31日", "8时", "17.5％", "1万亿", "3", "个"}) {
    EXPECT_TRUE(contains(words, word)) << word;
  }
}

TEST(SegmenterTest, FullWidthDigitsAndLatinRunsAreWords) {
  auto words =
      shared_segmenter().cut("１９９６年接入ｉｎｔｅｒｎｅｔ，通过ISO-9001认证，访问www.gov.cn");
  for (const char* word : {"１９９６年", "ｉｎｔｅｒｎｅｔ", "ISO-9001", "www.gov.cn"}) {
    EXPECT_TRUE(contains(words, word)) << word;
  }
}

TEST(SegmenterTest, DoubledDashAndEllipsisAreOneToken) {
  EXPECT_EQ(shared_segmenter().cut("发展——改革……"), (Words{"发展", "——", "改革", "……"}));
  EXPECT_EQ(shared_segmenter().cut("！！"), (Words{"！", "！"}));
}

TEST(SegmenterTest, TwoStraySingleCharactersAreNotGlued) {
  // The HMM would make one word of 这是; only runs of three or more unknown characters go to it.
  EXPECT_EQ(shared_segmenter().cut("这是"), (Words{"这", "是"}));
}

TEST(SegmenterTest, DropsWhitespaceTokens) {
  auto words = shared_segmenter().cut("改革  开放\t发展\u3000创新");
  EXPECT_EQ(words, (Words{"改革", "开放", "发展", "创新"}));
}

TEST(SegmenterTest, WordsForIndexDropsPunctuationAndJoinsWithSpaces) {
  auto words = shared_segmenter().words_for_index("一、坚持稳中求进，推动经济发展。");
  EXPECT_EQ(words.find("，"), std::string::npos);
  EXPECT_EQ(words.find("。"), std::string::npos);
  EXPECT_EQ(words.find("、"), std::string::npos);
  EXPECT_NE(words.find("稳中求进"), std::string::npos);
  EXPECT_EQ(words.find("  "), std::string::npos);
  EXPECT_NE(words.front(), ' ');
  EXPECT_NE(words.back(), ' ');
}

TEST(SegmenterTest, CutViewsPointIntoTheInput) {
  const std::string text = "推动高质量发展，2025年";
  for (auto word : shared_segmenter().cut_views(text)) {
    EXPECT_GE(word.data(), text.data());
    EXPECT_LE(word.data() + word.size(), text.data() + text.size());
  }
}

TEST(SegmenterTest, EmptyInputGivesNoWords) {
  EXPECT_TRUE(shared_segmenter().cut("").empty());
  EXPECT_EQ(shared_segmenter().words_for_index(""), "");
}

TEST(SegmenterTest, RejectsMalformedUtf8) {
  for (std::string bad : {std::string("\xff\xfe"), std::string("发展\xe5\x8f"),
                          std::string("\xc0\xaf"), std::string("改革\0开放", 13)}) {
    EXPECT_THROW(shared_segmenter().cut(bad), std::invalid_argument);
    EXPECT_THROW(shared_segmenter().words_for_index(bad), std::invalid_argument);
  }
}

// Random byte strings built from pieces of Chinese, digits, Latin, punctuation, spaces and
// broken sequences: segmentation either rejects the input or returns words that concatenate to
// the input minus whitespace.
TEST(SegmenterTest, RandomInputNeverCrashesAndLosesNoText) {
  const std::vector<std::string> pieces = {
      "发展", "高质量", "营商环境", "１９", "2024", "年", "％",       ".",
      "ａｂ", "ISO",    "-",        "——",   "…",    "，", " ",        "\u3000",
      "\t",   "\xe5",   "\x80",     "这",   "是",   "😀",  "\xf0\x9f", ""};
  std::mt19937 rng(20241127);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), length(0, 40);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (std::size_t n = length(rng); n > 0; --n) text += pieces[pick(rng)];
    if (!is_valid_utf8(text)) {
      EXPECT_THROW(shared_segmenter().cut(text), std::invalid_argument);
      continue;
    }
    std::string joined, expected;
    for (const auto& word : shared_segmenter().cut(text)) {
      EXPECT_FALSE(trim(word).empty()) << text;
      joined += word;
    }
    for (auto word : shared_segmenter().cut_views(text)) expected += word;
    EXPECT_EQ(joined, expected);
    std::string stripped = text;
    for (const char* space : {" ", "\t", "\u3000"}) {
      for (auto at = stripped.find(space); at != std::string::npos; at = stripped.find(space)) {
        stripped.erase(at, std::string_view(space).size());
      }
    }
    EXPECT_EQ(joined, stripped) << text;
  }
}

TEST(SegmenterTest, MissingDictionaryThrowsInsteadOfAborting) {
  testing::TempDir empty;
  EXPECT_THROW(Segmenter{empty.path()}, std::runtime_error);
}

TEST(SegmenterTest, MissingDomainDictionaryIsNamed) {
  testing::TempDir dir;
  for (const char* name : {"jieba.dict.utf8", "hmm_model.utf8", "user.dict.utf8"}) {
    std::filesystem::copy_file(testing::dict_dir() / name, dir.path() / name);
  }
  try {
    Segmenter segmenter(dir.path());
    FAIL() << "loaded without gongwen.dict.utf8";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("gongwen.dict.utf8"), std::string::npos) << e.what();
  }
}

TEST(FindDictDirTest, ConfiguredDirectoryWins) {
  EXPECT_EQ(find_dict_dir(testing::dict_dir()), testing::dict_dir());
}

TEST(FindDictDirTest, ConfiguredDirectoryWithoutDictionaryThrows) {
  testing::TempDir empty;
  EXPECT_THROW(find_dict_dir(empty.path()), std::runtime_error);
}

TEST(FindDictDirTest, EnvironmentVariableIsUsed) {
  setenv("WENKU_DICT_DIR", testing::dict_dir().c_str(), 1);
  EXPECT_EQ(find_dict_dir(), testing::dict_dir());
  unsetenv("WENKU_DICT_DIR");
}

// The index segments a document's title and text apart and joins the words with a space:
// that must equal segmenting "title\ntext" as one (a line break only separates words).
TEST(SegmenterCorpusTest, TitleAndTextSegmentedApartEqualSegmentedJoined) {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  auto docs = doc::testing::read_corpus_docs(dir / "xi_speeches_2020.jsonl");
  docs.merge(doc::testing::read_corpus_docs(dir / "gov_work_reports.jsonl"));
  ASSERT_GT(docs.size(), 100u);
  for (const auto& [id, d] : docs) {
    const std::string apart = shared_segmenter().words_for_index(d.title) + ' ' +
                              shared_segmenter().words_for_index(d.content);
    ASSERT_EQ(shared_segmenter().words_for_index(d.title + '\n' + d.content), apart) << id;
  }
}

TEST(SegmenterCorpusTest, RememberedWordsEqualFreshlySegmentedOnes) {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  const auto docs = doc::testing::read_corpus_docs(dir / "cpc_congress_reports.jsonl");
  ASSERT_FALSE(docs.empty());
  Segmenter remembering(testing::dict_dir());
  // Room for about half of the texts' words: the rest are segmented every time.
  std::size_t bytes = 0;
  for (const auto& [id, d] : docs) bytes += d.content.size();
  remembering.remember_words(bytes / 2);
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [id, d] : docs) {
      ASSERT_EQ(remembering.words_for_index(d.content),
                shared_segmenter().words_for_index(d.content))
          << id << " pass " << pass;
    }
  }
  // Texts that differ in one character are not confused.
  const std::string& text = docs.begin()->second.content;
  std::string changed = text;
  changed.replace(changed.rfind("发展"), 6, "改革");
  EXPECT_NE(remembering.words_for_index(changed), remembering.words_for_index(text));
  EXPECT_EQ(remembering.words_for_index(changed), shared_segmenter().words_for_index(changed));
  // Invalid input is still refused when remembering.
  EXPECT_THROW(remembering.words_for_index(text + "\xff"), std::invalid_argument);
  remembering.remember_words(0);
  EXPECT_EQ(remembering.words_for_index(text), shared_segmenter().words_for_index(text));
}

}  // namespace
}  // namespace wenku::text
