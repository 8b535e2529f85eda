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

TEST(ParseQuery, GroongaSyntaxIsPlainText) {
  EXPECT_THAT(terms("a (d) it's \\ *S + @ _key:x"),
              ElementsAre("a", "(d)", "it's", "\\", "*S", "+", "@", "_key:x"));
}

// A compact picture of the clauses: "word", "-word", "a|b", "T:title", "O:outline".
std::vector<std::string> clauses(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& clause : parse_query(text).clauses) {
    std::string picture = clause.exclude ? "-" : "";
    for (std::size_t i = 0; i < clause.any_of.size(); ++i) {
      const auto& term = clause.any_of[i];
      if (i > 0) picture += "|";
      if (term.field == Field::kTitle) picture += "T:";
      if (term.field == Field::kOutline) picture += "O:";
      picture += term.text;
    }
    out.push_back(picture);
  }
  return out;
}

TEST(ParseQuery, MinusExcludes) {
  EXPECT_THAT(clauses("乡村振兴 -金融 -\"数字 经济\" --filter"),
              ElementsAre("乡村振兴", "-金融", "-数字 经济", "--filter"));
  EXPECT_THAT(terms("乡村振兴 -金融"), ElementsAre("乡村振兴"));
  EXPECT_TRUE(parse_query("乡村振兴 -金融").notice.empty());
}

TEST(ParseQuery, OrJoinsNeighbours) {
  EXPECT_THAT(clauses("讲话 A OR B OR \"C D\" 总结"), ElementsAre("讲话", "A|B|C D", "总结"));
  EXPECT_THAT(clauses("甲 | 乙"), ElementsAre("甲|乙"));
  EXPECT_THAT(terms("A OR B"), ElementsAre("A", "B"));
  // Lower-case or is a word.
  EXPECT_THAT(clauses("a or b"), ElementsAre("a", "or", "b"));
}

// A repeated alternative is kept once (it would only repeat the work); the same text in
// another field is another alternative.
TEST(ParseQuery, RepeatedOrAlternativesAreKeptOnce) {
  EXPECT_THAT(clauses("的 OR 的 OR 的 OR 一 OR 的"), ElementsAre("的|一"));
  EXPECT_THAT(clauses("的 OR \"的\" OR 标题:的"), ElementsAre("的|T:的"));
  EXPECT_EQ(parse_query("的 OR 的 OR 的").clauses.at(0).any_of.size(), 1u);
  EXPECT_EQ(parse_query("的 OR 标题:的").clauses.at(0).any_of.size(), 2u);
  EXPECT_THAT(clauses("的 的"), ElementsAre("的", "的")) << "AND clauses are not alternatives";
}

TEST(ParseQuery, DanglingOrDegradesToAWord) {
  auto q = parse_query("OR 改革");
  EXPECT_THAT(clauses("OR 改革"), ElementsAre("OR", "改革"));
  EXPECT_FALSE(q.notice.empty());
  EXPECT_THAT(clauses("改革 OR"), ElementsAre("改革", "OR"));
  EXPECT_THAT(clauses("改革 OR OR 开放"), ElementsAre("改革|OR", "开放"));
  EXPECT_FALSE(parse_query("改革 OR").notice.empty());
}

TEST(ParseQuery, FieldsAndFilters) {
  auto q =
      parse_query("分类:政府工作报告 cat：法律 年份:2018..2021 标题:报告 提纲：\"深化 改革\" 就业");
  EXPECT_THAT(q.categories, ElementsAre("政府工作报告", "法律"));
  EXPECT_EQ(q.year_from, 2018);
  EXPECT_EQ(q.year_to, 2021);
  EXPECT_THAT(clauses("标题:报告 提纲：\"深化 改革\" 就业 -标题:草案"),
              ElementsAre("T:报告", "O:深化 改革", "就业", "-T:草案"));
  EXPECT_TRUE(q.notice.empty()) << q.notice;
  EXPECT_THAT(q.terms, ElementsAre("报告", "深化 改革", "就业"));
}

TEST(ParseQuery, YearsAndBareRanges) {
  auto single = parse_query("年份:2021 报告");
  EXPECT_EQ(single.year_from, 2021);
  EXPECT_EQ(single.year_to, 2021);
  auto reversed = parse_query("2021..2018 报告");
  EXPECT_EQ(reversed.year_from, 2018);
  EXPECT_EQ(reversed.year_to, 2021);
  // A bare year is a word (it occurs in texts).
  auto bare = parse_query("2021");
  EXPECT_EQ(bare.year_from, 0);
  EXPECT_THAT(bare.terms, ElementsAre("2021"));
}

TEST(ParseQuery, BadFiltersDegradeToWordsAndSaySo) {
  for (auto text : {"年份:abc", "年份:20211", "分类:", "-分类:法律", "year:2018..", "标题:"}) {
    auto q = parse_query(text);
    EXPECT_FALSE(q.notice.empty()) << text;
    EXPECT_EQ(q.year_from, 0) << text;
    EXPECT_TRUE(q.categories.empty()) << text;
    EXPECT_THAT(q.terms, ElementsAre(std::string(text))) << text;
  }
}

TEST(ParseQuery, ExclusionsAloneBecomeWords) {
  auto q = parse_query("-金融 -改革");
  EXPECT_THAT(clauses("-金融 -改革"), ElementsAre("金融", "改革"));
  EXPECT_FALSE(q.notice.empty());
  EXPECT_THAT(clauses("- 改革"), ElementsAre("改革"));  // a lone dash is dropped
}

TEST(ParseQuery, UnclosedQuoteSaysSo) {
  EXPECT_FALSE(parse_query("x \"open").notice.empty());
  EXPECT_TRUE(parse_query("x \"closed\"").notice.empty());
}

TEST(ParseQuery, HostileInputNeverThrows) {
  std::string junk;
  for (int i = 0; i < 2000; ++i) junk += "-\"OR|:年份:分类:..\u201c\u201d\u3000\\'";
  for (auto text : {junk, std::string(100000, '-'), std::string("\0a\0", 3),
                    std::string("OR OR OR | | -"), std::string("标题:\"\"\"")}) {
    ParsedQuery q;
    EXPECT_NO_THROW(q = parse_query(text));
    for (const auto& clause : q.clauses) EXPECT_FALSE(clause.any_of.empty());
  }
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
