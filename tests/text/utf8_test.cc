#include "text/utf8.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/test_support.h"

namespace wenku::text {
namespace {

using namespace std::string_view_literals;

TEST(Utf8, AcceptsAsciiCjkAndFourByteSequences) {
  EXPECT_FALSE(find_invalid_utf8(""));
  EXPECT_FALSE(find_invalid_utf8("plain ASCII, with punctuation!"));
  EXPECT_FALSE(find_invalid_utf8("区委书记在全区领导干部大会上的讲话。"));
  EXPECT_FALSE(find_invalid_utf8("\u00e9\u07ff\u0800\uffff"));          // boundaries of each length
  EXPECT_FALSE(find_invalid_utf8("\U00010000 \U00020000 \U0010FFFF"));  // incl. CJK ext. B
  EXPECT_TRUE(is_valid_utf8("第一章　总则"));
}

TEST(Utf8, RejectsOverlongForms) {
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);  // '/' in two bytes
  EXPECT_EQ(find_invalid_utf8("\xC1\xBF"), 0u);
  EXPECT_EQ(find_invalid_utf8("x\xE0\x80\xAF"), 1u);     // '/' in three bytes
  EXPECT_EQ(find_invalid_utf8("\xE0\x9F\xBF"), 0u);      // U+07FF in three bytes
  EXPECT_EQ(find_invalid_utf8("\xF0\x8F\xBF\xBF"), 0u);  // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogatesAndCodePointsAboveTheMaximum) {
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), 0u);      // U+D800
  EXPECT_EQ(find_invalid_utf8("中\xED\xBF\xBF"), 3u);    // U+DFFF
  EXPECT_FALSE(find_invalid_utf8("\xED\x9F\xBF"));       // U+D7FF is fine
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(find_invalid_utf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(find_invalid_utf8("\xFF"), 0u);
}

TEST(Utf8, RejectsTruncatedAndStraySequences) {
  EXPECT_EQ(find_invalid_utf8("中文\xE4\xB8"), 6u);  // cut at the end
  EXPECT_EQ(find_invalid_utf8("\xE4\xB8\x61"), 0u);  // cut before an ASCII 'a'
  EXPECT_EQ(find_invalid_utf8("\xF0\x9F\x98"), 0u);
  EXPECT_EQ(find_invalid_utf8("a\x80"), 1u);  // lone continuation byte
  EXPECT_EQ(find_invalid_utf8("\xC3"), 0u);
}

TEST(Utf8, RejectsNul) {
  EXPECT_EQ(find_invalid_utf8("ab\0cd"sv), 2u);
  EXPECT_FALSE(is_valid_utf8("\0"sv));
}

// Long texts are checked in SIMD blocks first: a flaw anywhere in them, also across a block
// boundary, is found at its exact offset.
TEST(Utf8, FindsTheFlawDeepInALongText) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "坚持以人民为中心的发展思想，";  // 42 bytes each
  EXPECT_FALSE(find_invalid_utf8(text));
  for (std::size_t at : {std::size_t{63}, std::size_t{64}, std::size_t{4095}, text.size() - 1}) {
    std::string flawed = text;
    flawed[at] = '\xFF';
    const std::size_t sequence_start = at - at % 3;  // every character here has 3 bytes
    EXPECT_EQ(find_invalid_utf8(flawed), sequence_start) << at;
    std::string with_nul = text;
    with_nul.insert(at - at % 3, 1, '\0');
    EXPECT_EQ(find_invalid_utf8(with_nul), sequence_start) << at;
  }
  EXPECT_EQ(find_invalid_utf8(text + "\xED\xA0\x80"), text.size());  // a surrogate at the end
}

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("高质量发展"), 5u);
  EXPECT_EQ(count_code_points("a中\U00020000"), 3u);
}

TEST(Utf8, PrefixNeverCutsInsideASequence) {
  const std::string_view s = "a中\U00020000b";
  EXPECT_EQ(prefix_code_points(s, 0), "");
  EXPECT_EQ(prefix_code_points(s, 1), "a");
  EXPECT_EQ(prefix_code_points(s, 2), "a中");
  EXPECT_EQ(prefix_code_points(s, 3), "a中\U00020000");
  EXPECT_EQ(prefix_code_points(s, 4), s);
  EXPECT_EQ(prefix_code_points(s, 100), s);
  EXPECT_EQ(prefix_code_points("", 5), "");
}

TEST(Utf8, WholeCodePointsDropsASequenceTheCutLeftIncomplete) {
  const std::string text = "a中𠀀é";  // 1, 3, 4 and 2 bytes
  const std::vector<std::size_t> expected_ends = {0, 1, 1, 1, 4, 4, 4, 4, 8, 8, 10};
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    EXPECT_EQ(whole_code_points(std::string_view(text).substr(0, cut)).size(), expected_ends[cut])
        << cut;
  }
  EXPECT_EQ(whole_code_points(""), "");
}

TEST(Utf8, TrimsAsciiWhitespaceAndIdeographicSpace) {
  EXPECT_EQ(trim("　　第一条　本法适用于全国。 \r\n"), "第一条　本法适用于全国。");
  EXPECT_EQ(trim(" \t\u3000x\u3000 "), "x");
  EXPECT_EQ(trim("\u3000\u3000"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("中"), "中");
  // U+3001 (、) shares the first two bytes with U+3000 and must survive.
  EXPECT_EQ(trim("、a、"), "、a、");
}

TEST(Utf8, RecognisesHanIdeographs) {
  EXPECT_TRUE(is_han(U'中'));
  EXPECT_TRUE(is_han(0x4E00));
  EXPECT_TRUE(is_han(0x9FFF));
  EXPECT_TRUE(is_han(0x3400));  // extension A
  EXPECT_TRUE(is_han(0x4DBF));
  EXPECT_FALSE(is_han(U'a'));
  EXPECT_FALSE(is_han(U'。'));
  EXPECT_FALSE(is_han(0x3000));
  EXPECT_FALSE(is_han(U'あ'));
  EXPECT_FALSE(is_han(0x4DC0));  // Yijing hexagram symbols, between the two blocks
}

TEST(Utf8, DecodesOneCodePointAndAdvances) {
  const std::string_view s = "a中\U0001F600";
  std::size_t pos = 0;
  EXPECT_EQ(decode_at(s, pos), U'a');
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(decode_at(s, pos), U'中');
  EXPECT_EQ(pos, 4u);
  EXPECT_EQ(decode_at(s, pos), U'\U0001F600');
  EXPECT_EQ(pos, s.size());
}

TEST(Utf8, DecodeStepsOverInvalidBytesWithinBounds) {
  const std::string_view s = "\xE4\xB8";  // truncated 中
  std::size_t pos = 0;
  EXPECT_EQ(decode_at(s, pos), U'\uFFFD');
  EXPECT_EQ(pos, 1u);
}

// The corpus README states the number of content characters of each file; counting them
// here checks the decoder against text it did not write.
TEST(Utf8, CountsTheCorpusContentCharacters) {
  const auto dir = wenku::testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::ifstream in(dir / "gov_work_reports.jsonl");
  ASSERT_TRUE(in);
  std::size_t docs = 0;
  std::size_t chars = 0;
  for (std::string line; std::getline(in, line); ++docs) {
    ASSERT_TRUE(is_valid_utf8(line)) << "line " << docs + 1;
    const auto content = nlohmann::json::parse(line).at("content").get<std::string>();
    chars += count_code_points(content);
  }
  EXPECT_EQ(docs, 72u);
  EXPECT_EQ(chars, 1'091'419u);
}

}  // namespace
}  // namespace wenku::text
