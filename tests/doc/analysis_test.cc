#include "doc/analysis.h"

#include <gtest/gtest.h>

namespace wenku::doc {
namespace {

TEST(Analysis, JsonHasTheIssueShapeAndKeyOrder) {
  Analysis a;
  a.title = "区委书记在全区大会上的讲话";
  a.outline = {OutlineItem{1, "一、总体要求", 2}};
  a.template_text = "X年X月X日";
  TaskRow row;
  row.task = "老旧小区改造";
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
      R"("template":"X年X月X日","tasks":[{"task":"老旧小区改造","leader":"李明同志","lead_unit":"市商务局",)"
      R"("partners":["财政局","税务局"],"implementer":"","deadline":"6月底前","para":4}],"keywords":[]})");
}

TEST(Analysis, EmptyAnalysisHasEmptyArrays) {
  EXPECT_EQ(analysis_to_json(Analysis{}).dump(),
            R"({"title":"","outline":[],"template":"","tasks":[],"keywords":[]})");
}

TEST(Analysis, ToJsonOfSingleItems) {
  const nlohmann::json item = OutlineItem{2, "（一）", 7};
  EXPECT_EQ(item.at("level"), 2);
  EXPECT_EQ(item.at("para"), 7);
  const nlohmann::json row = TaskRow{};
  EXPECT_TRUE(row.at("partners").is_array());
}

}  // namespace
}  // namespace wenku::doc
