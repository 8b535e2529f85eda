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

// cppjieba's own MPSegment and DictionaryPath over the same DictTrie, as the segmenter loads it.
class DictionaryPathTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path dir = testing::dict_dir();
    files_ = {dir / "jieba.dict.utf8", dir / "user.dict.utf8", dir / "gongwen.dict.utf8"};
    trie_ =
        new cppjieba::DictTrie(files_[0].string(), files_[1].string() + "|" + files_[2].string());
    path_ = new DictionaryPath(*trie_, files_);
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
    path_->cut(runes.begin(), runes.end(), text, actual);
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

TEST(DictionaryPathFileTest, MissingDictionaryThrows) {
  const fs::path dir = testing::dict_dir();
  cppjieba::DictTrie trie((dir / "jieba.dict.utf8").string());
  EXPECT_THROW(DictionaryPath(trie, {dir / "no-such.dict.utf8"}), std::runtime_error);
}

}  // namespace
}  // namespace wenku::text
