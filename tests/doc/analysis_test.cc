#include "doc/analysis.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "doc/corpus_reader.h"
#include "doc/outline.h"
#include "testing/test_support.h"

namespace wenku::doc {
namespace {

TEST(Analysis, JsonHasTheIssueShapeAndKeyOrder) {
  Analysis a;
  a.title = "区委书记在全区大会上的讲话";
  a.outline = {OutlineItem{1, "一、总体要求", 2}};
  a.template_text = "X年X月X日";
  TaskRow row;
  row.task = "老旧小区改造";
  row.section = "一、总体要求";
  row.leader = "李明同志";
  row.lead_unit = "市商务局";
  row.partners = {"财政局", "税务局"};
  row.deadline = "6月底前";
  row.para = 4;
  a.tasks = {row};
  const auto j = analysis_to_json(a);
  EXPECT_EQ(
      j.dump(),
      R"({"title":"区委书记在全区大会上的讲话","outline":[{"level":1,"text":"一、总体要求","para":2}],)"
      R"("template":"X年X月X日","tasks":[{"task":"老旧小区改造","section":"一、总体要求",)"
      R"("leader":"李明同志","lead_unit":"市商务局",)"
      R"("partners":["财政局","税务局"],"implementer":"","deadline":"6月底前","para":4}],"keywords":[]})");
}

// An empty template is left out: the store's analyses have none (it is made when shown).
TEST(Analysis, EmptyAnalysisHasEmptyArraysAndNoTemplate) {
  EXPECT_EQ(analysis_to_json(Analysis{}).dump(),
            R"({"title":"","outline":[],"tasks":[],"keywords":[]})");
  EXPECT_EQ(analysis_from_json(analysis_to_json(Analysis{}).dump()).template_text, "");
}

TEST(Analysis, ToJsonOfSingleItems) {
  const nlohmann::json item = OutlineItem{2, "（一）", 7};
  EXPECT_EQ(item.at("level"), 2);
  EXPECT_EQ(item.at("para"), 7);
  const nlohmann::json row = TaskRow{};
  EXPECT_TRUE(row.at("partners").is_array());
}

TEST(Analysis, FromJsonReadsBackWhatToJsonWrote) {
  Analysis a;
  a.title = "讲话";
  a.outline = {OutlineItem{1, "一、总体要求", 2}, OutlineItem{2, "（一）目标", 3}};
  a.template_text = "X年";
  TaskRow row;
  row.task = "河道清淤";
  row.section = "二、重点任务";
  row.partners = {"财政局", "税务局"};
  row.implementer = "各乡镇";
  row.para = 9;
  a.tasks = {row};
  a.keywords = {"营商环境"};
  const Analysis back = analysis_from_json(analysis_to_json(a).dump());
  EXPECT_EQ(back.title, a.title);
  ASSERT_EQ(back.outline.size(), 2u);
  EXPECT_EQ(back.outline[1].level, 2);
  EXPECT_EQ(back.outline[1].text, "（一）目标");
  EXPECT_EQ(back.outline[1].para, 3u);
  EXPECT_EQ(back.template_text, "X年");
  ASSERT_EQ(back.tasks.size(), 1u);
  EXPECT_EQ(back.tasks[0].task, "河道清淤");
  EXPECT_EQ(back.tasks[0].section, "二、重点任务");
  EXPECT_EQ(back.tasks[0].partners, row.partners);
  EXPECT_EQ(back.tasks[0].implementer, "各乡镇");
  EXPECT_EQ(back.tasks[0].para, 9u);
  EXPECT_EQ(back.keywords, a.keywords);
}

TEST(Analysis, FromJsonOfNothingMissingKeysAndGarbage) {
  EXPECT_TRUE(analysis_from_json("").outline.empty());
  const Analysis partial = analysis_from_json(R"({"outline":[{"text":"一、"}]})");
  ASSERT_EQ(partial.outline.size(), 1u);
  EXPECT_EQ(partial.outline[0].level, 1);
  EXPECT_TRUE(partial.tasks.empty());
  // A task row stored before rows had a section.
  const Analysis old = analysis_from_json(
      R"({"tasks":[{"task":"河道清淤","leader":"李明同志","lead_unit":"","partners":[],)"
      R"("implementer":"","deadline":"","para":3}]})");
  ASSERT_EQ(old.tasks.size(), 1u);
  EXPECT_EQ(old.tasks[0].task, "河道清淤");
  EXPECT_EQ(old.tasks[0].section, "");
  EXPECT_EQ(old.tasks[0].leader, "李明同志");
  EXPECT_EQ(old.tasks[0].para, 3u);
  EXPECT_THROW(analysis_from_json("{not json"), std::runtime_error);
  EXPECT_THROW(analysis_from_json(R"({"tasks":[{"para":"x"}]})"), std::runtime_error);
}

std::vector<std::string> texts_of(const std::vector<OutlineItem>& outline) {
  std::vector<std::string> out;
  for (const auto& item : outline) out.push_back(item.text);
  return out;
}

// The stored analyses of real laws, reports and speeches (outline, the text as template):
// outline_texts finds what the full parse finds.
TEST(Analysis, OutlineTextsAreThoseOfTheParsedOutline) {
  const auto corpus = wenku::testing::corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::size_t documents = 0, headings = 0;
  for (const char* file :
       {"laws_regulations.jsonl.zst", "gov_work_reports.jsonl", "xi_speeches_2020.jsonl"}) {
    std::size_t taken = 0;
    for (auto& [id, d] : testing::read_corpus_docs(corpus / file)) {
      if (++taken > 300) break;
      Analysis a;
      a.title = d.title;
      a.outline = extract_outline(d);
      a.template_text = d.content;
      a.keywords = {"改革"};
      const std::string json = analysis_to_json(a).dump();
      EXPECT_EQ(outline_texts(json), texts_of(analysis_from_json(json).outline)) << id;
      ++documents;
      headings += a.outline.size();
    }
  }
  EXPECT_GT(documents, 400u);
  EXPECT_GT(headings, 2000u);
}

TEST(Analysis, OutlineTextsStopAtTheEndOfTheOutline) {
  // What follows the outline is never read: a broken template does not matter.
  EXPECT_EQ(outline_texts(R"({"title":"t","outline":[{"level":1,"text":"一、总体要求","para":2},)"
                          R"({"text":"（一）目标"}],"template":"unterminated)"),
            (std::vector<std::string>{"一、总体要求", "（一）目标"}));
  // Items that are not objects, texts that are not strings, and "text" keys elsewhere are
  // skipped.
  EXPECT_EQ(outline_texts(
                R"({"tasks":[{"text":"任务"}],"outline":[1,"二、",{"text":3},)"
                R"({"sub":{"text":"深处"},"text":"三、落实"},[{"text":"数组里"}]],"keywords":[]})"),
            (std::vector<std::string>{"三、落实"}));
  EXPECT_TRUE(outline_texts("").empty());
  EXPECT_TRUE(outline_texts(R"({"title":"t","template":"x"})").empty());
  EXPECT_TRUE(outline_texts(R"({"outline":{"text":"一、"}})").empty());
  EXPECT_TRUE(outline_texts(R"({"outline":[{"text":"一、"},{"text":"二、)").empty());
  EXPECT_TRUE(outline_texts(R"(["outline",[{"text":"一、"}]])").empty());
  EXPECT_TRUE(outline_texts("{not json").empty());
}

}  // namespace
}  // namespace wenku::doc
