#include "doc/preview.h"

#include <gtest/gtest.h>

#include <string>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::doc {
namespace {

Document doc_of(std::string content) {
  Document d;
  d.content = std::move(content);
  return d;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Preview, ShortTextIsWhole) {
  const Document d = doc_of("第一段。\n第二段。");
  EXPECT_EQ(preview(d), d.content);
  EXPECT_EQ(preview(d, {9}), d.content);  // exactly 9 characters, the line break included
}

TEST(Preview, CutsAtTheLastSentenceEndInTheLatterHalf) {
  const Document d =
      doc_of(repeat("发展", 4) + "。" + repeat("改革", 2) + "，开放" + repeat("创新", 10));
  EXPECT_EQ(preview(d, {16}), repeat("发展", 4) + "。");
  // A sentence end with its closing quote stays together.
  const Document quoted = doc_of("他说：“要抓落实。”然后" + repeat("继续", 20));
  EXPECT_EQ(preview(quoted, {15}), "他说：“要抓落实。”");
}

TEST(Preview, ParagraphEndIsASentenceEnd) {
  const Document d = doc_of("第一段文字很长很长\n第二段" + repeat("字", 50));
  EXPECT_EQ(preview(d, {15}), "第一段文字很长很长");
  EXPECT_EQ(preview(doc_of("一二三四\n五六七八"), {4}), "一二三四");
}

TEST(Preview, FallsBackToClauseThenWordBoundary) {
  EXPECT_EQ(preview(doc_of(repeat("字", 6) + "，" + repeat("词", 20)), {10}),
            repeat("字", 6) + "，");
  // No punctuation at all: never split an ASCII word or number.
  EXPECT_EQ(preview(doc_of("字字字字字字 abcdef 12345"), {10}), "字字字字字字 ");
  EXPECT_EQ(preview(doc_of("增长12345678"), {5}), "增长");
}

TEST(Preview, NeverCutsInsideATagOrEntity) {
  EXPECT_EQ(preview(doc_of("文字文字文字<a href=\"x\">链接</a>"), {10}), "文字文字文字");
  EXPECT_EQ(preview(doc_of("文字文字文字&amp;文字文字"), {8}), "文字文字文字");
}

TEST(Preview, NeverCutsInsideAUtf8SequenceAndHandlesZero) {
  EXPECT_EQ(preview(doc_of("中文字"), {0}), "");
  const Document d = doc_of(repeat("中", 700));
  const std::string_view p = preview(d);
  EXPECT_TRUE(text::is_valid_utf8(p));
  EXPECT_EQ(text::count_code_points(p), 600u);
}

// On real documents the preview is a prefix of at most N characters that ends at a
// sentence or paragraph end for texts with ordinary punctuation.
TEST(Preview, CorpusPreviewsEndAtSentenceEnds) {
  const auto corpus = wenku::testing::corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::size_t docs = 0, at_sentence_end = 0;
  for (const auto& file : {"gov_work_reports.jsonl", "xi_speeches_2020.jsonl"}) {
    for (const auto& [id, d] : testing::read_corpus_docs(corpus / file)) {
      const std::string_view p = preview(d);
      ASSERT_TRUE(d.content.starts_with(p)) << id;
      ASSERT_LE(text::count_code_points(p), 600u) << id;
      ASSERT_TRUE(text::is_valid_utf8(p)) << id;
      ++docs;
      const bool whole = p.size() == d.content.size();
      at_sentence_end += whole || d.content[p.size()] == '\n' || p.ends_with("。") ||
                         p.ends_with("”") || p.ends_with("！") || p.ends_with("？") ||
                         p.ends_with("；") || p.ends_with("）");
    }
  }
  std::printf("previews of %zu documents: %zu end at a sentence or paragraph end\n", docs,
              at_sentence_end);
  EXPECT_GE(at_sentence_end * 100, docs * 95);
}

}  // namespace
}  // namespace wenku::doc
