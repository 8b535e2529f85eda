#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "search/index.h"

namespace wenku::search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> terms(std::string_view text) { return parse_query(text).terms; }

TEST(ParseQuery, SplitsWordsOnAsciiAndIdeographicSpace) {
  EXPECT_THAT(terms("  高质量  发展\t改革\n开放\u3000创新 "),
              ElementsAre("高质量", "发展", "改革", "开放", "创新"));
}

TEST(ParseQuery, EmptyAndBlankGiveNoTerms) {
  EXPECT_THAT(terms(""), IsEmpty());
  EXPECT_THAT(terms(" \u3000 \t"), IsEmpty());
  EXPECT_THAT(terms("\"\" “  ”"), IsEmpty());
}

TEST(ParseQuery, AsciiQuotesGroupAPhrase) {
  EXPECT_THAT(terms("经济 \"高质量 发展\" 改革"), ElementsAre("经济", "高质量 发展", "改革"));
}

TEST(ParseQuery, ChineseQuotesGroupAPhrase) {
  EXPECT_THAT(terms("“全面 深化改革”开放"), ElementsAre("全面 深化改革", "开放"));
}

TEST(ParseQuery, PhraseWhitespaceIsCollapsedAndTrimmed) {
  EXPECT_THAT(terms("\"  a \n\t b\u3000c  \""), ElementsAre("a b c"));
}

TEST(ParseQuery, UnclosedQuoteRunsToTheEnd) {
  EXPECT_THAT(terms("x \"open phrase"), ElementsAre("x", "open phrase"));
  EXPECT_THAT(terms("x “未闭合 引号"), ElementsAre("x", "未闭合 引号"));
}

TEST(ParseQuery, QuoteInsideAWordStartsAPhrase) {
  EXPECT_THAT(terms("a\"b c\"d"), ElementsAre("a", "b c", "d"));
}

TEST(ParseQuery, StrayClosingChineseQuoteSeparates) {
  EXPECT_THAT(terms("甲”乙"), ElementsAre("甲", "乙"));
}

TEST(ParseQuery, QuerySyntaxIsPlainText) {
  EXPECT_THAT(terms("a OR b -c (d) it's --filter \\"),
              ElementsAre("a", "OR", "b", "-c", "(d)", "it's", "--filter", "\\"));
}

TEST(QuoteQueryPhrase, EscapesBackslashAndDoubleQuote) {
  EXPECT_EQ(quote_query_phrase("高质量发展"), "\"高质量发展\"");
  EXPECT_EQ(quote_query_phrase("a\"b"), R"("a\"b")");
  EXPECT_EQ(quote_query_phrase("c\\d"), R"("c\\d")");
  EXPECT_EQ(quote_query_phrase("\\"), R"("\\")");
  EXPECT_EQ(quote_query_phrase("it's"), R"("it's")");
  EXPECT_EQ(quote_query_phrase("OR"), R"("OR")");
  EXPECT_EQ(quote_query_phrase("(a) --filter"), R"("(a) --filter")");
  EXPECT_EQ(quote_query_phrase(""), R"("")");
}

TEST(QuoteCommandArgument, EscapesBackslashAndSingleQuote) {
  EXPECT_EQ(quote_command_argument("it's"), R"('it\'s')");
  EXPECT_EQ(quote_command_argument("')"), R"('\')')");
  EXPECT_EQ(quote_command_argument("\\"), R"('\\')");
  EXPECT_EQ(quote_command_argument("a\"b"), R"('a"b')");
  EXPECT_EQ(quote_command_argument("x --filter true"), R"('x --filter true')");
}

TEST(QuoteBothLayers, PhraseThenCommandArgument) {
  // The order used by Index::search: query syntax first, then command quoting.
  EXPECT_EQ(quote_command_argument(quote_query_phrase("it's")), R"('"it\'s"')");
  EXPECT_EQ(quote_command_argument(quote_query_phrase("a\"b\\")), R"('"a\\"b\\\\"')");
}

}  // namespace
}  // namespace wenku::search
