#include "web/site/dates.h"

#include <gtest/gtest.h>

namespace wenku::web {
namespace {

TEST(DatesTest, PublishedLabelIsWhatTheSourceGives) {
  EXPECT_EQ(published_label("2020-11-24"), "2020年11月24日");
  EXPECT_EQ(published_label("2020-01-08"), "2020年1月8日");
  EXPECT_EQ(published_label("2020-11"), "2020年11月");
  EXPECT_EQ(published_label("2016"), "2016年");
  EXPECT_EQ(published_label(""), "");
  // Not a date field: nothing rather than a guess.
  for (const char* bad : {"2020-13-01", "2020-00", "2020-11-32", "2020/11/24", "20201124",
                          "二〇二〇", "2020-1-8", "abcd"}) {
    EXPECT_EQ(published_label(bad), "") << bad;
    EXPECT_EQ(published_datetime(bad), "") << bad;
  }
  EXPECT_EQ(published_datetime("2020-11-24"), "2020-11-24");
  EXPECT_EQ(published_datetime("2016"), "2016");
}

TEST(DatesTest, ReceivedLabelIsTheImportMomentInChinaTime) {
  EXPECT_EQ(received_label("2026-12-06 11:20:08"), "2026-12-06 19:20");
  // Across midnight and a year end.
  EXPECT_EQ(received_label("2025-12-31 18:30:00"), "2026-01-01 02:30");
  EXPECT_EQ(received_label(""), "");
  EXPECT_EQ(received_label("yesterday"), "");
  EXPECT_EQ(china_minute(0), "1970-01-01 08:00");
}

TEST(DatesTest, ListedTitleCarriesTheDayOnlyWhereItIsKnown) {
  EXPECT_EQ(listed_title("在座谈会上的讲话", "2020-11-24", true), "20201124:在座谈会上的讲话");
  EXPECT_EQ(listed_title("在座谈会上的讲话", "2020-11-24", false), "在座谈会上的讲话");
  EXPECT_EQ(listed_title("2016年政府工作报告", "2016", true), "2016年政府工作报告");
  EXPECT_EQ(listed_title("某月的通知", "2020-11", true), "某月的通知");
  EXPECT_EQ(listed_title("无日期的法规", "", true), "无日期的法规");
  // A title that already carries a prefix does not get a second one.
  EXPECT_EQ(listed_title("20201124:在座谈会上的讲话", "2020-11-24", true),
            "20201124:在座谈会上的讲话");
  // Eight digits without the colon are the title's own text.
  EXPECT_EQ(listed_title("20201124号文件", "2020-11-24", true), "20201124:20201124号文件");
}

}  // namespace
}  // namespace wenku::web
