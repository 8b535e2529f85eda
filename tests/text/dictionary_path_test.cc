#include "text/dictionary_path.h"

#include <gtest/gtest.h>

#include <cppjieba/MPSegment.hpp>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"

namespace wenku::text {
namespace {

namespace fs = std::filesystem;

// cppjieba's own MPSegment over its DictTrie and DictionaryPath over the same dictionaries, as
// the segmenter loads them.
class DictionaryPathTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path dir = testing::dict_dir();
    files_ = {dir / "jieba.dict.utf8", dir / "user.dict.utf8", dir / "gongwen.dict.utf8"};
    trie_ =
        new cppjieba::DictTrie(files_[0].string(), files_[1].string() + "|" + files_[2].string());
    path_ = new DictionaryPath(files_[0], {files_[1], files_[2]});
  }
  static void TearDownTestSuite() {
    delete path_;
    delete trie_;
  }

  // The words (as byte ranges of `text`) of both cuts of the whole of `text`.
  static void expect_same_cut(const std::string& text) {
    cppjieba::RuneStrArray runes;
    ASSERT_TRUE(cppjieba::DecodeUTF8RunesInString(text, runes));
    std::vector<cppjieba::WordRange> expected, actual;
    cppjieba::MPSegment(trie_).Cut(runes.begin(), runes.end(), expected);
    path_->cut(runes.begin(), runes.end(), actual);
    auto spans = [](const std::vector<cppjieba::WordRange>& words) {
      std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
      for (const auto& w : words) out.emplace_back(w.left->offset, w.right->offset + w.right->len);
      return out;
    };
    ASSERT_EQ(spans(actual), spans(expected)) << text.substr(0, 300);
  }

  static inline std::vector<fs::path> files_;
  static inline cppjieba::DictTrie* trie_ = nullptr;
  static inline DictionaryPath* path_ = nullptr;
};

TEST_F(DictionaryPathTest, CutsAsCppjiebaOnShortTexts) {
  for (const std::string text :
       {"", "我", "我们要推动高质量发展", "乡村振兴战略", "中华人民共和国宪法", "ABC123中文混排",
        "𠀀𠀁中国", "。，、", "习近平总书记在中央政治局会议上强调"}) {
    expect_same_cut(text);
  }
}

TEST_F(DictionaryPathTest, CutsAsCppjiebaOnCorpusParagraphs) {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::size_t paragraphs = 0;
  for (const char* name : {"xi_speeches_2020.jsonl", "gov_work_reports.jsonl",
                           "cpc_congress_reports.jsonl", "laws_regulations.jsonl.zst"}) {
    for (const auto& [id, d] : doc::testing::read_corpus_docs(dir / name)) {
      std::size_t start = 0;
      while (start <= d.content.size()) {
        const std::size_t end = std::min(d.content.find('\n', start), d.content.size());
        expect_same_cut(d.content.substr(start, end - start));
        ++paragraphs;
        start = end + 1;
      }
      expect_same_cut(d.title);
    }
  }
  EXPECT_GT(paragraphs, 100'000u);
}

TEST_F(DictionaryPathTest, CutsAsCppjiebaOnTheSegmentationTestSets) {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  for (const char* name : {"pku_test.utf8", "msr_test.utf8"}) {
    std::ifstream in(dir / "segmentation" / name);
    ASSERT_TRUE(in) << name;
    int lines = 0;
    for (std::string line; std::getline(in, line); ++lines) expect_same_cut(line);
    EXPECT_GT(lines, 1000) << name;
  }
}

// Random strings over dictionary characters (long words and their prefixes), characters
// outside the dictionary, supplementary-plane characters and ASCII.
TEST_F(DictionaryPathTest, CutsAsCppjiebaOnRandomMixtures) {
  const std::vector<std::string> pieces = {"中华人民共和国",
                                           "中华",
                                           "人民",
                                           "共和国",
                                           "共",
                                           "和",
                                           "国",
                                           "高质量发展",
                                           "高质量",
                                           "发展",
                                           "乡村",
                                           "振兴",
                                           "的",
                                           "了",
                                           "𠀀",
                                           "𪚥",
                                           "a",
                                           "1",
                                           "。",
                                           "習近平",
                                           "经济",
                                           "社会",
                                           "全面",
                                           "建成",
                                           "小康",
                                           "社会主义",
                                           "现代化",
                                           "强国"};
  std::mt19937 random(11);
  for (int n = 0; n < 3000; ++n) {
    std::string text;
    const int length = 1 + static_cast<int>(random() % 40);
    for (int i = 0; i < length; ++i) text += pieces[random() % pieces.size()];
    expect_same_cut(text);
  }
}

// (The shipped user dictionaries list no character alone; WeighsSmallDictionariesAsCppjieba
// has one that does.)
TEST_F(DictionaryPathTest, KnowsTheUserDictionariesCharactersAsCppjiebaDoes) {
  for (char32_t c = 1; c < 0x30000; ++c) {
    ASSERT_EQ(path_->is_user_word_character(c), trie_->IsUserDictSingleChineseWord(c))
        << static_cast<std::uint32_t>(c);
  }
}

// Small dictionaries: every weight rule of cppjieba's DictTrie, each checked by a cut that
// only comes out as MPSegment's when the weights are the same.
TEST(DictionaryPathFileTest, WeighsSmallDictionariesAsCppjieba) {
  const fs::path dir = fs::path(::testing::TempDir()) / "dictionary_path_weights";
  fs::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  const auto main = write("main.dict",
                          "中国 500 ns\n人民 300 n\n中国人 20 n\n国人 60 n\n"
                          "共和国 80 n\n和 900 c\n人 400 n\n民 10 n\n中国 30 ns\n");
  const auto user =
      write("user.dict", "\n人民共和国\n中国人民 n\n华人 900 n\n和国 3 n\n民\n甲 乙 丙 丁\n");
  cppjieba::DictTrie trie(main.string(), user.string());
  DictionaryPath path(main, {user});
  for (const std::string text : {"中国人民共和国", "中国人和国人", "华人民和", "甲乙丙丁中国人",
                                 "中华人民共和国人民", "国人中国人民中国"}) {
    cppjieba::RuneStrArray runes;
    ASSERT_TRUE(cppjieba::DecodeUTF8RunesInString(text, runes));
    std::vector<cppjieba::WordRange> expected, actual;
    cppjieba::MPSegment(&trie).Cut(runes.begin(), runes.end(), expected);
    path.cut(runes.begin(), runes.end(), actual);
    ASSERT_EQ(actual.size(), expected.size()) << text;
    for (std::size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(actual[i].left->offset, expected[i].left->offset) << text;
      EXPECT_EQ(actual[i].right->offset, expected[i].right->offset) << text;
    }
  }
  EXPECT_TRUE(path.is_user_word_character(U'民'));
  EXPECT_FALSE(path.is_user_word_character(U'和'));
}

TEST(DictionaryPathFileTest, MissingOrMalformedDictionaryThrows) {
  const fs::path dir = testing::dict_dir();
  EXPECT_THROW(DictionaryPath(dir / "no-such.dict.utf8", {}), std::runtime_error);
  EXPECT_THROW(DictionaryPath(dir / "jieba.dict.utf8", {dir / "no-such.dict.utf8"}),
               std::runtime_error);
  const fs::path bad = fs::path(::testing::TempDir()) / "two_fields.dict";
  std::ofstream(bad) << "中国 500\n";
  EXPECT_THROW(DictionaryPath(bad, {}), std::runtime_error);
}

}  // namespace
}  // namespace wenku::text
