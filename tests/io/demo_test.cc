#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "io/import.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

TEST(DemoDocuments, AreAboutTwentyValidSamplesWithDistinctIds) {
  const std::vector<doc::Document> docs = demo_documents();
  ASSERT_GE(docs.size(), 18u);
  std::set<std::string> ids;
  std::map<std::string, int> per_category;
  for (const auto& d : docs) {
    SCOPED_TRACE(d.id);
    EXPECT_TRUE(d.id.starts_with("demo-"));
    EXPECT_EQ(d.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"), std::string::npos);
    EXPECT_TRUE(ids.insert(d.id).second) << "duplicate id";
    EXPECT_FALSE(d.title.empty());
    EXPECT_FALSE(d.title.starts_with("#"));
    EXPECT_TRUE(text::is_valid_utf8(d.content));
    const int year = doc::year_of(d.date);
    EXPECT_TRUE(year >= 2023 && year <= 2025) << d.date;
    EXPECT_EQ(d.date.size(), 10u);
    const std::size_t chars = text::count_code_points(d.content);
    EXPECT_GE(chars, 300u);
    EXPECT_LE(chars, 900u);
    EXPECT_TRUE(d.content.ends_with("（本文为文库示例范文，仅供参考）")) << "marked as a sample";
    EXPECT_EQ(d.content.find("\n\n"), std::string::npos);
    EXPECT_TRUE(d.source.starts_with("wenku demo/"));
    ++per_category[d.category];
  }
  EXPECT_GE(per_category["讲话稿"], 3);
  for (const char* category : {"工作总结", "工作计划", "心得体会", "调研报告", "述职报告",
                               "汇报材料", "通知", "实施方案", "主持词", "表态发言", "党课讲稿"}) {
    EXPECT_GE(per_category[category], 1) << category;
  }
}

TEST(DemoDocuments, KeepMetadataFromTheFileName) {
  const std::vector<doc::Document> docs = demo_documents();
  auto it = std::find_if(docs.begin(), docs.end(),
                         [](const auto& d) { return d.id == "demo-anquan-shengchan"; });
  ASSERT_NE(it, docs.end());
  EXPECT_EQ(it->category, "讲话稿");
  EXPECT_EQ(it->date, "2024-03-15");
  EXPECT_EQ(it->title, "在全区安全生产工作会议上的讲话");
  EXPECT_NE(it->content.find("由区应急管理局牵头"), std::string::npos);
}

TEST(DemoDocuments, CanBeStoredTwiceWithoutDuplicates) {
  testing::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "wenku.db");
  const auto docs = demo_documents();
  for (const auto& result : store->put(docs)) EXPECT_TRUE(result.inserted);
  for (const auto& result : store->put(demo_documents())) EXPECT_FALSE(result.inserted);
  EXPECT_EQ(store->count(), static_cast<std::int64_t>(docs.size()));
  EXPECT_EQ(store->get("demo-quanqu-ganbu-dahui")->title, "在全区领导干部大会上的讲话");
}

}  // namespace
}  // namespace wenku::io
