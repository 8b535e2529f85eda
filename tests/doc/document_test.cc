#include "doc/document.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace wenku::doc {
namespace {

TEST(Paragraphs, SplitOnLineBreaksDroppingEmptyOnesAndCarriageReturns) {
  EXPECT_EQ(paragraphs("第一段。\n\n第二段。\r\n第三段"),
            (std::vector<std::string_view>{"第一段。", "第二段。", "第三段"}));
  EXPECT_TRUE(paragraphs("").empty());
  EXPECT_TRUE(paragraphs("\n\r\n\n").empty());
}

TEST(Paragraphs, CountIsTheNumberOfParagraphs) {
  const std::vector<std::string> texts = {
      "", "一段", "一段\n", "\n一段", "一\n\n二\r\n三", "\r\n\r\n", "甲\n乙\n", "甲\r\n\r\n乙\n丙"};
  ASSERT_FALSE(texts.empty());
  for (const auto& text : texts) {
    EXPECT_EQ(paragraph_count(text), paragraphs(text).size()) << text;
  }
  EXPECT_EQ(paragraph_count("一\n\n二\r\n三"), 3u);
}

}  // namespace
}  // namespace wenku::doc
