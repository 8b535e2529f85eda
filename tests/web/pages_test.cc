// In-process rendering of every page: structure, Chinese wording, SEO tags and HTML escaping.
#include "web/site/pages.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "doc/analysis.h"
#include "doc/templater.h"
#include "testing/test_support.h"
#include "web/site/qr.h"

namespace wenku::web {
namespace {

constexpr std::string_view kHostile = R"(<script>alert(1)</script>"'&)";
constexpr std::string_view kHostileEscaped =
    "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&quot;&#39;&amp;";
constexpr std::string_view kBase = "https://wenku.example.cn";
constexpr std::string_view kBaseEscaped = "https:&#x2F;&#x2F;wenku.example.cn";

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
  d.title = "区委书记在全区领导干部大会上的讲话";
  d.date = "2021-12-25";
  d.category = "讲话稿";
  d.views = 42;
  d.created_at = "2022-03-01 02:30:05";
  d.keywords = {"高质量发展", "乡村振兴"};
  d.content = "同志们：\n今天召开全区领导干部大会。\n一、统一思想";
  return d;
}

// `d` as an admin reads it: the whole text.
access::Readable full_text(const doc::Document& d) {
  return *access::readable(d, access::Viewer{access::Role::kAdmin, "admin", 0}, access::Policy{});
}

store::HotDoc hot_doc(std::string id, std::string title, std::int64_t period_views) {
  store::HotDoc h;
  h.doc.id = std::move(id);
  h.doc.title = std::move(title);
  h.doc.category = "工作总结";
  h.doc.views = period_views * 2;
  h.period_views = period_views;
  return h;
}

class PagesTest : public ::testing::Test {
 protected:
  Renderer renderer_;
  Pages pages_{renderer_};
  SiteSettings site_;
  PageEnv env_{site_, std::string(kBase), "<svg id=\"site-qr\"></svg>", "", "", {}};

  std::string doc_page(const access::Readable& r, const DocumentExtras& extras = {}) {
    return pages_.document(env_, r, extras);
  }
};

TEST_F(PagesTest, EveryPageIsChineseUtf8AndMobileFriendly) {
  auto d = sample_document();
  store::Category category{"讲话稿", 0, 3};
  store::Collection topic{"t", "专题", "说明", 0, {}};
  for (const std::string& html :
       {pages_.home(env_, {}), doc_page(full_text(d)), pages_.search(env_, "", {}, {}),
        pages_.category(env_, category, {}, store::SortOrder::kNewest, {}),
        pages_.hot(env_, HotPeriod::kWeek, {}), pages_.topic(env_, topic, {}),
        error_page(renderer_, env_, failure_of_status(404)),
        pages_.template_page(env_, full_text(d), {"模板", {}}, false),
        pages_.tasks_page(env_, full_text(d), {}, 0)}) {
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>")) << html.substr(0, 80);
    EXPECT_TRUE(contains(html, R"(<html lang="zh-CN">)"));
    EXPECT_TRUE(contains(html, R"(<meta charset="utf-8">)"));
    EXPECT_TRUE(
        contains(html, R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"));
    EXPECT_TRUE(contains(html, "&#x2F;static&#x2F;style.css?v=")) << "versioned stylesheet link";
    EXPECT_TRUE(std::regex_search(
        html, std::regex(R"re(<script src="&#x2F;static&#x2F;site.js\?v=[0-9a-f]{16}" defer>)re")))
        << "site.js, no inline script";
    EXPECT_EQ(count(html, "<script"), 1u) << "no inline scripts (CSP)";
    EXPECT_TRUE(contains(html, R"(action="/search")")) << "header search box";
    EXPECT_EQ(count(html, "<title>"), 1u);
    EXPECT_TRUE(contains(html, R"(<meta property="og:site_name" content="文库">)"));
    EXPECT_TRUE(contains(html, R"(<meta property="og:title" content=")"));
  }
}

TEST_F(PagesTest, DocumentShowsTitleMetaAndNumberedParagraphs) {
  auto d = sample_document();
  auto html = doc_page(full_text(d));
  EXPECT_TRUE(contains(html, "<title>20211225:区委书记在全区领导干部大会上的讲话 - 文库</title>"));
  EXPECT_TRUE(
      contains(html, R"(<h1 class="doc-title">20211225:区委书记在全区领导干部大会上的讲话</h1>)"));
  // 发布时间 is the document's own date; 收录时间, apart, the moment it was added, in China time
  // (02:30:05 UTC + 8 h).
  EXPECT_TRUE(contains(
      html,
      R"(发布时间：<time class="doc-published" datetime="2021-12-25">2021年12月25日</time>)"));
  EXPECT_TRUE(contains(html, R"(<dt>收录时间</dt><dd class="doc-received">2022-03-01 10:30</dd>)"));
  EXPECT_TRUE(contains(html, R"(<span class="doc-views">42</span>)"));
  EXPECT_TRUE(contains(
      html,
      R"(<nav class="breadcrumb" aria-label="当前位置"><a href="/">首页</a> › <a href="&#x2F;category&#x2F;%E8%AE%B2%E8%AF%9D%E7%A8%BF">讲话稿</a>)"));
  EXPECT_TRUE(contains(
      html,
      R"(<a class="tag" href="/search?q=%E9%AB%98%E8%B4%A8%E9%87%8F%E5%8F%91%E5%B1%95">高质量发展</a>)"));
  EXPECT_TRUE(contains(html, R"(<p id="p1">同志们：</p>)"));
  EXPECT_TRUE(contains(html, R"(<p id="p2">今天召开全区领导干部大会。</p>)"));
  EXPECT_TRUE(contains(html, R"(<p id="p3">一、统一思想</p>)"));
  EXPECT_FALSE(contains(html, R"(id="p4")"));
  const std::string permalink = std::string(kBaseEscaped) + "&#x2F;doc&#x2F;demo-speech";
  EXPECT_TRUE(contains(html, "<link rel=\"canonical\" href=\"" + permalink + "\">"));
  EXPECT_TRUE(contains(html, "<meta property=\"og:url\" content=\"" + permalink + "\">"));
  EXPECT_TRUE(contains(html, R"(<meta property="og:type" content="article">)"));
  EXPECT_TRUE(contains(
      html,
      R"(<meta name="description" content="同志们： 今天召开全区领导干部大会。 一、统一思想">)"));
  EXPECT_TRUE(contains(
      html,
      R"(<meta property="og:description" content="同志们： 今天召开全区领导干部大会。 一、统一思想">)"));
  EXPECT_FALSE(contains(html, "noindex"));
  EXPECT_FALSE(contains(html, "阅读全文"));
  EXPECT_FALSE(contains(html, "read-more"));
}

TEST_F(PagesTest, OutlineHeadingsAreMarkedInTheTextAndTheOutlineFolds) {
  auto d = sample_document();
  doc::Analysis analysis;
  analysis.outline = {{1, "一、统一思想", 2}, {2, "一是学深悟透", 3}};
  d.content += "\n一是学深悟透。要原原本本学。";
  d.analysis = doc::analysis_to_json(analysis).dump();
  auto html = doc_page(full_text(d));
  EXPECT_TRUE(contains(html, R"(<p id="p3" class="doc-heading">一、统一思想</p>)"));
  // A heading with a sentence after it in its paragraph: a run-in lead, the sentence plain.
  EXPECT_TRUE(contains(
      html, R"(<p id="p4"><strong class="doc-lead">一是学深悟透。</strong>要原原本本学。</p>)"))
      << html;
  EXPECT_TRUE(contains(html, R"(<p id="p2">今天召开全区领导干部大会。</p>)"));
  EXPECT_TRUE(contains(html, R"(<details class="outline-box">)")) << "collapsed: no open";
  EXPECT_TRUE(contains(html, R"(<a href="#p3">一、统一思想</a>)"));
}

TEST(PageCacheTest, RendersOnceAStampAndFollowsChanges) {
  PageCache cache(std::chrono::seconds(10), 1 << 20);
  int renders = 0;
  auto render = [&](std::string text) {
    return [&renders, text] {
      ++renders;
      return text;
    };
  };
  EXPECT_EQ(cache.get("a", "1", render("page a"))->plain, "page a");
  EXPECT_EQ(cache.get("a", "1", render("other"))->plain, "page a");
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(cache.get("b", "1", render("page b"))->plain, "page b") << "keys never share";
  EXPECT_EQ(cache.get("a", "2", render("page a2"))->plain, "page a2") << "a new stamp";
  EXPECT_EQ(renders, 3);
  auto page = cache.get("a", "2", render("unused"));
  EXPECT_EQ(page->gzipped, gzip("page a2"));
  EXPECT_EQ(cache.bytes(), page->plain.size() + page->gzipped.size() +
                               cache.get("b", "1", render("unused"))->plain.size() +
                               gzip("page b").size());
}

TEST(PageCacheTest, ExpiresAndStaysWithinItsBytes) {
  PageCache expiring(std::chrono::milliseconds(0), 1 << 20);
  int renders = 0;
  auto render = [&] {
    ++renders;
    return std::string(1000, 'x');
  };
  expiring.get("a", "1", render);
  expiring.get("a", "1", render);
  EXPECT_EQ(renders, 2);
  PageCache small(std::chrono::seconds(10), 3000);
  for (int i = 0; i < 10; ++i) small.get(std::to_string(i), "1", render);
  EXPECT_LE(small.bytes(), 3000u);
  renders = 0;
  small.get("9", "1", render);
  EXPECT_EQ(renders, 0) << "the most recent page stays";
  small.get("0", "1", render);
  EXPECT_EQ(renders, 1) << "the oldest went first";
}

TEST_F(PagesTest, DocumentShowsShareAboutRelatedHotAndSideBar) {
  auto d = sample_document();
  DocumentExtras extras;
  extras.share_qr_svg = qr_svg(std::string(kBase) + "/doc/demo-speech");
  extras.related.push_back({"other-1", "相关的讲话", "2020", "讲话稿", 1.0, "相关内容的开头"});
  extras.hot.week.push_back(hot_doc("hot-w", "本周最热", 9));
  extras.hot.month.push_back(hot_doc("hot-m", "本月最热", 30));
  auto html = doc_page(full_text(d), extras);
  // 分享: the inline QR of the permalink, the caption and the copy-link button.
  EXPECT_TRUE(contains(html, extras.share_qr_svg));
  EXPECT_TRUE(contains(html, "微信扫一扫在手机阅读、分享本文"));
  EXPECT_TRUE(contains(html,
                       "<button type=\"button\" id=\"copy-link\" class=\"button secondary\" "
                       "data-url=\"" +
                           std::string(kBaseEscaped) + "&#x2F;doc&#x2F;demo-speech\">"));
  EXPECT_TRUE(contains(html, "<section id=\"about\""));
  EXPECT_TRUE(
      contains(html, "<dt>本文标题</dt><dd>20211225:区委书记在全区领导干部大会上的讲话</dd>"));
  EXPECT_TRUE(contains(html, "<dt>链接地址</dt>"));
  EXPECT_TRUE(contains(html, "<section id=\"related\""));
  EXPECT_TRUE(contains(html, R"(<a href="/doc/other-1">相关的讲话</a>)"));
  EXPECT_TRUE(contains(html, "相关内容的开头"));
  // 热门推荐 with both tabs; without JavaScript both panels show (no `hidden`).
  EXPECT_TRUE(contains(html, R"(<button type="button" id="hot-tab-week")"));
  EXPECT_TRUE(contains(html, R"(<button type="button" id="hot-tab-month")"));
  EXPECT_TRUE(contains(html, R"(<div id="hot-week" class="tab-panel" role="tabpanel")"));
  EXPECT_TRUE(contains(html, R"(<div id="hot-month" class="tab-panel" role="tabpanel")"));
  EXPECT_TRUE(contains(
      html, R"(<a href="/doc/hot-w">本周最热</a><span class="count" title="本周阅读">9</span>)"));
  EXPECT_TRUE(contains(
      html, R"(<a href="/doc/hot-m">本月最热</a><span class="count" title="本月阅读">30</span>)"));
  // Side bar: the site QR (no 微信订阅号 image uploaded) and 联系客服.
  EXPECT_TRUE(contains(html, "<aside class=\"sidebar\">"));
  EXPECT_TRUE(contains(html, "<h2>微信订阅号</h2>"));
  EXPECT_TRUE(contains(html, env_.site_qr_svg));
  EXPECT_FALSE(contains(html, "/site/wechat-qr"));
  EXPECT_TRUE(contains(html, R"(<a class="button btn-contact" href="/feedback">联系客服</a>)"));
  EXPECT_TRUE(contains(html, site_.contact_text));
  // Tool buttons.
  EXPECT_TRUE(contains(html, R"(btn-template" href="/doc/demo-speech/template">模板版</a>)"));
  EXPECT_FALSE(contains(html, "btn-tasks")) << "no tasks in this text";
  EXPECT_TRUE(contains(
      html,
      R"(<button type="button" class="button secondary btn-favorite" data-id="demo-speech")"));
}

TEST_F(PagesTest, UploadedWechatImageReplacesTheSiteQr) {
  site_.has_wechat_image = true;
  site_.wechat_caption = "官方<订阅号>";
  auto d = sample_document();
  auto html = doc_page(full_text(d));
  EXPECT_TRUE(contains(
      html, R"(<img class="wechat-image" src="/site/wechat-qr" alt="官方&lt;订阅号&gt;二维码")"));
  EXPECT_FALSE(contains(html, env_.site_qr_svg));
}

TEST_F(PagesTest, YearOnlyDocumentShowsItsYearAndNoTitlePrefix) {
  auto d = sample_document();
  d.title = "2016年政府工作报告";
  d.date = "2016";
  auto html = doc_page(full_text(d));
  EXPECT_TRUE(contains(html, R"(<h1 class="doc-title">2016年政府工作报告</h1>)"));
  EXPECT_TRUE(
      contains(html, R"(发布时间：<time class="doc-published" datetime="2016">2016年</time>)"));
  // Never the import moment as 发布时间.
  EXPECT_FALSE(contains(html, R"(class="doc-published" datetime="2022)"));
}

TEST_F(PagesTest, TitleDatePrefixIsASiteSetting) {
  auto d = sample_document();
  site_.title_date_prefix = false;
  auto html = doc_page(full_text(d));
  EXPECT_TRUE(contains(html, R"(<h1 class="doc-title">区委书记在全区领导干部大会上的讲话</h1>)"));
  EXPECT_FALSE(contains(html, "20211225:"));
  doc::Summary s = doc::summarize(d);
  auto list =
      pages_.category(env_, store::Category{"讲话稿", 0, 1}, {s}, store::SortOrder::kNewest, {});
  EXPECT_FALSE(contains(list, "20211225:"));
  site_.title_date_prefix = true;
  list = pages_.category(env_, store::Category{"讲话稿", 0, 1}, {s}, store::SortOrder::kNewest, {});
  EXPECT_TRUE(contains(list, ">20211225:区委书记在全区领导干部大会上的讲话</a>"));
}

TEST_F(PagesTest, DocumentWithoutDateOrCategory) {
  auto d = sample_document();
  d.date.clear();
  d.category.clear();
  d.created_at.clear();
  auto html = doc_page(full_text(d));
  EXPECT_FALSE(contains(html, "<time"));
  EXPECT_TRUE(contains(html, "未分类"));
  EXPECT_TRUE(contains(html, "&#x2F;category&#x2F;%E6%9C%AA%E5%88%86%E7%B1%BB"));
}

TEST_F(PagesTest, PreviewEndsWithLoginWall) {
  auto d = sample_document();
  access::Policy policy;
  policy.preview_chars = 4;
  auto preview = access::readable(d, access::Viewer{}, policy);
  ASSERT_TRUE(preview);
  ASSERT_EQ(preview->text(), "同志们：");
  auto html = doc_page(*preview);
  EXPECT_TRUE(contains(html, R"(<p id="p1">同志们：</p>)"));
  EXPECT_FALSE(contains(html, "今天召开"));
  EXPECT_TRUE(contains(html, R"(<div class="read-more" id="read-more">)"));
  EXPECT_TRUE(contains(html, "阅读全文"));
  EXPECT_TRUE(contains(html, "想阅读完全部图文内容，您需要先登录！"));
  EXPECT_TRUE(contains(html, R"(<a class="button btn-login" href="/login?next=/doc/)"));
  EXPECT_TRUE(
      contains(html, R"(<a class="button secondary btn-register" href="/register?next=/doc/)"));
  EXPECT_TRUE(contains(html, R"(<meta name="description" content="同志们：">)"))
      << "the description never leaves the preview";
}

// A guest's 任务分解表: the rows of the preview with their 类别, and below the table a link to
// the login naming how many tasks the whole text has.
TEST_F(PagesTest, TasksPageShowsTheSectionAndTheGuestLineBelowTheTable) {
  auto d = sample_document();
  access::Policy policy;
  policy.preview_chars = 4;
  const auto preview = access::readable(d, access::Viewer{}, policy);
  ASSERT_TRUE(preview);
  doc::TaskRow row;
  row.section = "（一）扩大内需";
  row.task = "促进消费扩容升级";
  const std::string html = pages_.tasks_page(env_, *preview, {row}, 5);
  EXPECT_TRUE(contains(html, "<th scope=\"col\">类别</th><th scope=\"col\">工作任务</th>")) << html;
  EXPECT_TRUE(contains(
      html,
      R"(<td data-label="序号">1</td><td data-label="类别">（一）扩大内需</td><td data-label="工作任务">促进消费扩容升级</td>)"));
  // Each cell names its column (a phone shows the row as labelled lines) and empty ones say so.
  EXPECT_TRUE(contains(html, R"(<td data-label="责任领导" class="empty-cell"></td>)")) << html;
  const std::string line =
      R"(<a class="tasks-login" href="/login?next=/doc/demo-speech/tasks">登录后查看全部 5 项任务</a>)";
  ASSERT_TRUE(contains(html, line)) << html;
  EXPECT_GT(html.find(line), html.find("</table>")) << "the line is below the table";
  // All tasks shown, or a reader of the whole text: no line.
  EXPECT_FALSE(contains(pages_.tasks_page(env_, *preview, {row}, 1), "查看全部"));
  EXPECT_FALSE(contains(pages_.tasks_page(env_, full_text(d), {row}, 5), "查看全部"));
  // A guest whose preview holds no task still learns how many there are.
  const std::string none = pages_.tasks_page(env_, *preview, {}, 3);
  EXPECT_TRUE(contains(none, "可阅读部分中没有工作任务"));
  EXPECT_TRUE(contains(none, "登录后查看全部 3 项任务"));
}

TEST_F(PagesTest, DocumentEscapesEveryDocumentString) {
  doc::Document d;
  d.id = "evil";
  d.title = std::string(kHostile);
  d.category = std::string(kHostile);
  d.date = "2021\"><b>";
  d.keywords = {std::string(kHostile)};
  d.content = std::string(kHostile) + "\n<img src=x onerror=alert(2)>";
  DocumentExtras extras;
  extras.related.push_back({"r", std::string(kHostile), "", std::string(kHostile), 0, "<i>x</i>"});
  extras.hot.week.push_back(hot_doc("h", std::string(kHostile), 1));
  auto html = doc_page(full_text(d), extras);
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_FALSE(contains(html, "<img"));
  EXPECT_FALSE(contains(html, "<b>"));
  EXPECT_FALSE(contains(html, "<i>"));
  const std::string escaped(kHostileEscaped);
  EXPECT_TRUE(contains(html, "<title>" + escaped + " - 文库</title>"));
  EXPECT_TRUE(contains(html, "<meta property=\"og:title\" content=\"" + escaped + " - 文库\">"));
  EXPECT_TRUE(contains(html, "<meta property=\"og:description\" content=\"" + escaped));
  EXPECT_TRUE(contains(html, "<h1 class=\"doc-title\">" + escaped + "</h1>"));
  EXPECT_TRUE(contains(html, "<dt>本文标题</dt><dd>" + escaped + "</dd>"));
  EXPECT_TRUE(contains(html, "<p id=\"p2\">&lt;img src=x onerror=alert(2)&gt;</p>"));
  EXPECT_TRUE(
      contains(html, "&#x2F;category&#x2F;%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%27%26"));
}

TEST_F(PagesTest, HomeListsLatestCategoriesHotAndTopics) {
  HomeData data;
  data.latest = {{"demo-a", "第一篇", "2022-01-02", "工作总结", 3, "", ""},
                 {"demo-b", std::string(kHostile), "", "", 0, "", ""}};
  data.categories = {{"工作总结", 0, 12}, {"空分类", 1, 0}, {"", 2, 3}};
  data.hot.week.push_back(hot_doc("hot-w", "本周最热", 9));
  data.topics.push_back({"xiangcun", "乡村振兴专题", "乡村振兴<讲话>汇编", 0, {"demo-a"}});
  data.page = {1, 1};
  auto html = pages_.home(env_, data);
  EXPECT_TRUE(
      contains(html, R"(<form id="search-form" class="search-form search-hero" action="/search")"));
  EXPECT_TRUE(contains(html, R"(<input type="search" name="q")"));
  EXPECT_TRUE(contains(html, "<section id=\"latest\">"));
  // Its day is known: the title carries it (标题日期前缀, on by default).
  EXPECT_TRUE(contains(html, R"(<a href="/doc/demo-a">20220102:第一篇</a>)"));
  EXPECT_TRUE(contains(html, "2022-01-02 · 工作总结 · 阅读 3"));
  EXPECT_TRUE(contains(html, R"(<a href="/doc/demo-b">)" + std::string(kHostileEscaped) + "</a>"));
  EXPECT_TRUE(contains(html, R"(<ul class="category-list">)"));
  EXPECT_TRUE(contains(
      html,
      R"(<li><a href="&#x2F;category&#x2F;%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93">工作总结</a> <span class="count">12</span></li>)"));
  EXPECT_TRUE(contains(
      html,
      R"(<a href="&#x2F;category&#x2F;%E6%9C%AA%E5%88%86%E7%B1%BB">未分类</a> <span class="count">3</span>)"));
  EXPECT_FALSE(contains(html, "空分类")) << "empty categories are not listed";
  EXPECT_LT(html.find(">工作总结</a> <span"), html.find(">未分类</a>")) << "the admin's order";
  EXPECT_TRUE(contains(html, "<section id=\"hot\""));
  EXPECT_TRUE(contains(html, R"(<a href="/doc/hot-w">本周最热</a>)"));
  EXPECT_TRUE(contains(html, "本月还没有阅读记录"));
  EXPECT_TRUE(contains(html, "<section id=\"topics\">"));
  EXPECT_TRUE(contains(html, R"(<a href="&#x2F;topic&#x2F;xiangcun">乡村振兴专题</a>)"));
  EXPECT_TRUE(contains(html, "乡村振兴&lt;讲话&gt;汇编"));
  EXPECT_TRUE(
      contains(html, "<link rel=\"canonical\" href=\"" + std::string(kBaseEscaped) + "&#x2F;\">"));
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_FALSE(contains(html, "class=\"pager\"")) << "one page needs no pager";
}

TEST_F(PagesTest, HomePagerLinksNeighbours) {
  HomeData data;
  data.page = {2, 3};
  auto html = pages_.home(env_, data);
  EXPECT_TRUE(contains(html, "class=\"pager\""));
  EXPECT_TRUE(contains(html, R"(<a rel="prev" href="&#x2F;?page=1">上一页</a>)"));
  EXPECT_TRUE(contains(html, R"(<span class="current" aria-current="page">2</span>)"));
  EXPECT_TRUE(contains(html, R"(<a href="&#x2F;?page=3">3</a>)"));
  EXPECT_TRUE(contains(html, R"(<a rel="next" href="&#x2F;?page=3">下一页</a>)"));
  EXPECT_TRUE(contains(html, "这里还没有文档"));
  EXPECT_TRUE(contains(html, "暂无专题"));
}

TEST_F(PagesTest, CategoryPageSortsAndPages) {
  store::Category category{"工作总结", 0, 45};
  std::vector<doc::Summary> docs{{"a", std::string(kHostile), "2022", "工作总结", 7, "", ""}};
  auto html = pages_.category(env_, category, docs, store::SortOrder::kMostViewed, {2, 3});
  EXPECT_TRUE(contains(html, "<title>工作总结（第2页） - 文库</title>"));
  EXPECT_TRUE(contains(html, "<h1>工作总结 <span class=\"count\">共 45 篇</span></h1>"));
  const std::string path = "&#x2F;category&#x2F;%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93";
  EXPECT_TRUE(contains(html, "<a href=\"" + path + "\">最新</a>"));
  EXPECT_TRUE(contains(html, R"(<span class="current" aria-current="true">最热</span>)"));
  EXPECT_TRUE(contains(html, "<a rel=\"next\" href=\"" + path + "?sort=hot&amp;page=3\">"));
  EXPECT_TRUE(contains(html, "<a rel=\"prev\" href=\"" + path + "?sort=hot\">"));
  EXPECT_TRUE(contains(html, "<link rel=\"canonical\" href=\"" + std::string(kBaseEscaped) + path +
                                 "?sort=hot&amp;page=2\">"));
  EXPECT_TRUE(contains(html, std::string(kHostileEscaped)));
  EXPECT_FALSE(contains(html, "<script>"));
}

TEST_F(PagesTest, HotPageShowsPeriodViews) {
  auto html = pages_.hot(env_, HotPeriod::kMonth, {hot_doc("x", std::string(kHostile), 5)});
  EXPECT_TRUE(contains(html, "<h1>本月热门</h1>"));
  EXPECT_TRUE(contains(html, R"(<a href="/hot?period=week">本周热门</a>)"));
  EXPECT_TRUE(contains(html, "期间阅读 5 · 累计 10"));
  EXPECT_TRUE(contains(html, std::string(kHostileEscaped)));
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_TRUE(contains(pages_.hot(env_, HotPeriod::kWeek, {}), "这段时间还没有阅读记录"));
}

TEST_F(PagesTest, TopicPageListsItsDocuments) {
  store::Collection topic{"xiangcun", std::string(kHostile), "专题说明", 0, {"a", "b"}};
  auto html =
      pages_.topic(env_, topic, {{"a", "甲", "", "", 0, "", ""}, {"b", "乙", "", "", 0, "", ""}});
  EXPECT_TRUE(contains(html, "<h1>" + std::string(kHostileEscaped) + "</h1>"));
  EXPECT_TRUE(contains(html, "专题说明"));
  EXPECT_LT(html.find(">甲</a>"), html.find(">乙</a>"));
  EXPECT_FALSE(contains(html, "<script>"));
}

TEST_F(PagesTest, EmptySearchShowsOnlyTheForm) {
  auto html = pages_.search(env_, "", {}, {});
  EXPECT_TRUE(contains(html, "<h1>搜索范文</h1>"));
  EXPECT_EQ(count(html, R"(<form class="search-form")"), 2u) << "header box and page form";
  EXPECT_FALSE(contains(html, "共找到"));
  EXPECT_TRUE(contains(html, R"(<meta name="robots" content="noindex">)"));
}

TEST_F(PagesTest, SearchShowsHitsWithSnippetsAndPager) {
  search::SearchResponse response;
  response.total = 25;
  response.took_ms = 3.14159;
  response.hits.push_back({"demo-a", "关于<推进>高质量发展的讲话", "2022", "讲话稿", 1.0,
                           "推动<mark>高质量发展</mark>取得新成效 &amp; 更多"});
  auto html = pages_.search(env_, "高质量 发展&x", response, {2, 3});
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
  EXPECT_TRUE(contains(html, R"(<meta name="robots" content="noindex">)"));
}

TEST_F(PagesTest, SearchEscapesTheQuery) {
  auto html = pages_.search(env_, kHostile, {}, {});
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_TRUE(contains(html, "<h1>“" + std::string(kHostileEscaped) + "”的搜索结果</h1>"));
  EXPECT_TRUE(contains(html, "value=\"" + std::string(kHostileEscaped) + "\""));
  EXPECT_TRUE(contains(html, "没有找到相关文档"));
}

TEST_F(PagesTest, ErrorPagesAreChineseAndNotIndexed) {
  auto not_found = error_page(renderer_, env_, failure_of_status(404));
  EXPECT_TRUE(contains(not_found, "<title>页面不存在 - 文库</title>"));
  EXPECT_TRUE(contains(not_found, "404"));
  EXPECT_TRUE(contains(not_found, R"(<meta name="robots" content="noindex">)"));
  EXPECT_TRUE(contains(error_page(renderer_, env_, failure_of_status(500)), "服务器出错了"));
  EXPECT_TRUE(contains(error_page(renderer_, env_, failure_of_status(400)), "请求无效"));
}

TEST_F(PagesTest, SiteNameComesFromTheSettingsOfEachCall) {
  SiteSettings renamed;
  renamed.site_name = "公文<库>";
  PageEnv env{renamed, std::string(kBase), "", "", "", {}};
  auto html = error_page(renderer_, env, failure_of_status(404));
  EXPECT_TRUE(contains(html, "<title>页面不存在 - 公文&lt;库&gt;</title>"));
  EXPECT_TRUE(contains(html, R"(<meta property="og:site_name" content="公文&lt;库&gt;">)"));
}

// The 模板版 shows each X in a mark titled with the kind of text it replaced, never the text,
// between escaped text; the mark holds X alone, so that the page copies as plain X.
TEST_F(PagesTest, TemplatePageMarksEachXWithItsKind) {
  auto d = sample_document();
  d.content = "1987年区委书记李明<b>讲话\n增长12%";
  const auto tpl = doc::make_marked_template(d.content, doc::PlaceNames());
  ASSERT_EQ(tpl.marks.size(), 3u);
  const auto html = pages_.template_page(env_, full_text(d), tpl, false);
  constexpr std::string_view kNumber = R"(<mark class="tpl-x" title="原文为数字或日期">X</mark>)";
  constexpr std::string_view kPerson = R"(<mark class="tpl-x" title="原文为人名">X</mark>)";
  EXPECT_TRUE(contains(
      html, fmt::format(R"(<p id="p1">{}年区委书记{}同志&lt;b&gt;讲话</p>)", kNumber, kPerson)))
      << html;
  EXPECT_TRUE(contains(html, fmt::format(R"(<p id="p2">增长{}%</p>)", kNumber)));
  EXPECT_EQ(count(html, R"(<mark class="tpl-x" title=")"), tpl.marks.size());
  EXPECT_FALSE(contains(html, "李明"));
  EXPECT_FALSE(contains(html, "1987"));
  EXPECT_FALSE(contains(html, "<b>"));
}

// 复制全文 (hidden until site.js shows it) on the text and the 模板版, not on the task table.
TEST_F(PagesTest, CopyTextButtonOnTextAndTemplate) {
  auto d = sample_document();
  constexpr std::string_view kButton =
      R"(<button type="button" class="button secondary btn-copy-text" hidden>复制全文</button>)";
  constexpr std::string_view kStatus =
      R"(<p class="hint copy-text-status" role="status" aria-live="polite"></p>)";
  for (const std::string& html :
       {doc_page(full_text(d)), pages_.template_page(env_, full_text(d), {"模板", {}}, false)}) {
    EXPECT_EQ(count(html, kButton), 1u);
    EXPECT_EQ(count(html, kStatus), 1u);
  }
  const auto tasks = pages_.tasks_page(env_, full_text(d), {}, 0);
  EXPECT_FALSE(contains(tasks, "btn-copy-text"));
  EXPECT_FALSE(contains(tasks, "copy-text-status"));
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
  auto html = doc_page(full_text(d));
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
