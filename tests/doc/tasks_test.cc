#include "doc/tasks.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::doc {
namespace {

std::vector<TaskRow> tasks_of(std::string content) {
  Document d;
  d.content = std::move(content);
  return extract_tasks(d);
}

using Partners = std::vector<std::string>;

TEST(Tasks, LeaderLeadUnitAndPartnersInOneSentence) {
  const auto rows = tasks_of(
      "要加快推进老旧小区改造。这项工作由李明同志负责，市商务局牵头，财政局、税务局等部门参与。");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].task, "加快推进老旧小区改造");
  EXPECT_EQ(rows[0].leader, "李明同志");
  EXPECT_EQ(rows[0].lead_unit, "市商务局");
  EXPECT_EQ(rows[0].partners, (Partners{"财政局", "税务局"}));
  EXPECT_EQ(rows[0].implementer, "");
  EXPECT_EQ(rows[0].deadline, "");
  EXPECT_EQ(rows[0].para, 0u);
}

TEST(Tasks, LeadAndCooperateWithOwnTask) {
  const auto rows = tasks_of("前言。\n招商引资工作由区发改委牵头，区商务局、区财政局配合。");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].task, "招商引资工作");
  EXPECT_EQ(rows[0].lead_unit, "区发改委");
  EXPECT_EQ(rows[0].partners, (Partners{"区商务局", "区财政局"}));
  EXPECT_EQ(rows[0].para, 1u);
}

TEST(Tasks, ImplementerAndDeadline) {
  const auto rows = tasks_of(
      "全面完成河道清淤，各乡镇具体抓好落实，要在6月底前完成。"
      "安全生产大检查由应急管理局负责落实。");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task, "全面完成河道清淤");
  EXPECT_EQ(rows[0].implementer, "各乡镇");
  EXPECT_EQ(rows[0].deadline, "6月底前");
  EXPECT_EQ(rows[1].task, "安全生产大检查");
  EXPECT_EQ(rows[1].implementer, "应急管理局");
}

TEST(Tasks, DeadlineAlone) {
  const auto rows = tasks_of("项目前期手续要在9月30日之前完成。");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].deadline, "9月30日之前");
  EXPECT_EQ(rows[0].task, "项目前期手续");
}

TEST(Tasks, LeaderWithTitleAndOverallResponsibility) {
  const auto rows = tasks_of("各级党委书记负总责，组织部协助。王强副区长负责，城管局协助。");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].leader, "各级党委书记");
  EXPECT_EQ(rows[0].partners, (Partners{"组织部"}));
  EXPECT_EQ(rows[1].leader, "王强副区长");
  EXPECT_EQ(rows[1].partners, (Partners{"城管局"}));
}

TEST(Tasks, OrdinaryUsesOfTheVerbsMakeNoRow) {
  EXPECT_TRUE(
      tasks_of("我们要对人民负责，对历史负责。各部门要相互配合、形成合力。"
               "主要负责同志要亲自抓。要把责任扛在肩上，负责任地做好工作。要在年内提前完成。")
          .empty());
  EXPECT_TRUE(tasks_of("").empty());
  EXPECT_TRUE(tasks_of("由\n牵头\n负责，\n前完成").empty());
  // Found by the fuzzer: a "sentence" of clause ends alone before an assignment.
  const auto rows = tasks_of("，，。由区发改委牵头。");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].task, "");
}

TEST(Tasks, DeadlinePatterns) {
  struct Case {
    const char* text;
    const char* task;
    const char* deadline;
  };
  const Case cases[] = {
      {"要在6月底前实现老旧小区改造全覆盖。", "实现老旧小区改造全覆盖", "6月底前"},
      {"各乡镇要于年底前完成河道清淤。", "各乡镇完成河道清淤", "年底前"},
      {"二氧化碳排放力争于2030年前达到峰值。", "二氧化碳排放达到峰值", "2030年前"},
      {"6月30日前完成全部拆迁。", "完成全部拆迁", "6月30日前"},
      {"污水管网改造要在明年3月以前完工。", "污水管网改造", "明年3月以前"},
      {"全部项目确保2025年前建成投用。", "全部项目建成投用", "2025年前"},
      {"一季度前出台实施细则。", "出台实施细则", "一季度前"},
      {"要在汛期前完成病险水库除险加固。", "完成病险水库除险加固", "汛期前"},
      {"请各单位于3月12日前将回执报办公室。", "请各单位将回执报办公室", "3月12日前"},
  };
  for (const Case& c : cases) {
    const auto rows = tasks_of(c.text);
    ASSERT_EQ(rows.size(), 1u) << c.text;
    EXPECT_EQ(rows[0].task, c.task) << c.text;
    EXPECT_EQ(rows[0].deadline, c.deadline) << c.text;
  }
}

TEST(Tasks, SpansBackFromNowAreNoDeadlines) {
  EXPECT_TRUE(tasks_of("三年前我们完成了这项改革。两个月前启动了排查。日前，我市召开会议。"
                       "一年前还没有这条路。要提前完成任务。")
                  .empty());
}

TEST(Tasks, YearsBeforeTheDocumentAreNoDeadlines) {
  Document d;
  d.date = "1980-09-01";
  d.content = "基本建设规模超过一九七八年以前的水平。要在一九八五年底前建成投产八千万吨。";
  const auto rows = extract_tasks(d);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].deadline, "一九八五年底前");
  d.date = "";  // year unknown: both read as deadlines
  EXPECT_EQ(extract_tasks(d).size(), 2u);
}

TEST(Tasks, WorkClauseIsPreferredToAHeadingBefore) {
  const auto rows = tasks_of(
      "（二）在降本上下功夫。由区发改委牵头，财政局、税务局配合，全面落实各项减税降费政策，"
      "推动资金直达快享。\n（三）在护企上下功夫。这项工作由区司法局负责。");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task, "全面落实各项减税降费政策");
  EXPECT_EQ(rows[0].lead_unit, "区发改委");
  EXPECT_EQ(rows[1].task, "在护企上下功夫");  // heading marker dropped
  EXPECT_EQ(rows[1].leader, "区司法局");
  EXPECT_EQ(rows[1].para, 1u);
}

// Sanity on real speeches: counts, and no absurd fields.
// has_tasks answers whether extract_tasks finds any row, stopping at the first.
TEST(Tasks, HasTasksWhenARowIsFound) {
  Document d;
  d.content = "要加快推进老旧小区改造。这项工作由李明同志负责。\n要在6月底前完成。";
  EXPECT_TRUE(has_tasks(d));
  d.content = "我们要对人民负责，对历史负责。各部门要相互配合、形成合力。";
  EXPECT_FALSE(has_tasks(d));
  d.content = "";
  EXPECT_FALSE(has_tasks(d));
  const auto corpus = wenku::testing::corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::size_t with = 0;
  for (const auto& [id, doc] : testing::read_corpus_docs(corpus / "xi_speeches_2020.jsonl")) {
    EXPECT_EQ(has_tasks(doc), !extract_tasks(doc).empty()) << id;
    with += has_tasks(doc) ? 1 : 0;
  }
  EXPECT_GT(with, 0u);
}

TEST(Tasks, SpeechesCorpusSanity) {
  const auto corpus = wenku::testing::corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  const auto docs = testing::read_corpus_docs(corpus / "xi_speeches_2020.jsonl");
  std::size_t rows = 0, leaders = 0, leads = 0, partners = 0, implementers = 0, deadlines = 0;
  for (const auto& [id, d] : docs) {
    for (const TaskRow& row : extract_tasks(d)) {
      ++rows;
      leaders += !row.leader.empty();
      leads += !row.lead_unit.empty();
      partners += !row.partners.empty();
      implementers += !row.implementer.empty();
      deadlines += !row.deadline.empty();
      for (const std::string* field :
           {&row.leader, &row.lead_unit, &row.implementer, &row.deadline}) {
        EXPECT_LE(text::count_code_points(*field), 20u) << id;
      }
      EXPECT_LE(text::count_code_points(row.task), 40u) << id;
      for (const auto& p : row.partners) EXPECT_LE(text::count_code_points(p), 20u) << id;
      std::printf("  %s p%zu task=%s leader=%s lead=%s impl=%s deadline=%s\n", id.c_str(), row.para,
                  row.task.c_str(), row.leader.c_str(), row.lead_unit.c_str(),
                  row.implementer.c_str(), row.deadline.c_str());
    }
  }
  std::printf(
      "tasks in %zu speeches: %zu rows (leader %zu, lead unit %zu, partners %zu, implementer %zu, "
      "deadline %zu)\n",
      docs.size(), rows, leaders, leads, partners, implementers, deadlines);
  EXPECT_LT(rows, docs.size() * 5);  // speeches by a head of state assign little by name
}

}  // namespace
}  // namespace wenku::doc
