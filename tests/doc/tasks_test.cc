#include "doc/tasks.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "doc/corpus_reader.h"
#include "doc/plan.h"
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
  EXPECT_EQ(rows[1].lead_unit, "区司法局");   // a body that is 负责 leads as a unit
  EXPECT_EQ(rows[1].leader, "");
  EXPECT_EQ(rows[1].para, 1u);
}

TEST(Tasks, APersonWhoLeadsIsTheLeaderAndJointlyResponsibleUnitsTheLeadUnit) {
  const auto rows =
      tasks_of("要加快推进老旧小区改造。此项工作由李明同志牵头，住建局、财政局共同负责。");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].task, "加快推进老旧小区改造");
  EXPECT_EQ(rows[0].leader, "李明同志");
  EXPECT_EQ(rows[0].lead_unit, "住建局、财政局");
  EXPECT_EQ(rows[0].section, "");
  // A unit that leads stays the lead unit; units jointly responsible after it are partners.
  const auto unit = tasks_of("招商引资工作由区发改委牵头，区商务局、区财政局共同负责。");
  ASSERT_EQ(unit.size(), 1u);
  EXPECT_EQ(unit[0].leader, "");
  EXPECT_EQ(unit[0].lead_unit, "区发改委");
  EXPECT_EQ(unit[0].partners, (Partners{"区商务局", "区财政局"}));
}

TEST(Tasks, NotesInBracketsNameTheUnitsAndLeaveTheTask) {
  const auto rows = tasks_of(
      "新增城镇就业10万人（牵头单位：人社厅）。\n"
      "改造老旧小区200个（牵头单位：住建厅；配合单位：财政厅、发改委）。\n"
      "推进“一网通办”（省政务服务局牵头，省大数据局配合）。\n"
      "实施城市更新行动（以下简称“更新行动”）。");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].task, "新增城镇就业10万人");
  EXPECT_EQ(rows[0].lead_unit, "人社厅");
  EXPECT_EQ(rows[1].task, "改造老旧小区200个");
  EXPECT_EQ(rows[1].lead_unit, "住建厅");
  EXPECT_EQ(rows[1].partners, (Partners{"财政厅", "发改委"}));
  EXPECT_EQ(rows[2].task, "推进“一网通办”");
  EXPECT_EQ(rows[2].lead_unit, "省政务服务局");
  EXPECT_EQ(rows[2].partners, (Partners{"省大数据局"}));
  // Partners alone make no row.
  EXPECT_TRUE(tasks_of("加强监管（配合单位：市场监管局）。").empty());
}

Document report_of(std::string content) {
  Document d;
  d.title = "2026年某省政府工作报告";
  d.date = "2026-01-28";
  d.content = std::move(content);
  return d;
}

// A 政府工作报告's plan part gives one row per task sentence, its section as 类别; the review,
// the plan's introduction and the closing address give none.
TEST(TasksPlan, GovernmentReportTaskSentences) {
  const auto rows =
      extract_tasks(report_of("各位代表：\n"
                              "一、2025年工作回顾\n"
                              "过去一年，我们完成了各项任务。全年增长5%。\n"
                              "二、2026年重点工作\n"
                              "今年是开局之年。主要预期目标是：增长5%左右。\n"
                              "（一）扩大内需\n"
                              "促进消费扩容升级。开展消费品以旧换新。\n"
                              "此项工作由李明同志牵头，商务厅、财政厅共同负责。\n"
                              "（二）推进改革。深化国企改革。推动民营经济发展。\n"
                              "各位代表！\n"
                              "我们一定要团结奋斗，完成全年目标任务。"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].task, "促进消费扩容升级");
  EXPECT_EQ(rows[0].section, "（一）扩大内需");
  EXPECT_EQ(rows[0].para, 6u);
  EXPECT_EQ(rows[1].task, "开展消费品以旧换新");
  // The sentence that only assigns belongs to the task before it.
  EXPECT_EQ(rows[1].leader, "李明同志");
  EXPECT_EQ(rows[1].lead_unit, "商务厅、财政厅");
  EXPECT_EQ(rows[1].para, 6u);
  EXPECT_EQ(rows[1].last_para, 7u);  // a guest who reads paragraph 6 only does not see it
  EXPECT_EQ(rows[2].task, "深化国企改革");
  EXPECT_EQ(rows[2].section, "（二）推进改革");
  EXPECT_EQ(rows[2].para, 8u);
  EXPECT_EQ(rows[3].task, "推动民营经济发展");
  for (const auto& row : rows) EXPECT_EQ(row.lead_unit.empty(), row.task != rows[1].task);
  // An excerpt: a lone 一、 heading of heading shape opens the plan.
  const std::string excerpt =
      "一、2026年重点工作\n（一）扩大内需\n促进消费扩容升级。\n（二）推进改革\n深化国企改革。";
  EXPECT_EQ(extract_tasks(report_of(excerpt)).size(), 2u);
  EXPECT_TRUE(has_tasks(report_of(excerpt)));
  // The units of the second half of a sentence that only assigns go with its first half.
  const auto split_sentence = extract_tasks(
      report_of("一、2026年重点工作\n（一）扩大内需\n开展消费品以旧换新。此项工作由李明同志牵头；"
                "商务厅、财政厅共同负责。\n（二）推进改革\n深化国企改革。"));
  ASSERT_EQ(split_sentence.size(), 2u);
  EXPECT_EQ(split_sentence[0].task, "开展消费品以旧换新");
  EXPECT_EQ(split_sentence[0].leader, "李明同志");
  EXPECT_EQ(split_sentence[0].lead_unit, "商务厅、财政厅");
  // The same text in a report of 2027 is a review: no plan, no rows.
  Document later = report_of(excerpt);
  later.date = "2027";
  EXPECT_TRUE(extract_tasks(later).empty());
  EXPECT_FALSE(has_tasks(later));
}

// A heading naming work in a review section ("主要目标任务如期完成") reports work done.
TEST(TasksPlan, ReviewSectionsHoldNoPlan) {
  const auto rows =
      extract_tasks(report_of("一、2025年工作回顾\n"
                              "一是稳住经济大盘。\n"
                              "二是坚决打好攻坚战，主要目标任务如期完成。\n"
                              "全年脱贫人口全部脱贫。\n"
                              "二、2026年重点工作\n"
                              "（一）扩大内需\n"
                              "促进消费扩容升级。\n"
                              "（二）推进改革\n"
                              "深化国企改革。"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task, "促进消费扩容升级");
  EXPECT_EQ(rows[1].task, "深化国企改革");
}

TEST(TasksPlan, PlanHeadings) {
  for (const auto& [heading, year] : std::vector<std::pair<std::string, int>>{
           {"三、2026年重点工作", 2026},
           {"二、“十四五”时期发展成就和“十五五”时期主要目标任务", 2026},
           {"三、关于2026年工作", 2026},
           {"下一步工作打算", 0},
           {"三、全力抓好七项重点工作", 2026},
           {"二、对今年政府工作的建议", 2023},
           {"二、“七五”时期的基本任务和主要建设方针", 1986},
           {"二、我们在一九五九年经济战线上的任务", 1959}}) {
    EXPECT_TRUE(is_plan_heading(heading, year)) << heading;
  }
  for (const auto& [heading, year] :
       std::vector<std::pair<std::string, int>>{{"一、2025年主要工作和“十四五”发展成就", 2026},
                                                {"一、2025年工作回顾", 2026},
                                                {"二、“十五五”时期发展的主要考虑", 2026},
                                                {"一、过去一年主要工作", 2026},
                                                {"今年以来工作情况", 2026},
                                                {"二、“十四五”时期主要目标任务", 2026},
                                                {"三、五大工程建设成效显著", 2026}}) {
    EXPECT_FALSE(is_plan_heading(heading, year)) << heading;
  }
}

TEST(TasksPlan, LeadIns) {
  for (const char* sentence :
       {"当前和今后一个时期，我们要着重做好以下几方面工作。",
        "在这里，我愿宣布中国支持高质量共建“一带一路”的八项行动：",
        "中方愿同拉方携手启动五大工程，共建命运共同体。", "今年要抓好两项工作。",
        "下一步，要重点抓好以下工作：", "明年，我们愿同各方推进“四大合作”。"}) {
    EXPECT_TRUE(is_plan_lead_in(sentence)) << sentence;
  }
  for (const char* sentence :
       {"近一段时间，我们主要做了以下工作。", "为实现党的二十大确定的目标任务而团结奋斗。",
        "第二十条 在千岛湖配水工程管理范围内，禁止下列行为：", "过去五年，我们办好三件事情。",
        "这是一项系统工作。", "下面，我讲几点意见。", "双方开展了三大领域合作。",
        "这是双方合作的重要成果。"}) {
    EXPECT_FALSE(is_plan_lead_in(sentence)) << sentence;
  }
}

// In other texts the plan's rows are the numbered items of the list a lead-in announces; a
// 牵头 in an item's text fills the item; an address ends the list.
TEST(TasksPlan, SpeechListAfterALeadIn) {
  const auto rows = tasks_of(
      "同志们：\n"
      "这次会议很重要。当前和今后一个时期，我们要着重做好以下几方面工作。\n"
      "第一，深刻认识形势。要保持战略清醒。\n"
      "第二，推进理论创新。\n"
      "由市委宣传部牵头，各区配合。\n"
      "第三，扎实推动高质量发展。\n"
      "同志们！\n"
      "这里，我提几点要求。\n"
      "一是牢记国之大者。\n"
      "二是全面增强本领。");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].task, "深刻认识形势");
  EXPECT_EQ(rows[0].last_para, 2u);
  EXPECT_EQ(rows[1].last_para, 4u);  // the 牵头 of its text is in the next paragraph
  EXPECT_EQ(rows[0].para, 2u);
  EXPECT_EQ(rows[0].section, "当前和今后一个时期，我们要着重做好以下几方面工作");
  EXPECT_EQ(rows[1].task, "推进理论创新");
  EXPECT_EQ(rows[1].lead_unit, "市委宣传部");
  EXPECT_EQ(rows[1].partners, (Partners{"各区"}));
  EXPECT_EQ(rows[2].task, "扎实推动高质量发展");
  EXPECT_EQ(rows[2].para, 5u);
}

TEST(TasksPlan, NestedItemsUnderAPlanHeading) {
  const auto rows = tasks_of(
      "一、工作回顾\n"
      "一是完成了改造。\n"
      "二是完成了整治。\n"
      "二、下一步工作安排\n"
      "（一）抓好项目建设。\n"
      "1.加快前期工作；\n"
      "2.加快开工建设。\n"
      "（二）抓好民生保障。要办好实事。\n"
      "三、保障措施\n"
      "（一）加强领导。\n"
      "（二）强化督查。");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].task, "加快前期工作");
  EXPECT_EQ(rows[0].section, "（一）抓好项目建设");
  EXPECT_EQ(rows[1].task, "加快开工建设");
  EXPECT_EQ(rows[2].task, "抓好民生保障");
  EXPECT_EQ(rows[2].section, "二、下一步工作安排");
}

// A marker alone in its paragraph takes its task from the next one, which a reader must read
// to see the row.
TEST(TasksPlan, AMarkerAloneTakesItsTaskFromTheNextParagraph) {
  const auto rows = tasks_of("今年要抓好以下工作。\n第一，\n要转变职能。\n第二，\n要精简机构。");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task, "要转变职能");
  EXPECT_EQ(rows[0].para, 1u);
  EXPECT_EQ(rows[0].last_para, 2u);
  EXPECT_EQ(rows[1].task, "要精简机构");
  EXPECT_EQ(rows[1].last_para, 4u);
}

TEST(TasksPlan, InlineListAfterALeadIn) {
  const auto rows = tasks_of(
      "下一步，我们要重点抓好以下工作：一是加强队伍建设；二是完善制度机制；三是强化督查问责。");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].task, "加强队伍建设");
  EXPECT_EQ(rows[1].task, "完善制度机制");
  EXPECT_EQ(rows[2].task, "强化督查问责");
  for (const auto& row : rows) EXPECT_EQ(row.section, "下一步，我们要重点抓好以下工作");
  EXPECT_TRUE(
      tasks_of("近一段时间，我们主要做了以下工作：一是加强队伍建设；二是完善制度机制。").empty());
}

TEST(TasksPlan, AHeadingLineWithoutANumber) {
  const auto rows = tasks_of(
      "2025年工作总结\n今年完成了各项任务。\n下一步工作打算\n1.加强学习；\n2."
      "完善制度。\n存在的问题\n"
      "1.人员不足；\n2.经费紧张。");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task, "加强学习");
  EXPECT_EQ(rows[0].section, "下一步工作打算");
  EXPECT_EQ(rows[1].task, "完善制度");
}

// An attachment that lists tasks is a plan part; a glossary is not.
TEST(TasksPlan, AttachmentsThatListTasks) {
  const auto rows = tasks_of(
      "一、工作回顾\n过去一年成绩显著。\n"
      "附件1\n2026年十件民生实事\n"
      "1.新增城镇就业10万人（牵头单位：人社厅）。\n"
      "2.改造老旧小区200个，加装电梯（牵头单位：住建厅；配合单位：财政厅、发改委）。\n"
      "附件2\n《政府工作报告》有关名词注释\n"
      "1.“四上”企业：指规模以上企业。\n"
      "2.“双一流”：指一流大学和一流学科。");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task, "新增城镇就业10万人");
  EXPECT_EQ(rows[0].section, "2026年十件民生实事");
  EXPECT_EQ(rows[0].lead_unit, "人社厅");
  EXPECT_EQ(rows[1].task, "改造老旧小区200个，加装电梯");
  EXPECT_EQ(rows[1].lead_unit, "住建厅");
  EXPECT_EQ(rows[1].partners, (Partners{"财政厅", "发改委"}));
}

TEST(TasksPlan, LawsHaveNoPlan) {
  EXPECT_TRUE(tasks_of("第一条 为了规范管理，制定本条例。\n"
                       "第二条 县级以上人民政府应当做好以下工作：\n"
                       "（一）编制规划；\n"
                       "（二）组织实施。")
                  .empty());
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
      EXPECT_LE(text::count_code_points(row.task), row.section.empty() ? 40u : 160u) << id;
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
