// Unit tests of the site's helpers: absolute addresses, path decoding, HTTP dates, hot list
// periods, the TTL cache and the sitemap (the paged form over a real SQLite store).
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "store/store.h"
#include "testing/test_support.h"
#include "web/http/http.h"
#include "web/http/ttl_cache.h"
#include "web/http/url.h"
#include "web/site/hot.h"
#include "web/site/sitemap.h"

namespace wenku::web {
namespace {

TEST(SiteBaseUrl, IsTheSettingElseTheListenAddress) {
  EXPECT_EQ(site_base_url("https://wenku.example.cn/", "127.0.0.1:8080"),
            "https://wenku.example.cn");
  EXPECT_EQ(site_base_url("https://wenku.example.cn//", "127.0.0.1:8080"),
            "https://wenku.example.cn");
  EXPECT_EQ(site_base_url("", "127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(site_base_url("", "[::1]:8080"), "http://[::1]:8080");
}

TEST(PathSegments, DecodeAndEncodeCategoryNames) {
  EXPECT_EQ(decode_path_segment("%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93"), "工作总结");
  EXPECT_EQ(decode_path_segment("plain-name"), "plain-name");
  EXPECT_EQ(decode_path_segment("%ZZ"), std::nullopt);
  EXPECT_EQ(decode_path_segment("%FF%FE"), std::nullopt) << "not UTF-8";
  EXPECT_EQ(category_path("工作总结"), "/category/%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93");
  EXPECT_EQ(category_path(""), "/category/%E6%9C%AA%E5%88%86%E7%B1%BB");
  EXPECT_EQ(category_path("a/b?c#d"), "/category/a%2Fb%3Fc%23d");
  EXPECT_EQ(decode_path_segment(category_path("<b>测试</b>").substr(10)), "<b>测试</b>");
}

TEST(HttpDates, RoundTripAndRejectOtherForms) {
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  for (std::int64_t t : {0LL, 1700000000LL, 4102444800LL}) {
    EXPECT_EQ(parse_http_date(http_date(t)), t) << t;
  }
  for (std::string_view bad : {"", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                               "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT",
                               "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT",
                               "Sun, -6 Nov 1994 08:49:37 GMT"}) {
    EXPECT_EQ(parse_http_date(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(parse_utc_timestamp("1994-11-06 08:49:37"), 784111777);
  EXPECT_EQ(parse_utc_timestamp("1994-11-06T08:49:37"), std::nullopt);
  EXPECT_EQ(parse_utc_timestamp("1994-13-06 08:49:37"), std::nullopt);
  EXPECT_EQ(w3c_datetime("2021-12-25 10:00:00"), "2021-12-25T10:00:00+00:00");
  EXPECT_EQ(w3c_datetime("2021-12-25"), "");
}

TEST(HotPeriods, ParseAndDays) {
  EXPECT_EQ(parse_hot_period(""), HotPeriod::kWeek);
  EXPECT_EQ(parse_hot_period("week"), HotPeriod::kWeek);
  EXPECT_EQ(parse_hot_period("month"), HotPeriod::kMonth);
  EXPECT_EQ(parse_hot_period("year"), std::nullopt);
  EXPECT_EQ(hot_period_name(HotPeriod::kMonth), "month");
  std::tm tm{};
  tm.tm_year = 2024 - 1900;
  tm.tm_mon = 2;  // 2024-03-03, across the end of a leap February
  tm.tm_mday = 3;
  tm.tm_hour = 12;
  tm.tm_isdst = -1;
  const std::time_t now = std::mktime(&tm);
  EXPECT_EQ(local_day(now), "2024-03-03");
  EXPECT_EQ(hot_since_day(HotPeriod::kWeek, now), "2024-02-26");
  EXPECT_EQ(hot_since_day(HotPeriod::kMonth, now), "2024-02-03");
}

TEST(TtlCacheTest, ComputesOnceWhileFreshAndAgainAfterwards) {
  std::chrono::steady_clock::time_point now{};
  TtlCache<int> cache(std::chrono::milliseconds(200), 2, [&] { return now; });
  int calls = 0;
  auto compute = [&] { return ++calls; };
  EXPECT_EQ(*cache.get("a", compute), 1);
  EXPECT_EQ(*cache.get("a", compute), 1);
  EXPECT_EQ(*cache.get("b", compute), 2);
  EXPECT_EQ(*cache.get("c", compute), 3) << "full: emptied, then c stored";
  EXPECT_EQ(*cache.get("a", compute), 4) << "a was dropped with the rest";
  now += std::chrono::milliseconds(199);
  EXPECT_EQ(*cache.get("a", compute), 4) << "still fresh";
  now += std::chrono::milliseconds(1);
  EXPECT_EQ(*cache.get("a", compute), 5) << "expired";
  EXPECT_THROW(cache.get("x", []() -> int { throw std::runtime_error("no"); }), std::runtime_error);
  EXPECT_EQ(*cache.get("x", compute), 6) << "a failure is not cached";
}

TEST(SitemapXml, EscapesAndDeclaresTheNamespace) {
  auto xml = urlset_xml({{"https://x.cn/category/%3Cb%3E?a=1&b=2", "2021-12-25T10:00:00+00:00"},
                         {"https://x.cn/doc/<&>", ""}});
  EXPECT_TRUE(xml.starts_with(R"(<?xml version="1.0" encoding="UTF-8"?>)")) << xml;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  auto urlset = doc.child("urlset");
  EXPECT_STREQ(urlset.attribute("xmlns").value(), "http://www.sitemaps.org/schemas/sitemap/0.9");
  auto first = urlset.child("url");
  EXPECT_STREQ(first.child_value("loc"), "https://x.cn/category/%3Cb%3E?a=1&b=2");
  EXPECT_STREQ(first.child_value("lastmod"), "2021-12-25T10:00:00+00:00");
  EXPECT_STREQ(first.next_sibling("url").child_value("loc"), "https://x.cn/doc/<&>");
  EXPECT_TRUE(first.next_sibling("url").child("lastmod").empty());
  EXPECT_NE(xml.find("&amp;b=2"), std::string::npos);
  EXPECT_EQ(xml.find("<&>"), std::string::npos);
}

TEST(RobotsTxt, AllowsAllButAdminAndSearch) {
  EXPECT_EQ(robots_txt("https://x.cn"),
            "User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /search\n\n"
            "Sitemap: https://x.cn/sitemap.xml\n");
}

// More addresses than one sitemap file holds: /sitemap.xml becomes an index of files that
// together list every address exactly once.
TEST(SitemapPaging, LargeLibrariesGetAnIndexOfFiles) {
  testing::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "wenku.sqlite");
  std::vector<doc::Document> docs;
  const std::size_t n = kSitemapMaxUrls + 5;
  for (std::size_t i = 0; i < n; ++i) {
    doc::Document d;
    d.id = fmt::format("d{:05}", i);
    d.title = "标题";
    d.category = i % 2 ? "甲类" : "乙类";
    d.date = "2020-01-01";
    d.content = "正文。";
    docs.push_back(std::move(d));
  }
  store->put(docs);
  store->put_collection({"topic-a", "专题", "", 0, {"d00001"}});
  Sitemap sitemap(*store);

  pugi::xml_document index;
  ASSERT_TRUE(index.load_string(sitemap.root("https://x.cn").c_str()));
  std::vector<std::string> files;
  for (auto s : index.child("sitemapindex").children("sitemap"))
    files.push_back(s.child_value("loc"));
  // 1 home + 2 categories + 1 topic + n documents.
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], "https://x.cn/sitemap-1.xml");
  EXPECT_EQ(files[1], "https://x.cn/sitemap-2.xml");

  std::set<std::string> seen;
  std::size_t total = 0;
  for (std::size_t f = 1; f <= 2; ++f) {
    auto body = sitemap.file("https://x.cn", f);
    ASSERT_TRUE(body) << f;
    pugi::xml_document page;
    ASSERT_TRUE(page.load_string(body->c_str()));
    std::size_t in_file = 0;
    for (auto url : page.child("urlset").children("url")) {
      seen.insert(url.child_value("loc"));
      ++in_file;
    }
    EXPECT_LE(in_file, kSitemapMaxUrls);
    total += in_file;
  }
  EXPECT_EQ(total, n + 4);
  EXPECT_EQ(seen.size(), total) << "no address twice";
  EXPECT_TRUE(seen.contains("https://x.cn/"));
  EXPECT_TRUE(seen.contains("https://x.cn/topic/topic-a"));
  EXPECT_TRUE(seen.contains("https://x.cn" + category_path("甲类")));
  EXPECT_TRUE(seen.contains("https://x.cn/doc/d00000"));
  EXPECT_TRUE(seen.contains(fmt::format("https://x.cn/doc/d{:05}", n - 1)));
  EXPECT_FALSE(sitemap.file("https://x.cn", 0));
  EXPECT_FALSE(sitemap.file("https://x.cn", 3));
}

TEST(SitemapPaging, SmallLibrariesGetOneUrlset) {
  testing::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "wenku.sqlite");
  doc::Document d;
  d.id = "only";
  d.title = "唯一";
  d.content = "正文。";
  store->put({d});
  Sitemap sitemap(*store);
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(sitemap.root("http://h").c_str()));
  auto urls = xml.child("urlset").children("url");
  std::vector<std::string> locs;
  for (auto u : urls) locs.push_back(u.child_value("loc"));
  EXPECT_EQ(locs, (std::vector<std::string>{"http://h/", "http://h" + category_path(""),
                                            "http://h/doc/only"}));
  EXPECT_FALSE(std::string(xml.child("urlset").last_child().child_value("lastmod")).empty())
      << "documents carry their lastmod";
  EXPECT_FALSE(sitemap.file("http://h", 1)) << "everything is in /sitemap.xml";
}

}  // namespace
}  // namespace wenku::web
