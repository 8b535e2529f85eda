#include "text/segmenter.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "testing/test_support.h"

namespace wenku::text {
namespace {

const Segmenter& shared_segmenter() {
  static Segmenter segmenter(testing::dict_dir());
  return segmenter;
}

TEST(SegmenterTest, CutsChineseIntoDictionaryWords) {
  auto words = shared_segmenter().cut("我们要推动高质量发展");
  std::vector<std::string> expected = {"我们", "要", "推动", "高质量", "发展"};
  EXPECT_EQ(words, expected);
}

TEST(SegmenterTest, DropsWhitespaceTokens) {
  auto words = shared_segmenter().cut("改革  开放\t发展\u3000创新");
  for (const auto& w : words) {
    EXPECT_FALSE(w.find_first_not_of(" \t") == std::string::npos) << "blank token";
    EXPECT_NE(w, "\u3000");
  }
  EXPECT_NE(std::find(words.begin(), words.end(), "改革"), words.end());
  EXPECT_NE(std::find(words.begin(), words.end(), "创新"), words.end());
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

TEST(SegmenterTest, EmptyInputGivesNoWords) {
  EXPECT_TRUE(shared_segmenter().cut("").empty());
  EXPECT_EQ(shared_segmenter().words_for_index(""), "");
}

TEST(SegmenterTest, MissingDictionaryThrowsInsteadOfAborting) {
  testing::TempDir empty;
  EXPECT_THROW(Segmenter{empty.path()}, std::runtime_error);
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

}  // namespace
}  // namespace wenku::text
