// Starts the real `wenku serve --demo` (login wall on by default), adds one long text and
// checks the JSON API over HTTP.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "search/searcher.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "web/http/url.h"
#include "web/site/hot.h"

namespace wenku::web {
namespace {

using nlohmann::json;

// The sample texts of demo/ in the source tree.
const std::filesystem::path kDemoDir =
    testing::test_data_dir().parent_path().parent_path() / "demo";

// Demo texts given views by the suite: 3 today and 1 twenty days ago; 1 twenty days ago.
constexpr const char* kHotToday = "demo-fangxun-bushu";
constexpr const char* kHotThisMonth = "demo-yingshang-huanjing";

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto data = (dir_->path() / "data").string();
    server_ = new testing::ServerProcess(
        {testing::wenku_binary().string(), "serve", "--data", data, "--demo"});
    port_ = server_->port();
    ready_ = port_ != 0;
    if (!ready_) return;
    // A text far longer than the guest preview, its last paragraph holding a secret word,
    // imported while the server runs (its index follower picks it up within a second).
    std::string text = "关于加强安全生产工作的长篇讲话\n";
    for (int i = 0; i < 60; ++i) text += "各级各部门要切实加强安全生产工作，压实责任，排查隐患。\n";
    text += "末尾段落只有会员能看到的机密词语。\n";
    auto file = dir_->path() / "long.txt";
    testing::write_file(file, text);
    auto imported =
        testing::run({testing::wenku_binary().string(), "import", "--data", data, file.string()});
    EXPECT_EQ(imported.exit_code, 0) << imported.out;
    for (int i = 0; i < 100 && !long_text_indexed(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Views of two demo texts, today and 20 days ago, written to the store the server reads
    // (before any request asks for a hot list, which the server caches for a minute).
    const std::time_t now = std::time(nullptr);
    std::vector<store::ViewEvent> views;
    for (int v = 0; v < 3; ++v)
      views.push_back({kHotToday, local_day(now), "visitor" + std::to_string(v)});
    views.push_back({kHotThisMonth, local_day(now, 20), "visitor-a"});
    views.push_back({kHotToday, local_day(now, 20), "visitor-a"});
    EXPECT_EQ(store::open_sqlite(dir_->path() / "data" / "wenku.sqlite")->add_views(views), 5);
  }
  static bool long_text_indexed() {
    auto r = testing::http_get(port_, "/api/v1/search?q=" + encode_query_value("机密词语"));
    return r.body.find("\"total\":1") != std::string::npos;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
    server_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "wenku serve did not start"; }

  // GETs `target`, checks the status and the JSON content type, and parses the body.
  static json get_json(const std::string& target, int status = 200) {
    auto r = testing::http_get(port_, target);
    EXPECT_EQ(r.status, status) << target << "\n" << r.body;
    EXPECT_NE(r.headers.find("Content-Type: application/json"), std::string::npos) << r.headers;
    auto parsed = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << r.body;
    return parsed;
  }

  static json search(const std::string& params) { return get_json("/api/v1/search?" + params); }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static int port_;
  static bool ready_;
};

testing::TempDir* ApiTest::dir_ = nullptr;
testing::ServerProcess* ApiTest::server_ = nullptr;
int ApiTest::port_ = 0;
bool ApiTest::ready_ = false;

TEST_F(ApiTest, SearchHasTheDocumentedShape) {
  auto r = search("q=" + encode_query_value("工作"));
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["query"], "工作");
  EXPECT_GT(r["total"].get<int>(), 0);
  EXPECT_GE(r["took_ms"].get<double>(), 0);
  EXPECT_EQ(r["page"], 1);
  ASSERT_FALSE(r["hits"].empty());
  for (const auto& hit : r["hits"]) {
    for (auto key : {"id", "title", "date", "category", "score", "snippet"}) {
      EXPECT_TRUE(hit.contains(key)) << key;
    }
  }
  std::int64_t by_category = 0;
  for (const auto& f : r["facets"]["category"]) by_category += f["count"].get<std::int64_t>();
  EXPECT_EQ(by_category, r["total"].get<std::int64_t>()) << "category facets count every hit";
  EXPECT_TRUE(r["facets"]["year"].is_array());
  EXPECT_FALSE(r.contains("notice"));
}

TEST_F(ApiTest, FiltersSortAndPaginationAreApplied) {
  auto all = search("q=" + encode_query_value("工作") + "&limit=100");
  ASSERT_FALSE(all["facets"]["category"].empty());
  auto category = all["facets"]["category"][0]["value"].get<std::string>();
  auto count = all["facets"]["category"][0]["count"].get<int>();
  auto filtered =
      search("q=" + encode_query_value("工作") + "&cat=" + encode_query_value(category));
  EXPECT_EQ(filtered["total"], count);
  for (const auto& hit : filtered["hits"]) EXPECT_EQ(hit["category"], category);

  auto newest = search("q=" + encode_query_value("工作") + "&sort=newest&limit=100");
  std::string previous = "9999";
  for (const auto& hit : newest["hits"]) {
    auto date = hit["date"].get<std::string>();
    EXPECT_LE(date, previous);
    previous = date;
  }
  auto page2 = search("q=" + encode_query_value("工作") + "&limit=1&page=2");
  EXPECT_EQ(page2["page"], 2);
  ASSERT_EQ(page2["hits"].size(), 1u);
  EXPECT_EQ(page2["hits"][0]["id"], all["hits"][1]["id"]);
}

TEST_F(ApiTest, NoticesAndRelaxation) {
  auto degraded = search("q=" + encode_query_value("工作 年份:abc"));
  EXPECT_TRUE(degraded.contains("notice"));
  auto relaxed = search("q=" + encode_query_value("工作 完全不可能出现的词语组合"));
  EXPECT_EQ(relaxed["relaxed"], true);
  EXPECT_GT(relaxed["total"].get<int>(), 0);
  EXPECT_TRUE(relaxed.contains("notice"));
}

TEST_F(ApiTest, BadParametersAre400s) {
  for (std::string params :
       {"q=x&sort=best", "q=x&page=0", "q=x&limit=1000", "q=x&year=abc", "q=%ZZ", "q=%FF%FE"}) {
    auto r = get_json("/api/v1/search?" + params, 400);
    EXPECT_TRUE(r.contains("error")) << params;
  }
}

// Queries too large to search cheaply are refused before any work, with the reason.
TEST_F(ApiTest, OversizedQueriesAreRefusedWithTheReason) {
  std::string longest;
  for (std::size_t i = 0; i < search::kMaxQueryChars; ++i) longest += "政";
  EXPECT_TRUE(search("q=" + encode_query_value(longest)).contains("hits"));
  auto too_long = get_json("/api/v1/search?q=" + encode_query_value(longest + "府"), 400);
  EXPECT_NE(too_long["error"].get<std::string>().find("搜索词太长"), std::string::npos) << too_long;
  std::string many;
  for (std::size_t i = 0; i <= search::kMaxQueryTerms; ++i) {
    many += (i ? " OR 的" : "的") + std::to_string(i);  // 17 different alternatives
  }
  auto too_many = get_json("/api/v1/search?q=" + encode_query_value(many), 400);
  EXPECT_NE(too_many["error"].get<std::string>().find("搜索词太多"), std::string::npos) << too_many;
  EXPECT_TRUE(
      get_json("/api/v1/suggest?q=" + encode_query_value(longest + "府"), 400).contains("error"));
}

TEST_F(ApiTest, SuggestCompletes) {
  auto r = get_json("/api/v1/suggest?q=" + encode_query_value("工作"));
  EXPECT_EQ(r["query"], "工作");
  ASSERT_FALSE(r["suggestions"].empty());
  EXPECT_NE(r["suggestions"][0].get<std::string>().find("工作"), std::string::npos);
}

TEST_F(ApiTest, DocsAndRelatedShowOnlyTheGuestPreview) {
  auto hits = search("q=" + encode_query_value("机密词语"))["hits"];
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["snippet"].get<std::string>().find("机密"), std::string::npos)
      << "the snippet of a gated text comes from the guest preview";
  auto id = hits[0]["id"].get<std::string>();
  auto d = get_json("/api/v1/docs/" + id);
  EXPECT_EQ(d["id"], id);
  EXPECT_EQ(d["complete"], false) << "the login wall is on by default: guests see the preview";
  EXPECT_TRUE(d["outline"].is_array());
  EXPECT_EQ(d["content"].get<std::string>().find("机密"), std::string::npos);
  auto related = get_json("/api/v1/related/" + id);
  EXPECT_EQ(related["id"], id);
  ASSERT_FALSE(related["related"].empty());
  for (const auto& r : related["related"]) {
    EXPECT_NE(r["id"], id);
    EXPECT_EQ(r["excerpt"].get<std::string>().find("机密"), std::string::npos);
    for (auto key : {"id", "title", "date", "category", "score", "excerpt"}) {
      EXPECT_TRUE(r.contains(key)) << key;
    }
  }
  EXPECT_TRUE(get_json("/api/v1/docs/no-such-doc", 404).contains("error"));
  EXPECT_TRUE(get_json("/api/v1/related/no-such-doc", 404).contains("error"));
}

TEST_F(ApiTest, HotListsHaveTheDocumentedShape) {
  // This week: the text viewed today, with its 3 views of the week and 4 in all; this month
  // also the one viewed 20 days ago, after it.
  const std::map<std::string, std::vector<std::tuple<std::string, int, int>>> expected = {
      {"week", {{kHotToday, 4, 3}}}, {"month", {{kHotToday, 4, 4}, {kHotThisMonth, 1, 1}}}};
  for (const auto& [period, docs] : expected) {
    auto r = get_json("/api/v1/hot?period=" + period + "&limit=5");
    EXPECT_EQ(r["period"], period);
    ASSERT_TRUE(r["docs"].is_array());
    ASSERT_EQ(r["docs"].size(), docs.size()) << r;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const auto& [id, views, period_views] = docs[i];
      EXPECT_EQ(r["docs"][i]["id"], id) << r;
      EXPECT_EQ(r["docs"][i]["views"], views) << r;
      EXPECT_EQ(r["docs"][i]["period_views"], period_views) << r;
    }
    for (const auto& d : r["docs"]) {
      for (auto key : {"id", "title", "date", "category", "views", "period_views"}) {
        EXPECT_TRUE(d.contains(key)) << key;
      }
      EXPECT_GE(d["views"].get<std::int64_t>(), d["period_views"].get<std::int64_t>());
    }
  }
  EXPECT_EQ(get_json("/api/v1/hot")["period"], "week") << "week by default";
  for (std::string params : {"period=year", "limit=0", "limit=51", "limit=x"}) {
    EXPECT_TRUE(get_json("/api/v1/hot?" + params, 400).contains("error")) << params;
  }
}

}  // namespace
}  // namespace wenku::web
