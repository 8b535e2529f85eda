#include "text/normalize.h"

#include <gtest/gtest.h>
#include <unicode/unistr.h>

#include <chrono>
#include <thread>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::text {
namespace {

TEST(NormalizeTest, FoldsTraditionalToSimplified) {
  EXPECT_EQ(normalize_key("廣州共產黨報告"), "广州共产党报告");
  EXPECT_EQ(normalize_key("廣州共產黨"), normalize_key("广州共产党"));
  EXPECT_EQ(normalize_key("後來"), "后来");
}

TEST(NormalizeTest, FoldsCharacterByCharacterWithoutPhraseRules) {
  // OpenCC's phrase table keeps 乾隆; per character 乾 → 干 everywhere, so the key of a
  // substring is the substring of the key.
  EXPECT_EQ(normalize_key("乾隆"), normalize_key("乾") + normalize_key("隆"));
}

TEST(NormalizeTest, FoldsWidthAndCase) {
  EXPECT_EQ(normalize_key("ＧＤＰ增长６．５％"), "gdp增长6.5%");
  EXPECT_EQ(normalize_key("COVID-19"), "covid-19");
  EXPECT_EQ(normalize_key("（一）"), "(一)");
  EXPECT_EQ(normalize_key("ｶﾀｶﾅ"), "カタカナ");
  EXPECT_EQ(normalize_key("ΑΒΓ"), "αβγ");
  EXPECT_EQ(normalize_key("a\u3000b"), "a b");
}

TEST(NormalizeTest, FoldsCompatibilityIdeographs) {
  // U+F900 (compatibility 豈) → U+8C48 豈 → Simplified 岂.
  EXPECT_EQ(normalize_key("\uF900"), "岂");
  EXPECT_EQ(normalize_key("\uF900"), normalize_key("\u8C48"));
}

TEST(NormalizeTest, KeepsSimplifiedTextAndPlainAscii) {
  const std::string text = "我们要推动高质量发展, 2021 year.\n第二段";
  EXPECT_EQ(normalize_key(text), "我们要推动高质量发展, 2021 year.\n第二段");
}

TEST(NormalizeTest, PreservesTheNumberOfCodePoints) {
  // Expanding compatibility forms stay as they are rather than break the one-to-one mapping.
  const std::string text = "㈠ﬁß\u200B①Ａ廣";
  const std::string key = normalize_key(text);
  EXPECT_EQ(count_code_points(key), count_code_points(text));
  EXPECT_EQ(key, "㈠ﬁß\u200B1a广");
}

TEST(NormalizeTest, IsIdempotentOnEveryCodePoint) {
  for (char32_t c = 0; c < 0x110000; ++c) {
    const char32_t once = normalize_char(c);
    ASSERT_EQ(normalize_char(once), once) << "U+" << std::hex << static_cast<unsigned>(c);
  }
}

// normalize_key folds three-byte sequences on a path of their own: every one of them, alone
// and in one long text, gives the UTF-8 of normalize_char.
TEST(NormalizeTest, KeyOfEveryThreeByteCodePointIsItsFoldedCharacter) {
  auto utf8 = [](char32_t c) {
    icu::UnicodeString u(static_cast<UChar32>(c));
    std::string out;
    u.toUTF8String(out);
    return out;
  };
  std::string all;
  std::string all_folded;
  for (char32_t c = 0x800; c <= 0xFFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string expected = utf8(normalize_char(c));
    ASSERT_EQ(normalize_key(utf8(c)), expected) << "U+" << std::hex << static_cast<unsigned>(c);
    all += utf8(c);
    all_folded += expected;
  }
  EXPECT_EQ(normalize_key(all), all_folded);
  EXPECT_THROW(normalize_key("\xE0\x80\xAF"), InvalidUtf8);  // overlong '/' in three bytes
  EXPECT_THROW(normalize_key("\xE5\xB9\x41"), InvalidUtf8);  // a continuation byte missing
}

TEST(NormalizeTest, RejectsInvalidUtf8WithTheOffset) {
  const std::string bad = std::string("改革") + "\xE5\xB9" + "开放";
  try {
    normalize_key(bad);
    FAIL() << "no exception";
  } catch (const InvalidUtf8& e) {
    EXPECT_EQ(e.offset(), 6u);
    EXPECT_NE(std::string(e.what()).find("byte 6"), std::string::npos) << e.what();
  }
  EXPECT_THROW(normalize_key(std::string("a\0b", 3)), InvalidUtf8);
  EXPECT_THROW(normalize_key("\xC0\xAF"), InvalidUtf8);          // overlong '/'
  EXPECT_THROW(normalize_key("\xED\xA0\x80"), InvalidUtf8);      // surrogate
  EXPECT_THROW(normalize_key("\xF4\x90\x80\x80"), InvalidUtf8);  // above U+10FFFF
  EXPECT_EQ(normalize_key(""), "");
}

TEST(NormalizeTest, IsSafeFromManyThreads) {
  const std::string text = "廣州共產黨報告ＡＢＣ";
  const std::string expected = normalize_key(text);
  std::vector<std::jthread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) mismatches += normalize_key(text) != expected;
    });
  }
  threads.clear();
  EXPECT_EQ(mismatches.load(), 0);
}

// The Traditional congress report, folded, reads as Simplified text that contains the words a
// Simplified query would use; and folding runs at a useful speed.
TEST(NormalizeCorpusTest, TraditionalCongressReportFoldsToSimplified) {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  const auto docs = doc::testing::read_corpus_docs(dir / "cpc_congress_reports.jsonl");
  const doc::Document* traditional = nullptr;
  std::string all;
  for (const auto& [id, d] : docs) {
    if (d.title.find("廣州") != std::string::npos) traditional = &d;
    all += d.content;
  }
  ASSERT_NE(traditional, nullptr) << "no 廣州共產黨報告 in the corpus";
  EXPECT_NE(normalize_key(traditional->title).find("广州共产党"), std::string::npos);
  EXPECT_NE(normalize_key(traditional->content).find(normalize_key("共产党")), std::string::npos);

  normalize_key("warm up");
  const auto start = std::chrono::steady_clock::now();
  const std::string key = normalize_key(all);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(count_code_points(key), count_code_points(all));
  const double mb_per_s = static_cast<double>(all.size()) / 1e6 / seconds;
  RecordProperty("normalize_mb_per_s", std::to_string(mb_per_s));
  std::printf("normalize_key: %.1f MB in %.3f s = %.0f MB/s\n",
              static_cast<double>(all.size()) / 1e6, seconds, mb_per_s);
}

}  // namespace
}  // namespace wenku::text
