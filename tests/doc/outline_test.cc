#include "doc/outline.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

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

// Articles are a law's body: neither they nor the numbered paragraphs after them up to the
// next division (their items, an annex after the last article) are headings; the 编, 分编,
// 部分, 章 and 节 are.
TEST(Outline, LawDivisionsAreHeadingsButArticlesAndTheirItemsAreNot) {
  const auto got =
      extract_outline(doc_of("第一编　总则\n"
                             "第一分编　通则\n"
                             "第一章　一般规定\n"
                             "第一条　为了规范管理，制定本条例。\n"
                             "第二条　有下列情形之一的，不予登记：\n"
                             "（一）材料不全的；\n"
                             "（二）超过期限的。\n"
                             "第二章　管理\n"
                             "第三条　本条例适用于本市。\n"
                             "第一节　登记\n"
                             "第4条　登记机关履行下列职责。\n"
                             "（一）审查申请材料。\n"
                             "（二）发放登记证书。\n"
                             "第二节　附则\n"
                             "第五条　本条例自公布之日起施行。\n"
                             "附件：\n"
                             "一、登记申请书\n"
                             "二、登记证书\n"
                             "第二分编　程序\n"
                             "第二编　分则\n"));
  // A section after its chapter's own articles nests in the chapter.
  expect_outline(got, {{1, "第一编　总则", 0},
                       {2, "第一分编　通则", 1},
                       {3, "第一章　一般规定", 2},
                       {3, "第二章　管理", 7},
                       {4, "第一节　登记", 9},
                       {4, "第二节　附则", 13},
                       {2, "第二分编　程序", 18},
                       {1, "第二编　分则", 19}});
  expect_outline(extract_outline(doc_of("第一条　总则。\n第二条　适用范围。\n第三条　施行。\n")),
                 {});
  expect_outline(extract_outline(doc_of("第一部分　总体要求\n"
                                        "第一条　坚持党的领导。\n"
                                        "一、基本原则\n"
                                        "二、主要目标\n"
                                        "第二部分　重点任务\n"
                                        "一、深化改革\n"
                                        "二、扩大开放\n")),
                 {{1, "第一部分　总体要求", 0},
                  {1, "第二部分　重点任务", 4},
                  {2, "一、深化改革", 5},
                  {2, "二、扩大开放", 6}});
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

std::string repeated(std::string_view s, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += s;
  return out;
}

// The first `chars` characters of `s`.
std::string head(std::string_view s, std::size_t chars) {
  return std::string(text::prefix_code_points(s, chars));
}

// An excerpt or a text cut short holds its 一、 heading without a 二、: the heading is level 1
// and the 一要 items under it nest in it.
TEST(Outline, LoneHanCommaHeadingOfAnExcerptHoldsItsItems) {
  expect_outline(extract_outline(doc_of("同志们：\n"
                                        "一、统一思想，提高认识\n"
                                        "一要提高站位。\n"
                                        "二要压实责任。\n"
                                        "三要强化落实。\n")),
                 {{1, "一、统一思想，提高认识", 1},
                  {2, "一要提高站位", 2},
                  {2, "二要压实责任", 3},
                  {2, "三要强化落实", 4}});
  expect_outline(
      extract_outline(doc_of("一、2026年重点工作\n（一）扩大内需\n（二）推进改革\n")),
      {{1, "一、2026年重点工作", 0}, {2, "（一）扩大内需", 1}, {2, "（二）推进改革", 2}});
}

// Counter-examples: a 一、 that is no heading leaves the 一要 items at level 1.
TEST(Outline, LoneHanCommaParagraphsThatAreNoHeadings) {
  const std::string items = "一要提高站位。\n二要压实责任。\n";
  const std::vector<Expected> alone = {{1, "一要提高站位", 1}, {1, "二要压实责任", 2}};
  for (const std::string& first : std::vector<std::string>{
           "一、二等奖获得者名单",                // a number, not a heading phrase
           "一、我们要加强管理。同时要改进作风",  // a sentence end before its end
           "一、加强管理；",                      // an enumeration item
           "一、" + repeated("加强", 25),         // longer than a heading
           "（一）统一思想",                      // only 一、 stands alone as a heading
       }) {
    expect_outline(extract_outline(doc_of(first + "\n" + items)), alone);
  }
  // A law's sections: 二、 among the articles is no candidate, but the 一、 is not alone.
  expect_outline(extract_outline(doc_of("一、关于管辖\n第一条 本解释适用于本市。\n"
                                        "二、关于受理\n第二条 法院应当受理。\n")),
                 {});
}

// Every heading system, its phrase a 60-character sentence without a comma: each text is the
// first 40 characters of its paragraph, whatever the marker.
TEST(Outline, EveryHeadingHasAtMostFortyCharactersWhateverItsSystem) {
  const std::string phrase = repeated("加强", 30);
  const std::vector<std::array<std::string, 3>> systems = {{"一、", "二、", "三、"},
                                                           {"（一）", "（二）", "（三）"},
                                                           {"(一)", "(二)", "(三)"},
                                                           {"1.", "2.", "3."},
                                                           {"1．", "2．", "3．"},
                                                           {"1、", "2、", "3、"},
                                                           {"（1）", "（2）", "（3）"},
                                                           {"(1)", "(2)", "(3)"},
                                                           {"第一编", "第二编", "第三编"},
                                                           {"第一分编", "第二分编", "第三分编"},
                                                           {"第一部分", "第二部分", "第三部分"},
                                                           {"第一章", "第二章", "第三章"},
                                                           {"第一节", "第二节", "第三节"},
                                                           {"第一，", "第二，", "第三，"},
                                                           {"一是", "二是", "三是"},
                                                           {"一要", "二要", "三要"},
                                                           {"首先，", "其次，", "最后，"}};
  for (const auto& markers : systems) {
    std::string content;
    for (const std::string& marker : markers) content += marker + phrase + "。\n";
    const auto got = extract_outline(doc_of(content));
    ASSERT_EQ(got.size(), 3u) << markers[0];
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].text, head(markers[i] + phrase, 40)) << markers[i];
      EXPECT_EQ(text::count_code_points(got[i].text), 40u) << markers[i];
    }
  }
}

// A speech's 一是 item written inside a paragraph, and a marker alone in its paragraph joined
// with the next one, are held to 40 characters as well.
TEST(Outline, InlineItemsAndJoinedMarkersHaveAtMostFortyCharacters) {
  const std::string sentence = repeated("加强", 30) + "。";
  const auto got = extract_outline(doc_of("我们面临挑战。一是" + sentence + "\n二是" + sentence +
                                          "\n第一，\n" + sentence + "\n第二，\n" + sentence));
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].text, head("一是" + sentence, 40));
  EXPECT_EQ(got[1].text, head("二是" + sentence, 40));
  EXPECT_EQ(got[2].text, head("第一，" + sentence, 40));
  EXPECT_EQ(got[3].text, head("第二，" + sentence, 40));
  for (const auto& item : got) EXPECT_EQ(text::count_code_points(item.text), 40u) << item.text;
}

TEST(Outline, LongHeadingIsCutBackAtItsLastCommaAfterTheMarker) {
  // The last ， or 、 within the first 40 characters.
  const std::string kept = "一、" + repeated("发展", 8) + "，" + repeated("改革", 5);
  auto got = extract_outline(doc_of(kept + "、" + repeated("创新", 15) + "。\n二、其他\n"));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text, kept);
  // A comma beyond the first 40 characters does not count.
  got = extract_outline(
      doc_of("一、" + repeated("发展", 25) + "，" + repeated("改革", 5) + "\n二、其他\n"));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text, "一、" + repeated("发展", 19));
  // Neither does the marker's own comma (which would leave the marker alone), nor an ASCII
  // comma, which is mostly a digit group separator: the text is cut at 40 characters.
  for (const auto& [marker, second] : std::vector<std::pair<std::string, std::string>>{
           {"第一，", "第二，"}, {"首先，", "其次，"}, {"一、", "二、"}}) {
    const std::string paragraph =
        marker + repeated("加强", 10) + "投资1,000亿元" + repeated("建设", 20);
    got = extract_outline(doc_of(paragraph + "\n" + second + "其他\n"));
    ASSERT_EQ(got.size(), 2u) << marker;
    EXPECT_EQ(got[0].text, head(paragraph, 40)) << marker;
  }
}

TEST(Outline, CutHeadingsAreValidUtf8) {
  // Characters of 1, 2, 3 and 4 bytes, in every position relative to the 40th.
  const std::string mixed = "aé中𠀀";
  for (int shift = 0; shift < 4; ++shift) {
    const std::string paragraph = "一、" + repeated("x", shift) + repeated(mixed, 20);
    const auto got = extract_outline(doc_of(paragraph + "\n二、" + repeated("𠀀", 60) + "\n"));
    ASSERT_EQ(got.size(), 2u) << shift;
    for (const auto& item : got) {
      EXPECT_TRUE(text::is_valid_utf8(item.text)) << shift;
      EXPECT_EQ(text::count_code_points(item.text), 40u) << shift;
    }
    EXPECT_EQ(got[0].text, head(paragraph, 40)) << shift;
    EXPECT_EQ(got[1].text, "二、" + repeated("𠀀", 38)) << shift;
  }
}

TEST(Outline, EmptyAndMarkerFreeTexts) {
  EXPECT_TRUE(extract_outline(doc_of("")).empty());
  EXPECT_TRUE(extract_outline(doc_of("同志们：\n今天我们召开会议。\n")).empty());
  EXPECT_TRUE(extract_outline(doc_of("（\n第\n一\n（一\n")).empty());
}

TEST(Outline, HeadingMarkerSizeCoversEverySystemAndArticles) {
  EXPECT_EQ(heading_marker_size("（二）加强管理"), std::string_view("（二）").size());
  EXPECT_EQ(heading_marker_size("一是加强管理"), std::string_view("一是").size());
  EXPECT_EQ(heading_marker_size("第一，加强管理"), std::string_view("第一，").size());
  EXPECT_EQ(heading_marker_size("首先，加强管理"), std::string_view("首先，").size());
  EXPECT_EQ(heading_marker_size("第三章　管理"), std::string_view("第三章").size());
  EXPECT_EQ(heading_marker_size("第十二条　本条例自公布之日起施行"),
            std::string_view("第十二条").size());
  EXPECT_EQ(heading_marker_size("第12条：施行"), std::string_view("第12条：").size());
  EXPECT_EQ(heading_marker_size("条例第一条"), 0u);
  EXPECT_EQ(heading_marker_size("1.5亿元"), 0u);
  EXPECT_EQ(heading_marker_size(""), 0u);
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
