// In-process rendering of every page: structure, Chinese wording, and HTML escaping.
#include "web/pages.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "testing/test_support.h"

namespace wenku::web {
namespace {

constexpr std::string_view kHostile = R"(<script>alert(1)</script>"'&)";
constexpr std::string_view kHostileEscaped =
    "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&quot;&#39;&amp;";

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

doc::Document sample_document() {
  doc::Document d;
  d.id = "demo-speech";
  d.title = "20211225:区委书记在全区领导干部大会上的讲话";
  d.date = "2021-12-25";
  d.category = "讲话稿";
  d.views = 42;
  d.content = "同志们：\n今天召开全区领导干部大会。\n一、统一思想";
  return d;
}

access::Visible full_text(const doc::Document& d) { return {true, true, d.content}; }

class PagesTest : public ::testing::Test {
 protected:
  Pages pages_{"文库"};
};

TEST_F(PagesTest, EveryPageIsChineseUtf8AndMobileFriendly) {
  auto d = sample_document();
  for (const std::string& html :
       {pages_.home({}, {}, {}), pages_.document(d, full_text(d)), pages_.search("", {}, {}),
        pages_.register_soon(), pages_.error(404)}) {
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>")) << html.substr(0, 80);
    EXPECT_TRUE(contains(html, R"(<html lang="zh-CN">)"));
    EXPECT_TRUE(contains(html, R"(<meta charset="utf-8">)"));
    EXPECT_TRUE(
        contains(html, R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"));
    EXPECT_TRUE(contains(html, "&#x2F;static&#x2F;style.css?v=")) << "versioned stylesheet link";
    EXPECT_TRUE(contains(html, R"(action="/search")")) << "header search box";
    EXPECT_EQ(count(html, "<title>"), 1u);
  }
}

TEST_F(PagesTest, DocumentShowsTitleMetaAndNumberedParagraphs) {
  auto d = sample_document();
  auto html = pages_.document(d, full_text(d));
  EXPECT_TRUE(contains(html, "<title>20211225:区委书记在全区领导干部大会上的讲话 - 文库</title>"));
  EXPECT_TRUE(
      contains(html, R"(<h1 class="doc-title">20211225:区委书记在全区领导干部大会上的讲话</h1>)"));
  EXPECT_TRUE(contains(html, R"(<time datetime="2021-12-25">2021-12-25</time>)"));
  EXPECT_TRUE(contains(html, "讲话稿"));
  EXPECT_TRUE(contains(html, "阅读 42 次"));
  EXPECT_TRUE(contains(html, R"(<p id="p1">同志们：</p>)"));
  EXPECT_TRUE(contains(html, R"(<p id="p2">今天召开全区领导干部大会。</p>)"));
  EXPECT_TRUE(contains(html, R"(<p id="p3">一、统一思想</p>)"));
  EXPECT_FALSE(contains(html, R"(id="p4")"));
  EXPECT_TRUE(contains(html, R"(<link rel="canonical" href="&#x2F;doc&#x2F;demo-speech">)"));
  EXPECT_TRUE(contains(
      html,
      R"(<meta name="description" content="同志们： 今天召开全区领导干部大会。 一、统一思想">)"));
  EXPECT_FALSE(contains(html, "阅读全文"));
}

TEST_F(PagesTest, DocumentWithoutDateOrCategory) {
  auto d = sample_document();
  d.date.clear();
  d.category.clear();
  auto html = pages_.document(d, full_text(d));
  EXPECT_FALSE(contains(html, "<time"));
  EXPECT_TRUE(contains(html, "未分类"));
}

TEST_F(PagesTest, PreviewEndsWithLoginWall) {
  auto d = sample_document();
  access::Visible preview{true, false, "同志们："};
  auto html = pages_.document(d, preview);
  EXPECT_TRUE(contains(html, R"(<p id="p1">同志们：</p>)"));
  EXPECT_FALSE(contains(html, "今天召开"));
  EXPECT_TRUE(contains(html, "阅读全文"));
  EXPECT_TRUE(contains(html, "想阅读完全部图文内容，您需要先登录！"));
  EXPECT_TRUE(contains(html, R"(<a class="button" href="/register">登录</a>)"));
  EXPECT_TRUE(contains(html, R"(href="/register">注册</a>)"));
}

TEST_F(PagesTest, DocumentEscapesEveryDocumentString) {
  doc::Document d;
  d.id = "evil";
  d.title = std::string(kHostile);
  d.category = std::string(kHostile);
  d.date = "2021\"><b>";
  d.content = std::string(kHostile) + "\n<img src=x onerror=alert(2)>";
  auto html = pages_.document(d, full_text(d));
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_FALSE(contains(html, "<img"));
  EXPECT_FALSE(contains(html, "<b>"));
  EXPECT_TRUE(contains(html, "<title>" + std::string(kHostileEscaped) + " - 文库</title>"));
  EXPECT_TRUE(contains(html, "<h1 class=\"doc-title\">" + std::string(kHostileEscaped) + "</h1>"));
  EXPECT_TRUE(contains(html, "<p id=\"p2\">&lt;img src=x onerror=alert(2)&gt;</p>"));
}

TEST_F(PagesTest, HomeListsLatestAndCategories) {
  std::vector<doc::Summary> latest{{"demo-a", "第一篇", "2022-01-02", "工作总结", 0, ""},
                                   {"demo-b", std::string(kHostile), "", "", 0, ""}};
  std::vector<store::CategoryCount> categories{{"工作总结", 12}, {"", 3}};
  auto html = pages_.home(latest, categories, {1, 1});
  EXPECT_TRUE(contains(html, R"(<a href="/doc/demo-a">第一篇</a>)"));
  EXPECT_TRUE(contains(html, "2022-01-02 · 工作总结"));
  EXPECT_TRUE(contains(html, R"(<a href="/doc/demo-b">)" + std::string(kHostileEscaped) + "</a>"));
  EXPECT_TRUE(contains(html, R"(<span>工作总结</span> <span class="count">12</span>)"));
  EXPECT_TRUE(contains(html, R"(<span>未分类</span> <span class="count">3</span>)"));
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_FALSE(contains(html, "class=\"pager\"")) << "one page needs no pager";
}

TEST_F(PagesTest, HomePagerLinksNeighbours) {
  auto html = pages_.home({}, {}, {2, 3});
  EXPECT_TRUE(contains(html, "class=\"pager\""));
  EXPECT_TRUE(contains(html, R"(<a rel="prev" href="&#x2F;?page=1">上一页</a>)"));
  EXPECT_TRUE(contains(html, R"(<span class="current" aria-current="page">2</span>)"));
  EXPECT_TRUE(contains(html, R"(<a href="&#x2F;?page=3">3</a>)"));
  EXPECT_TRUE(contains(html, R"(<a rel="next" href="&#x2F;?page=3">下一页</a>)"));
  EXPECT_TRUE(contains(html, "这里还没有文档"));
}

TEST_F(PagesTest, EmptySearchShowsOnlyTheForm) {
  auto html = pages_.search("", {}, {});
  EXPECT_TRUE(contains(html, "<h1>搜索范文</h1>"));
  EXPECT_EQ(count(html, R"(<form class="search-form")"), 2u) << "header box and page form";
  EXPECT_FALSE(contains(html, "共找到"));
}

TEST_F(PagesTest, SearchShowsHitsWithSnippetsAndPager) {
  search::SearchResponse response;
  response.total = 25;
  response.took_ms = 3.14159;
  response.hits.push_back({"demo-a", "关于<推进>高质量发展的讲话", "2022", "讲话稿", 1.0,
                           "推动<mark>高质量发展</mark>取得新成效 &amp; 更多"});
  auto html = pages_.search("高质量 发展&x", response, {2, 3});
  EXPECT_TRUE(contains(html, "共找到 25 篇文档，用时 3.1 毫秒"));
  EXPECT_TRUE(contains(html, R"(<a href="/doc/demo-a">关于&lt;推进&gt;高质量发展的讲话</a>)"));
  EXPECT_TRUE(
      contains(html, "<p class=\"snippet\">推动<mark>高质量发展</mark>取得新成效 &amp; 更多</p>"));
  EXPECT_TRUE(contains(html, "2022 · 讲话稿"));
  EXPECT_TRUE(contains(html, "value=\"高质量 发展&amp;x\"")) << "query kept in the search box";
  // The query is percent-encoded in links, then HTML-escaped.
  EXPECT_TRUE(contains(
      html,
      "href=\"&#x2F;search?q=%E9%AB%98%E8%B4%A8%E9%87%8F%20%E5%8F%91%E5%B1%95%26x&amp;page=3\""));
}

TEST_F(PagesTest, SearchEscapesTheQuery) {
  auto html = pages_.search(kHostile, {}, {});
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_TRUE(contains(html, "<h1>“" + std::string(kHostileEscaped) + "”的搜索结果</h1>"));
  EXPECT_TRUE(contains(html, "value=\"" + std::string(kHostileEscaped) + "\""));
  EXPECT_TRUE(contains(html, "没有找到相关文档"));
}

TEST_F(PagesTest, RegisterAndErrorPagesAreChinese) {
  EXPECT_TRUE(contains(pages_.register_soon(), "注册即将开放"));
  auto not_found = pages_.error(404);
  EXPECT_TRUE(contains(not_found, "<title>页面不存在 - 文库</title>"));
  EXPECT_TRUE(contains(not_found, "404"));
  EXPECT_TRUE(contains(pages_.error(500), "服务器出错了"));
  EXPECT_TRUE(contains(pages_.error(400), "请求无效"));
}

TEST_F(PagesTest, RendersARealCorpusDocument) {
  auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::ifstream in(dir / "gov_work_reports.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  auto json = nlohmann::json::parse(line);
  doc::Document d;
  d.id = json.at("id");
  d.title = json.at("title");
  d.date = json.at("date");
  d.category = json.at("category");
  d.content = json.at("content");
  auto html = pages_.document(d, full_text(d));
  auto paragraphs = doc::paragraphs(d.content);
  ASSERT_GT(paragraphs.size(), 10u);
  EXPECT_EQ(count(html, "<p id=\"p"), paragraphs.size());
  EXPECT_TRUE(contains(html, "<p id=\"p" + std::to_string(paragraphs.size()) + "\">"));
  EXPECT_TRUE(contains(html, d.title));
}

TEST(Paginate, CountsPages) {
  EXPECT_EQ(paginate(0, 10, 1).pages, 1u);
  EXPECT_EQ(paginate(10, 10, 1).pages, 1u);
  EXPECT_EQ(paginate(11, 10, 2).pages, 2u);
  EXPECT_EQ(paginate(11, 10, 2).page, 2u);
  EXPECT_EQ(paginate(-5, 10, 0).page, 1u);
}

}  // namespace
}  // namespace wenku::web
