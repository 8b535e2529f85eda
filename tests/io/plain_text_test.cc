#include <gtest/gtest.h>

#include <string>

#include "io/import.h"

namespace wenku::io {
namespace {

doc::Document parse_ok(std::string_view bytes, std::string_view file_name) {
  Parsed parsed = parse_plain_text(bytes, file_name);
  EXPECT_TRUE(parsed.doc) << file_name << ": " << parsed.error;
  return parsed.doc.value_or(doc::Document{});
}

std::string error_of(std::string_view bytes, std::string_view file_name) {
  Parsed parsed = parse_plain_text(bytes, file_name);
  EXPECT_FALSE(parsed.doc) << file_name;
  return parsed.error;
}

TEST(ParsePlainText, FirstNonEmptyLineIsTheTitle) {
  auto d = parse_ok("\n  \n关于做好年度考核工作的通知\n\n各科室：\n　　现将有关事项通知如下。\n\n",
                    "notice-2024.txt");
  EXPECT_EQ(d.id, "notice-2024");
  EXPECT_EQ(d.title, "关于做好年度考核工作的通知");
  EXPECT_EQ(d.content, "各科室：\n现将有关事项通知如下。");
  EXPECT_EQ(d.source, "notice-2024.txt");
  EXPECT_EQ(d.date, "");
  EXPECT_EQ(d.category, "");
}

TEST(ParsePlainText, StripsTheMarkdownHeadingMarkOnlyForMarkdown) {
  EXPECT_EQ(parse_ok("# 工作总结\n正文。", "summary.md").title, "工作总结");
  EXPECT_EQ(parse_ok("##  工作总结 \n正文。", "summary.MD").title, "工作总结");
  EXPECT_EQ(parse_ok("#工作总结\n正文。", "summary.md").title, "#工作总结");
  EXPECT_EQ(parse_ok("# 工作总结\n正文。", "summary.txt").title, "# 工作总结");
}

TEST(ParsePlainText, HandlesBomAndCrlf) {
  auto d = parse_ok("\xEF\xBB\xBF标题\r\n第一段\r\n\r\n第二段", "dir/bom.txt");
  EXPECT_EQ(d.title, "标题");
  EXPECT_EQ(d.content, "第一段\n第二段");
  EXPECT_EQ(d.id, "bom");
  EXPECT_EQ(d.source, "dir/bom.txt");
}

TEST(ParsePlainText, DerivesAStableHashIdFromANonAsciiStem) {
  auto a = parse_ok("标题\n正文", "/tmp/述职报告.txt");
  auto again = parse_ok("别的标题\n别的正文", "/other/dir/述职报告.md");
  auto b = parse_ok("标题\n正文", "/tmp/述职报告2.txt");
  ASSERT_TRUE(a.id.starts_with("doc-")) << a.id;
  EXPECT_EQ(a.id.size(), 4u + 16u);
  EXPECT_EQ(a.id.find_first_not_of("0123456789abcdef", 4), std::string::npos) << a.id;
  EXPECT_EQ(a.id, again.id) << "same stem, same id, so re-importing updates";
  EXPECT_NE(a.id, b.id);
  // FNV-1a 64 of the stem's UTF-8 bytes: a fixed function, the same on every build.
  EXPECT_EQ(a.id, "doc-f98dda139ed162bc");
  EXPECT_EQ(parse_ok("标题\n正文", "my file.txt").id.size(), 20u) << "space is not an id character";
}

TEST(ParsePlainText, RejectsFilesWithoutTitleOrText) {
  EXPECT_EQ(error_of("", "empty.txt"), "no title: the file has no text");
  EXPECT_EQ(error_of(" \r\n　\n", "blank.txt"), "no title: the file has no text");
  EXPECT_EQ(error_of("只有标题\n\n", "title-only.txt"), "no text after the title");
}

TEST(ParsePlainText, ReportsInvalidUtf8WithItsFileOffset) {
  EXPECT_EQ(error_of("标题\n正\xFF文", "bad.txt"), "invalid UTF-8 at byte 10");
  EXPECT_EQ(error_of("\xEF\xBB\xBF标题\n\xC0\xAF", "bad.txt"), "invalid UTF-8 at byte 10")
      << "the offset counts the BOM";
  EXPECT_EQ(error_of(std::string("标题\n正文\0", 14), "nul.txt"), "invalid UTF-8 at byte 13");
}

TEST(ParsePlainText, RejectsFilesOverTheSizeLimit) {
  std::string big = "标题\n" + std::string(kMaxDocumentBytes, 'a');
  EXPECT_EQ(error_of(big, "big.txt"), "file exceeds 8 MiB");
  big.resize(kMaxDocumentBytes);
  EXPECT_EQ(parse_ok(big, "big.txt").content.size(), kMaxDocumentBytes - 7);
}

}  // namespace
}  // namespace wenku::io
