// The public site over HTTP against the real `wenku serve`: every page route of issue 6 (home,
// document page, QR codes, 微信订阅号 image, categories, hot lists, 专题, accounts placeholders,
// sitemap, robots.txt), escaping of hostile strings, the login wall, gzip, conditional GETs
// and HEAD.
#include <utility>  // before Boost.Asio: Boost 1.74 needs it under C++20

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "http_client.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "web/http/http.h"
#include "web/http/url.h"
#include "web/site/hot.h"
#include "web/site/qr.h"
#include "web/site/settings.h"

namespace wenku::web {
namespace {

namespace http = boost::beast::http;
using testing_http::fetch;
using testing_http::Reply;

constexpr std::string_view kHostileEscaped =
    "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&quot;&#39;&amp;";
constexpr std::string_view kBrowser =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44";

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string jsonl_line(const std::string& id, const std::string& title, const std::string& date,
                       const std::string& category, const std::string& content) {
  return nlohmann::json{{"id", id},         {"title", title},
                        {"date", date},     {"category", category},
                        {"source", "test"}, {"content", content}}
             .dump() +
         "\n";
}

// A text of `paragraphs` paragraphs, the last one holding `secret`.
std::string long_text(int paragraphs, const std::string& secret) {
  std::string content;
  for (int i = 1; i < paragraphs; ++i) {
    content += fmt::format("第{}段：坚持以人民为中心的发展思想，扎实推进乡村振兴各项工作。\n", i);
  }
  return content + secret;
}

// Imports `jsonl` into a fresh data directory, lets `prepare` write to its store, then runs
// `wenku serve` on it with `flags`.
class RunningSite {
 public:
  RunningSite(const std::string& jsonl, const std::vector<std::string>& flags,
              const std::function<void(store::Store&)>& prepare = {}) {
    auto file = dir_.path() / "docs.jsonl";
    testing::write_file(file, jsonl);
    auto imported = testing::run({testing::wenku_binary(), "import", "--data", data(), file});
    EXPECT_EQ(imported.exit_code, 0) << imported.out;
    if (prepare) prepare(*store::open_sqlite(data() / "wenku.sqlite"));
    std::vector<std::string> argv{testing::wenku_binary(), "serve", "--data", data()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    server_ = std::make_unique<testing::ServerProcess>(argv);
    port_ = server_->port();
    ready_ = port_ != 0;
  }
  std::filesystem::path data() const { return dir_.path() / "data"; }
  int port() const { return port_; }
  bool ready() const { return ready_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  testing::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<testing::ServerProcess> server_;
  bool ready_ = false;
};

constexpr int kWorkDocs = 25;  // in 工作总结: two category pages of 20

class SiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string jsonl =
        jsonl_line("evil-1", R"(<script>alert(1)</script>"'&)", "2021-12-25", "<b>测试</b>",
                   "正文<script>alert(2)</script>推动高质量发展。\n第二段乡村振兴。");
    jsonl += jsonl_line("long-1", "20211225:关于乡村振兴的长篇讲话", "2022", "讲话稿",
                        long_text(40, "最后一段只有会员才能读到。"));
    for (int i = 0; i < kWorkDocs; ++i) {
      jsonl += jsonl_line(fmt::format("work-{:02}", i), fmt::format("第{}篇工作总结", i),
                          fmt::format("2020-01-{:02}", i + 1), "工作总结",
                          fmt::format("今年以来，我们围绕中心工作第{}项任务，推进乡村振兴。", i));
    }
    jsonl += jsonl_line("plain-1", "没有分类的文档", "2019", "", "这是一篇没有分类的文档。");
    site_ = new RunningSite(jsonl, {}, [](store::Store& store) {
      const std::string today = local_day(std::time(nullptr));
      const std::string long_ago = local_day(std::time(nullptr), 20);
      std::vector<store::ViewEvent> views;
      for (int v = 0; v < 5; ++v) views.push_back({"work-03", today, fmt::format("v{}", v)});
      for (int v = 0; v < 3; ++v) views.push_back({"evil-1", today, fmt::format("v{}", v)});
      for (int v = 0; v < 7; ++v) views.push_back({"work-07", long_ago, fmt::format("v{}", v)});
      store.add_views(views);
      store.put_collection(
          {"xiangcun", "乡村振兴专题", "专题<说明>", 0, {"work-02", "evil-1", "work-01"}});
    });
  }
  static void TearDownTestSuite() {
    delete site_;
    site_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(site_->ready()) << "wenku serve did not start"; }

  static Reply get(const std::string& target, const testing_http::Headers& headers = {}) {
    return fetch(site_->port(), http::verb::get, target, headers);
  }
  static Reply head(const std::string& target) {
    return fetch(site_->port(), http::verb::head, target);
  }
  // The absolute address of `path` as the test client reaches the site, HTML-escaped by mstch.
  static std::string escaped_url(const std::string& path) {
    std::string out;
    for (char c : site_->base() + path) {
      if (c == '/') {
        out += "&#x2F;";
      } else {
        out += c;
      }
    }
    return out;
  }

  static RunningSite* site_;
};
RunningSite* SiteTest::site_ = nullptr;

TEST_F(SiteTest, HomeShowsSearchCategoriesLatestHotAndTopics) {
  auto r = get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header(http::field::content_type), "text/html; charset=utf-8");
  EXPECT_TRUE(contains(r.body, R"(<form id="search-form")"));
  EXPECT_TRUE(contains(r.body, R"(name="q")"));
  EXPECT_TRUE(contains(r.body, "<li><a href=\"&#x2F;category&#x2F;" +
                                   encode_query_value("工作总结") +
                                   "\">工作总结</a> <span class=\"count\">25</span></li>"));
  EXPECT_TRUE(contains(r.body, "<section id=\"latest\">"));
  EXPECT_TRUE(contains(r.body, R"(<a href="/doc/long-1">)"));
  EXPECT_TRUE(contains(r.body, R"(<button type="button" id="hot-tab-week")"));
  // 本周热门: work-03 (5 views today) before evil-1 (3); work-07 (20 days ago) only this month.
  auto week = r.body.substr(r.body.find("id=\"hot-week\""));
  week = week.substr(0, week.find("id=\"hot-month\""));
  EXPECT_LT(week.find("/doc/work-03"), week.find("/doc/evil-1"));
  EXPECT_FALSE(contains(week, "/doc/work-07"));
  auto month = r.body.substr(r.body.find("id=\"hot-month\""));
  EXPECT_LT(month.find("/doc/work-07"), month.find("/doc/work-03"));
  EXPECT_TRUE(contains(r.body, R"(<a href="&#x2F;topic&#x2F;xiangcun">乡村振兴专题</a>)"));
  EXPECT_TRUE(contains(r.body, "<link rel=\"canonical\" href=\"" + escaped_url("/") + "\">"));
  EXPECT_TRUE(contains(r.body, R"(<meta property="og:type" content="website">)"));
}

TEST_F(SiteTest, DocumentPageHasEveryPartAndTheLoginWall) {
  auto r = get("/doc/long-1");
  ASSERT_EQ(r.status, 200);
  const std::string& b = r.body;
  EXPECT_TRUE(contains(b, R"(<h1 class="doc-title">20211225:关于乡村振兴的长篇讲话</h1>)"));
  // The date is only a year: 发布时间 says just that; when the text was added is 收录时间.
  EXPECT_TRUE(contains(b, R"(<time class="doc-published" datetime="2022">2022年</time>)"));
  EXPECT_TRUE(std::regex_search(
      b,
      std::regex(
          R"(<dt>收录时间</dt><dd class="doc-received">20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}</dd>)")));
  EXPECT_TRUE(std::regex_search(b, std::regex(R"(<span class="doc-views">[0-9]+</span>)")));
  EXPECT_TRUE(contains(b, R"(<nav class="breadcrumb")"));
  EXPECT_TRUE(contains(b, "&#x2F;category&#x2F;" + encode_query_value("讲话稿") + "\">讲话稿</a>"));
  EXPECT_TRUE(contains(b, R"(<ul class="tags")")) << "keywords from the import";
  EXPECT_TRUE(contains(b, R"(<p id="p1">第1段)"));
  // The login wall is on by default.
  EXPECT_FALSE(contains(b, "最后一段只有会员才能读到"));
  EXPECT_TRUE(contains(b, R"(<div class="read-more" id="read-more">)"));
  EXPECT_TRUE(contains(b, "想阅读完全部图文内容，您需要先登录！"));
  EXPECT_TRUE(contains(b, R"(<a class="button btn-login" href="/login?next=/doc/)"));
  EXPECT_TRUE(
      contains(b, R"(<a class="button secondary btn-register" href="/register?next=/doc/)"));
  // 分享, 关于本文, 相关内容, 热门推荐 and the side bar.
  const std::string permalink = escaped_url("/doc/long-1");
  EXPECT_TRUE(contains(b, qr_svg(site_->base() + "/doc/long-1")));
  EXPECT_TRUE(contains(b, "微信扫一扫在手机阅读、分享本文"));
  EXPECT_TRUE(
      contains(b, "id=\"copy-link\" class=\"button secondary\" data-url=\"" + permalink + "\""));
  EXPECT_TRUE(contains(b, "<dt>链接地址</dt><dd><a href=\"" + permalink + "\">" + permalink));
  EXPECT_TRUE(contains(b, "<section id=\"related\""));
  EXPECT_TRUE(std::regex_search(
      b, std::regex(R"(<section id="related"[\s\S]*?<a href="/doc/[a-z0-9-]+">)")))
      << "related documents from the index";
  EXPECT_TRUE(contains(b, R"(id="hot-tab-month")"));
  EXPECT_TRUE(contains(b, "<aside class=\"sidebar\">"));
  EXPECT_TRUE(contains(b, "微信订阅号"));
  EXPECT_TRUE(contains(b, R"(href="/feedback">联系客服</a>)"));
  EXPECT_TRUE(contains(b, R"(btn-template" href="/doc/long-1/template">模板版</a>)"));
  EXPECT_TRUE(contains(b, R"(class="button secondary btn-favorite" data-id="long-1")"));
  // SEO.
  EXPECT_TRUE(contains(b, "<link rel=\"canonical\" href=\"" + permalink + "\">"));
  EXPECT_TRUE(contains(b, "<meta property=\"og:url\" content=\"" + permalink + "\">"));
  EXPECT_TRUE(contains(b, R"(<meta property="og:type" content="article">)"));
  EXPECT_TRUE(contains(
      b, R"(<meta property="og:title" content="20211225:关于乡村振兴的长篇讲话 - 文库">)"));
  EXPECT_TRUE(contains(b, R"(<meta property="og:description" content="第1段)"));
  EXPECT_FALSE(contains(b, "noindex"));
}

TEST_F(SiteTest, DocumentPagePublishTimeUsesTheDocumentsDate) {
  auto r = get("/doc/evil-1");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(
      r.body, R"(<time class="doc-published" datetime="2021-12-25">2021年12月25日</time>)"));
}

TEST_F(SiteTest, HostileStringsAreEscapedEverywhere) {
  const std::string category_link = "&#x2F;category&#x2F;" + encode_query_value("<b>测试</b>");
  for (const std::string& target :
       std::vector<std::string>{"/", "/doc/evil-1", "/hot", "/hot?period=month", "/topic/xiangcun",
                                "/category/" + encode_query_value("<b>测试</b>")}) {
    auto r = get(target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_TRUE(contains(r.body, std::string(kHostileEscaped))) << target;
    EXPECT_FALSE(contains(r.body, "<script>")) << target;
    EXPECT_FALSE(contains(r.body, "<b>")) << target;
  }
  auto doc = get("/doc/evil-1");
  EXPECT_TRUE(contains(doc.body, "<meta property=\"og:title\" content=\"20211225:" +
                                     std::string(kHostileEscaped) + " - 文库\">"));
  EXPECT_TRUE(
      contains(doc.body, "<title>20211225:" + std::string(kHostileEscaped) + " - 文库</title>"));
  EXPECT_TRUE(contains(doc.body, "&lt;b&gt;测试&lt;&#x2F;b&gt;</a>"));
  EXPECT_TRUE(contains(doc.body, category_link));
  auto category = get("/category/" + encode_query_value("<b>测试</b>"));
  EXPECT_TRUE(contains(
      category.body, "<h1>&lt;b&gt;测试&lt;&#x2F;b&gt; <span class=\"count\">共 1 篇</span></h1>"));
  // The sitemap is well-formed XML holding the encoded category address.
  auto sitemap = get("/sitemap.xml");
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(sitemap.body.c_str())) << sitemap.body;
  EXPECT_TRUE(
      contains(sitemap.body, "<loc>" + site_->base() + category_path("<b>测试</b>") + "</loc>"));
  // JSON carries the title as it is.
  auto api = nlohmann::json::parse(get("/api/v1/hot?period=week").body);
  bool found = false;
  for (const auto& d : api["docs"]) {
    if (d["id"] == "evil-1") found = d["title"] == R"(<script>alert(1)</script>"'&)";
  }
  EXPECT_TRUE(found) << api.dump();
}

TEST_F(SiteTest, QrCodesEncodeThePermalink) {
  auto r = get("/qr/doc/long-1.svg");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header(http::field::content_type), "image/svg+xml");
  EXPECT_EQ(r.body, qr_svg(site_->base() + "/doc/long-1"));
  pugi::xml_document svg;
  ASSERT_TRUE(svg.load_string(r.body.c_str()));
  EXPECT_FALSE(std::string(svg.child("svg").child("path").attribute("d").value()).empty());
  // The Host header is never written into links: without a 网站地址 setting they use the
  // listen address, whatever Host the request names.
  for (const char* host : {"wenku.test:81", "evil.example", "evil.test/\"<x>"}) {
    EXPECT_EQ(get("/qr/doc/long-1.svg", {{http::field::host, host}}).body,
              qr_svg(site_->base() + "/doc/long-1"))
        << host;
    for (const char* target : {"/doc/long-1", "/sitemap.xml", "/robots.txt", "/"}) {
      auto page = get(target, {{http::field::host, host}});
      EXPECT_FALSE(contains(page.body, "evil.") || contains(page.body, "wenku.test"))
          << target << " with Host " << host;
    }
  }
  // Cached by its ETag.
  auto etag = r.header(http::field::etag);
  ASSERT_FALSE(etag.empty());
  auto again = get("/qr/doc/long-1.svg", {{http::field::if_none_match, etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(get("/qr/doc/no-such-doc.svg").status, 404);
}

TEST_F(SiteTest, CategoryPagesPaginateAndSort) {
  const std::string path = "/category/" + encode_query_value("工作总结");
  auto first = get(path);
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(contains(first.body, "<h1>工作总结 <span class=\"count\">共 25 篇</span></h1>"));
  EXPECT_LT(first.body.find("/doc/work-24"), first.body.find("/doc/work-23")) << "newest first";
  EXPECT_FALSE(contains(first.body, "/doc/work-04\"")) << "only 20 on page 1";
  auto second = get(path + "?page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(contains(second.body, "/doc/work-00\""));
  EXPECT_TRUE(contains(second.body, R"(<span class="current" aria-current="page">2</span>)"));
  auto hot = get(path + "?sort=hot");
  ASSERT_EQ(hot.status, 200);
  EXPECT_LT(hot.body.find("/doc/work-07\""), hot.body.find("/doc/work-03\""))
      << "most viewed first";
  EXPECT_LT(hot.body.find("/doc/work-03\""), hot.body.find("/doc/work-24\""));
  EXPECT_EQ(get(path + "?page=3").status, 404);
  EXPECT_EQ(get(path + "?sort=best").status, 400);
  EXPECT_EQ(get("/category/" + encode_query_value("没有这个分类")).status, 404);
  EXPECT_EQ(get("/category/%FF%FE").status, 400);
  auto broken = get("/%C3%28");  // RESTinio's router refuses such paths itself
  EXPECT_EQ(broken.status, 400);
  EXPECT_TRUE(contains(broken.body, "请求无效"));
  auto uncategorized = get(category_path(""));
  ASSERT_EQ(uncategorized.status, 200);
  EXPECT_TRUE(contains(uncategorized.body, R"(<a href="/doc/plain-1">没有分类的文档</a>)"));
  EXPECT_FALSE(contains(uncategorized.body, "/doc/work-"));
}

TEST_F(SiteTest, HotPagesAndApi) {
  auto week = get("/hot");
  ASSERT_EQ(week.status, 200);
  EXPECT_TRUE(contains(week.body, "<h1>本周热门</h1>"));
  EXPECT_TRUE(contains(week.body, "期间阅读 5"));
  EXPECT_FALSE(contains(week.body, "/doc/work-07\""));
  auto month = get("/hot?period=month");
  ASSERT_EQ(month.status, 200);
  EXPECT_TRUE(contains(month.body, "<h1>本月热门</h1>"));
  EXPECT_TRUE(contains(month.body, "/doc/work-07\""));
  EXPECT_EQ(get("/hot?period=year").status, 400);

  auto api = get("/api/v1/hot?period=month&limit=2");
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(api.header(http::field::content_type), "application/json; charset=utf-8");
  auto json = nlohmann::json::parse(api.body);
  EXPECT_EQ(json["period"], "month");
  ASSERT_EQ(json["docs"].size(), 2u);
  EXPECT_EQ(json["docs"][0]["id"], "work-07");
  EXPECT_EQ(json["docs"][0]["period_views"], 7);
  EXPECT_EQ(json["docs"][0]["category"], "工作总结");
  EXPECT_EQ(json["docs"][1]["id"], "work-03");
}

TEST_F(SiteTest, TopicPageKeepsTheCuratedOrder) {
  auto r = get("/topic/xiangcun");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<h1>乡村振兴专题</h1>"));
  EXPECT_TRUE(contains(r.body, "专题&lt;说明&gt;"));
  EXPECT_LT(r.body.find("/doc/work-02\""), r.body.find("/doc/evil-1\""));
  EXPECT_LT(r.body.find("/doc/evil-1\""), r.body.find("/doc/work-01\""));
  EXPECT_EQ(get("/topic/no-such-topic").status, 404);
}

TEST_F(SiteTest, LoginAndRegisterAreFormsThatAreNotIndexed) {
  for (const char* target : {"/login", "/register"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_TRUE(contains(r.body, R"(<form id="account-form")")) << target;
    EXPECT_TRUE(contains(r.body, R"(name="username")")) << target;
    EXPECT_TRUE(contains(r.body, R"(name="password")")) << target;
    EXPECT_TRUE(
        std::regex_search(r.body, std::regex(R"re(name="csrf_token" value="[0-9a-f]{64}")re")))
        << target;
    EXPECT_TRUE(contains(r.body, R"(<meta name="robots" content="noindex">)")) << target;
  }
}

TEST_F(SiteTest, SearchPagesAreNotIndexed) {
  auto r = get("/search?q=" + encode_query_value("乡村振兴"));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, R"(<meta name="robots" content="noindex">)"));
}

TEST_F(SiteTest, SitemapAndRobots) {
  auto r = get("/sitemap.xml");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header(http::field::content_type), "application/xml; charset=utf-8");
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(r.body.c_str()));
  std::set<std::string> locs;
  for (auto url : xml.child("urlset").children("url")) {
    locs.insert(url.child_value("loc"));
    if (std::string(url.child_value("loc")).find("/doc/") != std::string::npos) {
      EXPECT_TRUE(std::regex_match(url.child_value("lastmod"),
                                   std::regex(R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\+00:00)")));
    }
  }
  // Home, 4 categories, 1 topic and every document.
  EXPECT_EQ(locs.size(), 1u + 4 + 1 + 2 + kWorkDocs + 1);
  EXPECT_TRUE(locs.contains(site_->base() + "/"));
  EXPECT_TRUE(locs.contains(site_->base() + "/doc/long-1"));
  EXPECT_TRUE(locs.contains(site_->base() + "/topic/xiangcun"));
  EXPECT_TRUE(locs.contains(site_->base() + category_path("")));
  EXPECT_EQ(get("/sitemap-1.xml").status, 404) << "a small library has one file";

  auto robots = get("/robots.txt");
  ASSERT_EQ(robots.status, 200);
  EXPECT_EQ(robots.header(http::field::content_type), "text/plain; charset=utf-8");
  EXPECT_TRUE(contains(robots.body, "User-agent: *\nAllow: /\n"));
  EXPECT_TRUE(contains(robots.body, "Disallow: /admin\n"));
  EXPECT_TRUE(contains(robots.body, "Disallow: /search\n"));
  EXPECT_TRUE(contains(robots.body, "Sitemap: " + site_->base() + "/sitemap.xml\n"));
}

TEST_F(SiteTest, StaticFilesHaveValidatorsAndRevalidate) {
  for (const char* target : {"/static/style.css", "/static/site.js"}) {
    auto r = get(target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.header(http::field::cache_control), "public, max-age=31536000");
    auto etag = r.header(http::field::etag);
    auto modified = r.header(http::field::last_modified);
    ASSERT_FALSE(etag.empty()) << target;
    ASSERT_TRUE(parse_http_date(modified)) << modified;
    auto by_etag = get(target, {{http::field::if_none_match, etag}});
    EXPECT_EQ(by_etag.status, 304) << target;
    EXPECT_TRUE(by_etag.body.empty());
    EXPECT_EQ(by_etag.header(http::field::etag), etag);
    auto by_date = get(target, {{http::field::if_modified_since, modified}});
    EXPECT_EQ(by_date.status, 304) << target;
    auto older =
        get(target, {{http::field::if_modified_since, http_date(*parse_http_date(modified) - 1)}});
    EXPECT_EQ(older.status, 200) << target;
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    auto stale = get(target, {{http::field::if_none_match, "\"stale\""},
                              {http::field::if_modified_since, modified}});
    EXPECT_EQ(stale.status, 200) << target;
  }
  EXPECT_EQ(get("/static/site.js").header(http::field::content_type),
            "text/javascript; charset=utf-8");
  // Compressed: the tag becomes weak, and still revalidates.
  auto gz = get("/static/style.css", {{http::field::accept_encoding, "gzip, br"}});
  EXPECT_EQ(gz.header(http::field::content_encoding), "gzip");
  auto weak = gz.header(http::field::etag);
  EXPECT_TRUE(weak.starts_with("W/\"")) << weak;
  EXPECT_EQ(testing_http::gunzip(gz.body), get("/static/style.css").body);
  auto revalidated = get("/static/style.css", {{http::field::accept_encoding, "gzip"},
                                               {http::field::if_none_match, weak}});
  EXPECT_EQ(revalidated.status, 304);
}

TEST_F(SiteTest, PagesAreGzippedWhenAsked) {
  for (const char* target : {"/", "/doc/long-1", "/hot", "/sitemap.xml"}) {
    auto plain = get(target);
    EXPECT_FALSE(plain.has(http::field::content_encoding)) << target;
    auto gz = get(target, {{http::field::accept_encoding, "gzip"}});
    ASSERT_EQ(gz.status, 200) << target;
    EXPECT_EQ(gz.header(http::field::content_encoding), "gzip") << target;
    EXPECT_EQ(gz.header(http::field::vary), "Accept-Encoding") << target;
    auto body = testing_http::gunzip(gz.body);
    EXPECT_LT(gz.body.size(), body.size() / 2) << target;
    EXPECT_TRUE(body.ends_with("</html>\n") || body.ends_with("</urlset>\n")) << target;
  }
  auto refused = get("/", {{http::field::accept_encoding, "gzip;q=0"}});
  EXPECT_FALSE(refused.has(http::field::content_encoding));
}

TEST_F(SiteTest, HeadGetsTheHeadersOfGetWithoutBody) {
  for (const std::string& target : std::vector<std::string>{
           "/", "/hot", "/category/" + encode_query_value("工作总结"), "/topic/xiangcun", "/login",
           "/sitemap.xml", "/robots.txt", "/static/style.css", "/qr/doc/long-1.svg",
           "/api/v1/hot?period=week", "/no/such/page"}) {
    auto g = get(target);
    auto h = head(target);
    EXPECT_EQ(h.status, g.status) << target;
    EXPECT_EQ(h.header(http::field::content_type), g.header(http::field::content_type)) << target;
    EXPECT_EQ(h.header(http::field::content_length), std::to_string(g.body.size())) << target;
    EXPECT_TRUE(h.body.empty()) << target;
  }
  auto h = head("/doc/long-1");
  EXPECT_EQ(h.status, 200);
  EXPECT_GT(std::stoul(h.header(http::field::content_length)), 1000u);
  // The connection stays usable after a HEAD answer: no stray body bytes follow it.
  EXPECT_EQ(get("/healthz").body, "ok");
}

TEST_F(SiteTest, DocumentViewsIssueAVisitorCookie) {
  auto first = get("/doc/work-05", {{http::field::user_agent, std::string(kBrowser)}});
  ASSERT_EQ(first.status, 200);
  auto cookie = first.header(http::field::set_cookie);
  EXPECT_TRUE(cookie.starts_with("wenku_vid=")) << cookie;
  auto again = get("/doc/work-05", {{http::field::user_agent, std::string(kBrowser)},
                                    {http::field::cookie, cookie.substr(0, cookie.find(';'))}});
  EXPECT_FALSE(again.has(http::field::set_cookie));
}

TEST_F(SiteTest, BadRequestsAndUnknownPages) {
  EXPECT_EQ(get("/?page=0").status, 200) << "page 0 reads as the first page";
  EXPECT_EQ(get("/?page=99999").status, 400);
  EXPECT_EQ(get("/?page=9").status, 404);
  auto missing = get("/doc/no-such-document");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(contains(missing.body, "页面不存在"));
  EXPECT_TRUE(contains(missing.body, R"(<meta name="robots" content="noindex">)"));
}

// Runs last in the suite: it changes the site's settings.
TEST_F(SiteTest, UploadedWechatImageIsServedAndShownWithoutRestart) {
  EXPECT_EQ(get("/site/wechat-qr").status, 404);
  EXPECT_TRUE(contains(get("/doc/work-01").body, "在手机上访问本站")) << "the site QR until then";
  const std::string png = "\x89PNG\r\n\x1a\nnot really a png";
  store::open_sqlite(site_->data() / "wenku.sqlite")
      ->put_site_file({"wechat-qr", "image/png", png, ""});
  std::string page;
  for (int i = 0; i < 50 && !contains(page, "/site/wechat-qr"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    page = get("/doc/work-01").body;
  }
  EXPECT_TRUE(contains(page, R"(<img class="wechat-image" src="/site/wechat-qr")"));
  auto image = get("/site/wechat-qr");
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.header(http::field::content_type), "image/png");
  EXPECT_EQ(image.body, png);
  auto etag = image.header(http::field::etag);
  EXPECT_EQ(get("/site/wechat-qr", {{http::field::if_none_match, etag}}).status, 304);
}

// --guest-full-text opens the texts: no login wall.
TEST(GuestFullTextTest, FlagTurnsTheLoginWallOff) {
  RunningSite site(
      jsonl_line("long-1", "长文", "2022", "讲话稿", long_text(40, "最后一段只有会员才能读到。")),
      {"--guest-full-text"});
  ASSERT_TRUE(site.ready());
  auto r = fetch(site.port(), http::verb::get, "/doc/long-1");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "最后一段只有会员才能读到。"));
  EXPECT_FALSE(contains(r.body, "read-more"));
  EXPECT_FALSE(contains(r.body, "您需要先登录"));
}

// The guest's document page is cached; an edit of the document (a new change seq) or a
// policy change shows on the next requests, well within the cache's 10 s lifetime, and each
// document has its own entry.
TEST(DocumentPageCacheTest, FollowsDocumentAndPolicyChanges) {
  RunningSite site(
      jsonl_line("doc-a", "甲文", "2022-01-01", "讲话稿", long_text(40, "甲的最后一段。")) +
          jsonl_line("doc-b", "乙文", "2022-01-02", "讲话稿", "乙的正文。"),
      {});
  ASSERT_TRUE(site.ready());
  auto page = [&](const std::string& id) {
    auto r = fetch(site.port(), http::verb::get, "/doc/" + id);
    EXPECT_EQ(r.status, 200);
    return r.body;
  };
  for (int round = 0; round < 2; ++round) {  // the second round is served from the cache
    const auto a = page("doc-a");
    const auto b = page("doc-b");
    EXPECT_TRUE(contains(a, R"(<h1 class="doc-title">20220101:甲文</h1>)"));
    EXPECT_FALSE(contains(a, "乙的正文。"));
    EXPECT_TRUE(contains(b, R"(<h1 class="doc-title">20220102:乙文</h1>)"));
    EXPECT_TRUE(contains(b, "乙的正文。"));
    EXPECT_FALSE(contains(b, "甲文</h1>"));
  }

  auto store = store::open_sqlite(site.data() / "wenku.sqlite");
  auto edited = store->get("doc-b");
  ASSERT_TRUE(edited);
  edited->title = "乙文（修订）";
  edited->content = "修订后的正文。";
  store->put({*edited});
  const auto b = page("doc-b");
  EXPECT_TRUE(contains(b, R"(<h1 class="doc-title">20220102:乙文（修订）</h1>)"));
  EXPECT_TRUE(contains(b, "修订后的正文。"));
  EXPECT_FALSE(contains(b, "乙的正文。"));

  EXPECT_FALSE(contains(page("doc-a"), "甲的最后一段。")) << "the login wall is on";
  store->set_settings({{setting_keys::kGuestsReadFullText, "1"}});
  std::string a;
  // The settings are re-checked once a second; 3 s stays well below the cache's lifetime.
  for (int i = 0; i < 30 && !contains(a, "甲的最后一段。"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    a = page("doc-a");
  }
  EXPECT_TRUE(contains(a, "甲的最后一段。"));
  EXPECT_FALSE(contains(a, "read-more"));
}

}  // namespace
}  // namespace wenku::web
