#include "doc/outline.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"

namespace wenku::doc {
namespace {

Document doc_of(std::string content) {
  Document d;
  d.content = std::move(content);
  return d;
}

struct Expected {
  int level;
  std::string text;
  std::size_t para;
};

void expect_outline(const std::vector<OutlineItem>& got, const std::vector<Expected>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].level, want[i].level) << i;
    EXPECT_EQ(got[i].text, want[i].text) << i;
    EXPECT_EQ(got[i].para, want[i].para) << i;
  }
}

TEST(Outline, ReportSystemsNestByOrderOfAppearance) {
  const auto got =
      extract_outline(doc_of("各位代表：\n"
                             "一、过去一年工作回顾\n"
                             "过去一年，我们做了大量工作。\n"
                             "（一）稳增长。全年增长5%。\n"
                             "1.扩大投资。投资增长3%。\n"
                             "2．促进消费。\n"
                             "（二）促改革。深化改革。\n"
                             "二、今年工作安排\n"
                             "（一）抓好项目建设：要加快推进。\n"
                             "（二）抓好民生保障\n"));
  expect_outline(got, {{1, "一、过去一年工作回顾", 1},
                       {2, "（一）稳增长", 3},
                       {3, "1.扩大投资", 4},
                       {3, "2．促进消费", 5},
                       {2, "（二）促改革", 6},
                       {1, "二、今年工作安排", 7},
                       {2, "（一）抓好项目建设", 8},
                       {2, "（二）抓好民生保障", 9}});
}

TEST(Outline, SpeechEnumerationsNestUnderSections) {
  const auto got =
      extract_outline(doc_of("一、统一思想\n"
                             "一要提高站位，认清形势。\n"
                             "二要压实责任。\n"
                             "二、狠抓落实\n"
                             "第一，抓好学习。要原原本本学。\n"
                             "第二，抓好督查。\n"
                             "首先，要明确目标。\n"
                             "其次，要细化措施。\n"
                             "最后，要严格考核。\n"));
  expect_outline(got, {{1, "一、统一思想", 0},
                       {2, "一要提高站位，认清形势", 1},
                       {2, "二要压实责任", 2},
                       {1, "二、狠抓落实", 3},
                       {2, "第一，抓好学习", 4},
                       {2, "第二，抓好督查", 5},
                       {3, "首先，要明确目标", 6},
                       {3, "其次，要细化措施", 7},
                       {3, "最后，要严格考核", 8}});
}

TEST(Outline, StrayNumbersAreNotHeadings) {
  const auto got =
      extract_outline(doc_of("二是要抓好落实，这是关键。\n"
                             "首先，我代表市委向大家致以问候。\n"
                             "三是一个重要的数字。\n"
                             "最后，祝大家新春愉快！\n"
                             "1.5亿元的投资已经到位。\n"));
  EXPECT_TRUE(got.empty());
}

TEST(Outline, NumberingMustBeConsecutive) {
  const auto got = extract_outline(doc_of("一、总体要求\n二、重点任务\n四、保障措施\n"));
  expect_outline(got, {{1, "一、总体要求", 0}, {1, "二、重点任务", 1}});
  EXPECT_TRUE(extract_outline(doc_of("一、总体要求\n三、重点任务\n")).empty());
}

TEST(Outline, LawChaptersSectionsAndArticles) {
  const auto got =
      extract_outline(doc_of("第一章　总则\n"
                             "第一条　为了规范管理，制定本条例。\n"
                             "第二条　本条例适用于本市。\n"
                             "第二章　管理\n"
                             "第一节　一般规定\n"
                             "第三条　有下列情形之一的，不予登记：\n"
                             "（一）材料不全的；\n"
                             "（二）超过期限的；\n"
                             "（三）其他情形。\n"
                             "第二节　附则\n"
                             "第四条　本条例自公布之日起施行。\n"));
  expect_outline(got, {{1, "第一章　总则", 0},
                       {2, "第一条　为了规范管理，制定本条例", 1},
                       {2, "第二条　本条例适用于本市", 2},
                       {1, "第二章　管理", 3},
                       {2, "第一节　一般规定", 4},
                       {3, "第三条　有下列情形之一的，不予登记", 5},
                       {2, "第二节　附则", 9},
                       {3, "第四条　本条例自公布之日起施行", 10}});
}

TEST(Outline, SameSystemNestsInsideAnOuterListOfItself) {
  const auto got = extract_outline(
      doc_of("一、形势\n（一）成绩\n一、经济增长\n二、民生改善\n（二）问题\n二、任务\n"));
  expect_outline(got, {{1, "一、形势", 0},
                       {2, "（一）成绩", 1},
                       {3, "一、经济增长", 2},
                       {3, "二、民生改善", 3},
                       {2, "（二）问题", 4},
                       {1, "二、任务", 5}});
}

TEST(Outline, InlineFirstItemAndLoneMarkers) {
  const auto got =
      extract_outline(doc_of("我们面临三个挑战。一是外需萎缩，订单减少。\n"
                             "二是成本上升。\n"
                             "三是融资困难。\n"
                             "第一，\n"
                             "要转变职能。\n"
                             "第二，\n"
                             "要精简机构。\n"));
  // By order of appearance the 第一 list nests in the 一是 list, which nothing closed.
  expect_outline(got, {{1, "一是外需萎缩，订单减少", 0},
                       {1, "二是成本上升", 1},
                       {1, "三是融资困难", 2},
                       {2, "第一，要转变职能", 3},
                       {2, "第二，要精简机构", 5}});
}

TEST(Outline, LongHeadingPhraseIsCutAtAComma) {
  std::string long_heading = "一、";
  for (int i = 0; i < 25; ++i) long_heading += "发展";
  long_heading += "，";
  for (int i = 0; i < 25; ++i) long_heading += "改革";
  const auto got = extract_outline(doc_of(long_heading + "。\n二、其他\n"));
  ASSERT_EQ(got.size(), 2u);
  std::string want = "一、";
  for (int i = 0; i < 25; ++i) want += "发展";
  EXPECT_EQ(got[0].text, want);
}

TEST(Outline, EmptyAndMarkerFreeTexts) {
  EXPECT_TRUE(extract_outline(doc_of("")).empty());
  EXPECT_TRUE(extract_outline(doc_of("同志们：\n今天我们召开会议。\n")).empty());
  EXPECT_TRUE(extract_outline(doc_of("（\n第\n一\n（一\n")).empty());
}

TEST(Outline, ArticleHeadingsAreThoseOfTheArticleSystem) {
  EXPECT_TRUE(is_article_heading("第一条 为了保护和改善环境"));
  EXPECT_TRUE(is_article_heading("第二十三条"));
  EXPECT_TRUE(is_article_heading("第12条 本条例自公布之日起施行"));
  EXPECT_FALSE(is_article_heading("第一章 总则"));
  EXPECT_FALSE(is_article_heading("第一节 一般规定"));
  EXPECT_FALSE(is_article_heading("第一，坚持党的领导"));
  EXPECT_FALSE(is_article_heading("一、条件保障"));
  EXPECT_FALSE(is_article_heading("条例第一条"));
  EXPECT_FALSE(is_article_heading("第条"));
  EXPECT_FALSE(is_article_heading(""));
}

// Heading agreement of extract_outline with a labelled set of corpus documents.
struct OutlineScore {
  std::size_t docs = 0, expected = 0, found = 0, matched = 0, same_level = 0, same_text = 0;
  double precision() const { return static_cast<double>(matched) / static_cast<double>(found); }
  double recall() const { return static_cast<double>(matched) / static_cast<double>(expected); }
  double level_agreement() const {
    return static_cast<double>(same_level) / static_cast<double>(matched);
  }
};

// Scores the labels of tests/data/`label_file` (ids only; texts read from `corpus`). A heading
// matches when its paragraph and marker text agree (the first 2 characters of the text);
// levels and texts are scored separately. Prints per-document counts and the totals.
OutlineScore score_labelled_outlines(const std::filesystem::path& corpus,
                                     const std::string& label_file) {
  const auto labels = nlohmann::json::parse(
      wenku::testing::read_file(wenku::testing::test_data_dir() / label_file));
  std::map<std::string, std::set<std::string>> ids_by_file;
  for (const auto& d : labels.at("docs")) ids_by_file[d.at("file")].insert(d.at("id"));
  std::map<std::string, Document> docs;
  for (const auto& [file, ids] : ids_by_file)
    docs.merge(testing::read_corpus_docs(corpus / file, ids));

  OutlineScore score;
  for (const auto& label : labels.at("docs")) {
    const std::string id = label.at("id");
    EXPECT_TRUE(docs.contains(id)) << id;
    if (!docs.contains(id)) continue;
    const auto got = extract_outline(docs.at(id));
    std::map<std::pair<std::size_t, std::string>, const OutlineItem*> by_key;
    auto key = [](std::size_t para, const std::string& text) {
      return std::make_pair(para, text.substr(0, 6));  // paragraph and the marker's first bytes
    };
    for (const auto& item : got) by_key[key(item.para, item.text)] = &item;
    std::size_t doc_matched = 0;
    for (const auto& want : label.at("expected")) {
      const auto it = by_key.find(key(want.at("para"), want.at("text")));
      if (it == by_key.end()) continue;
      ++doc_matched;
      score.same_level += it->second->level == want.at("level").get<int>();
      score.same_text += it->second->text == want.at("text").get<std::string>();
    }
    ++score.docs;
    score.expected += label.at("expected").size();
    score.found += got.size();
    score.matched += doc_matched;
    std::printf("  %-22s expected %3zu found %3zu matched %3zu\n", id.c_str(),
                label.at("expected").size(), got.size(), doc_matched);
  }
  std::printf(
      "%s: outline headings on %zu documents: precision %.3f recall %.3f (%zu/%zu/%zu); "
      "level agreement %.3f, text agreement %.3f\n",
      label_file.c_str(), score.docs, score.precision(), score.recall(), score.matched, score.found,
      score.expected, score.level_agreement(),
      static_cast<double>(score.same_text) / static_cast<double>(score.matched));
  return score;
}

// Labels drafted with an earlier version of the function, then checked and corrected by hand.
TEST(Outline, PrecisionAndRecallOnLabelledCorpusDocuments) {
  const auto corpus = wenku::testing::corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  const auto score = score_labelled_outlines(corpus, "outline_labels.json");
  EXPECT_GE(score.docs, 15u);
  EXPECT_GE(score.precision(), 0.9);
  EXPECT_GE(score.recall(), 0.9);
  EXPECT_GE(score.level_agreement(), 0.85);
}

// Labels chosen by reading every paragraph before running the function (no drafting bias).
TEST(Outline, PrecisionAndRecallOnIndependentlyLabelledDocuments) {
  const auto corpus = wenku::testing::corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  const auto score = score_labelled_outlines(corpus, "outline_labels_independent.json");
  EXPECT_GE(score.docs, 5u);
  EXPECT_GE(score.precision(), 0.85);
  EXPECT_GE(score.recall(), 0.85);
}

}  // namespace
}  // namespace wenku::doc
