// Starts the real `wenku serve` binary on an ephemeral port and checks the site over HTTP.
#include <utility>  // before Boost.Asio: Boost 1.74 needs it under C++20

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "http_client.h"
#include "testing/test_support.h"
#include "testing/unzipped.h"
#include "text/utf8.h"
#include "web/http/url.h"

namespace wenku::web {
namespace {

using testing::http_get;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The value of header `name` in a raw header block ("" when absent).
std::string header(const std::string& headers, const std::string& name) {
  std::smatch m;
  std::regex re("\r\n" + name + ": ([^\r]*)", std::regex::icase);
  return std::regex_search(headers, m, re) ? m[1].str() : "";
}

// A phrase of `length` Chinese characters from the longest paragraph of a document page,
// taken from its second half where possible (opening formulas like 同志们 are shared).
std::string han_phrase(const std::string& page, std::size_t length) {
  std::string longest;
  std::regex paragraph(R"(<p id="p[0-9]+">([^<]*)</p>)");
  for (std::sregex_iterator it(page.begin(), page.end(), paragraph), end; it != end; ++it) {
    if ((*it)[1].length() > static_cast<std::ptrdiff_t>(longest.size())) longest = (*it)[1].str();
  }
  std::string best;
  std::string run;
  std::size_t pos = 0;
  while (pos < longest.size()) {
    std::size_t start = pos;
    char32_t cp = text::decode_at(longest, pos);
    if (!text::is_han(cp)) {
      run.clear();
      continue;
    }
    run += longest.substr(start, pos - start);
    if (text::count_code_points(run) == length) {
      best = run;
      if (start >= longest.size() / 2) break;
      run.clear();
    }
  }
  return best;
}

// A running `wenku serve` over its own data directory.
class Site {
 public:
  // Runs `wenku import` of `import_file` first when it is not empty.
  explicit Site(std::vector<std::string> extra_args, const std::string& import_file = "") {
    auto data = dir_.path() / "data";
    if (!import_file.empty()) {
      auto result = testing::run({testing::wenku_binary(), "import", "--data", data, import_file});
      EXPECT_EQ(result.exit_code, 0) << result.out;
    }
    std::vector<std::string> argv{testing::wenku_binary(), "serve", "--data", data};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    server_ = std::make_unique<testing::ServerProcess>(argv);
    port_ = server_->port();
    ready_ = port_ != 0;
  }
  bool ready() const { return ready_; }
  int port() const { return port_; }
  testing::ChildProcess& process() { return server_->process(); }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  testing::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<testing::ServerProcess> server_;
  bool ready_ = false;
};

// One demo site shared by the tests that only read from it.
class DemoSiteTest : public ::testing::Test {
 protected:
  // Full texts for guests, so the tests can read whole demo texts.
  static void SetUpTestSuite() { site_ = new Site({"--demo", "--guest-full-text"}); }
  static void TearDownTestSuite() {
    delete site_;
    site_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(site_->ready()) << "wenku serve did not start"; }

  static testing::HttpResponse get(const std::string& target) {
    return http_get(site_->port(), target);
  }

  // The id of the first demo document linked from the home page.
  static std::string first_demo_id() {
    auto home = get("/");
    std::smatch m;
    std::regex re(R"re(href="/doc/(demo-[A-Za-z0-9._-]+)")re");
    return std::regex_search(home.body, m, re) ? m[1].str() : "";
  }

  static Site* site_;
};
Site* DemoSiteTest::site_ = nullptr;

// Requests sent one after another on one connection, before any answer, are all answered, in
// the order sent.
TEST_F(DemoSiteTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string requests;
  for (const char* target : {"/healthz", "/no-such-page", "/robots.txt", "/healthz"}) {
    requests += std::string("GET ") + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }
  requests += "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  const std::string raw = testing::http_exchange(site_->port(), requests);
  std::vector<int> statuses;
  for (auto at = raw.find("HTTP/1.1 "); at != std::string::npos;
       at = raw.find("HTTP/1.1 ", at + 1)) {
    statuses.push_back(std::atoi(raw.c_str() + at + 9));
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 404, 200, 200, 200})) << raw.substr(0, 2000);
}

TEST_F(DemoSiteTest, HealthzAnswersOk) {
  auto r = get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_TRUE(header(r.headers, "Content-Type").starts_with("text/plain"));
}

// Every response — pages, errors, the API, downloads, assets, /healthz — carries the
// security headers.
TEST_F(DemoSiteTest, EveryResponseCarriesTheSecurityHeaders) {
  const std::vector<std::string> targets = {"/",
                                            "/healthz",
                                            "/no-such-page",
                                            "/api/v1/search?q=" + encode_query_value("防汛"),
                                            "/static/style.css",
                                            "/doc/demo-fangxun-bushu/tasks.csv",
                                            "/doc/demo-fangxun-bushu/tasks.xlsx",
                                            "/doc/demo-fangxun-bushu/tasks.docx",
                                            "/doc/demo-fangxun-bushu/word.docx",
                                            "/favicon.ico",
                                            "/robots.txt"};
  ASSERT_FALSE(targets.empty());
  for (const auto& target : targets) {
    auto r = get(target);
    EXPECT_NE(r.status, 0) << target;
    EXPECT_EQ(header(r.headers, "X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(header(r.headers, "Referrer-Policy"), "strict-origin-when-cross-origin") << target;
    EXPECT_TRUE(header(r.headers, "Content-Security-Policy").starts_with("default-src 'self'"))
        << target;
  }
  EXPECT_FALSE(header(get("/healthz").headers, "X-Wenku-Worker").empty());
}

// A path the site has, asked with a method it does not take: 405 with the methods it takes.
TEST_F(DemoSiteTest, WrongMethodsAre405WithAllow) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"DELETE", "/", "GET, HEAD"},
      {"PUT", "/feedback", "GET, HEAD, POST"},
      {"TRACE", "/doc/demo-fangxun-bushu", "GET, HEAD"},
      {"POST", "/doc/demo-fangxun-bushu/tasks.csv", "GET"},
      {"HEAD", "/doc/demo-fangxun-bushu/tasks.xlsx", "GET"},
      {"HEAD", "/doc/demo-fangxun-bushu/word.docx", "GET"},
      {"POST", "/doc/demo-fangxun-bushu/template.docx", "GET"},
      {"POST", "/qr/doc/demo-fangxun-bushu.svg", "GET, HEAD"},
      {"PATCH", "/api/v1/search", "GET, HEAD"}};
  ASSERT_FALSE(cases.empty());
  for (const auto& [method, target, allow] : cases) {
    auto r = testing::http_request(site_->port(), method, target);
    EXPECT_EQ(r.status, 405) << method << " " << target;
    EXPECT_EQ(header(r.headers, "Allow"), allow) << method << " " << target;
  }
  EXPECT_EQ(testing::http_request(site_->port(), "DELETE", "/no/such/page").status, 404);
  EXPECT_EQ(testing::http_request(site_->port(), "POST", "/doc/a/b/c").status, 404);
}

TEST_F(DemoSiteTest, HomeListsDocumentsAndCategories) {
  auto r = get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(header(r.headers, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(contains(r.body, R"(<html lang="zh-CN">)"));
  EXPECT_TRUE(contains(r.body, "最新范文"));
  EXPECT_FALSE(first_demo_id().empty()) << "no demo document linked from /";
  EXPECT_TRUE(std::regex_search(r.body, std::regex(R"(<span class="count">[1-9][0-9]*</span>)")))
      << "categories with counts";
}

TEST_F(DemoSiteTest, DocumentPageShowsTitleAndText) {
  auto id = first_demo_id();
  ASSERT_FALSE(id.empty());
  auto r = get("/doc/" + id);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(std::regex_search(r.body, std::regex(R"(<h1 class="doc-title">[^<]+</h1>)")));
  EXPECT_TRUE(std::regex_search(r.body, std::regex(R"(<p id="p1">[^<]+</p>)")));
  // Without a 网站地址 setting, the canonical link is absolute on the listen address (the
  // client's "Host: 127.0.0.1" is not used).
  EXPECT_TRUE(contains(r.body, "<link rel=\"canonical\" href=\"http:&#x2F;&#x2F;127.0.0.1:" +
                                   std::to_string(site_->port()) + "&#x2F;doc&#x2F;" + id + "\">"))
      << r.body;
  EXPECT_TRUE(contains(r.body, "<meta name=\"description\""));
}

TEST_F(DemoSiteTest, UnknownDocumentAndRouteAreChinese404s) {
  for (const char* target : {"/doc/no-such-document", "/no/such/page"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_TRUE(contains(r.body, "页面不存在")) << target;
    EXPECT_TRUE(contains(r.body, R"(<html lang="zh-CN">)")) << target;
  }
}

TEST_F(DemoSiteTest, SearchFindsADemoDocumentWithHighlights) {
  auto id = first_demo_id();
  ASSERT_FALSE(id.empty());
  std::string phrase = han_phrase(get("/doc/" + id).body, 8);
  ASSERT_FALSE(phrase.empty()) << "no run of 8 Chinese characters in " << id;
  auto r = get("/search?q=" + encode_query_value(phrase));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(
      std::regex_search(r.body, std::regex(R"(共找到 [1-9][0-9]* 篇文档，用时 [0-9.]+ 毫秒)")));
  EXPECT_TRUE(contains(r.body, "<mark>")) << phrase;
  EXPECT_TRUE(contains(r.body, "href=\"/doc/" + id + "\"")) << phrase;
}

// A query too long to search cheaply is a bad request whose page says why.
TEST_F(DemoSiteTest, AnOversizedQueryIsRefusedWithTheReason) {
  std::string q;
  for (int i = 0; i < 201; ++i) q += "防";
  auto r = get("/search?q=" + encode_query_value(q));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "搜索词太长：最多 200 个字")) << r.body;
  q.resize(q.size() - std::string("防").size());
  EXPECT_EQ(get("/search?q=" + encode_query_value(q)).status, 200);
}

TEST_F(DemoSiteTest, EmptySearchShowsTheForm) {
  auto r = get("/search?q=");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<h1>搜索范文</h1>"));
}

TEST_F(DemoSiteTest, MalformedQueryIsA400) {
  auto r = get("/search?q=%ZZ");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "请求无效"));
}

TEST_F(DemoSiteTest, StaticCssIsCachedAndRevalidated) {
  auto r = get("/static/style.css");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(header(r.headers, "Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(header(r.headers, "Cache-Control"), "public, max-age=31536000");
  EXPECT_TRUE(contains(r.body, "line-height: 1.8"));
  auto etag = header(r.headers, "ETag");
  ASSERT_FALSE(etag.empty());
  // The pages link to the stylesheet with its version.
  EXPECT_TRUE(contains(get("/").body, "style.css?v=" + etag.substr(1, etag.size() - 2)));

  namespace http = boost::beast::http;
  auto again =
      testing_http::get(site_->port(), "/static/style.css", {{http::field::if_none_match, etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header(http::field::etag), etag);
  auto changed = testing_http::get(site_->port(), "/static/style.css",
                                   {{http::field::if_none_match, "\"stale\""}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(get("/static/missing.css").status, 404);
}

TEST_F(DemoSiteTest, DocumentPageShowsOutlineAndToolButtons) {
  auto r = get("/doc/demo-yingshang-huanjing");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, R"(<nav class="outline")"));
  // para 6 (0-based) of the analysis is the paragraph anchored p7.
  EXPECT_TRUE(contains(r.body, R"(<a href="#p7">（二）在降本上下功夫</a>)")) << r.body;
  // A heading that a sentence follows in its paragraph is the paragraph's run-in lead.
  EXPECT_TRUE(
      contains(r.body, R"(<p id="p7"><strong class="doc-lead">（二）在降本上下功夫。</strong>由)"))
      << r.body;
  EXPECT_TRUE(contains(r.body, R"(href="/doc/demo-yingshang-huanjing/template">模板版</a>)"));
  EXPECT_TRUE(contains(r.body, R"(href="/doc/demo-yingshang-huanjing/tasks">任务分解表</a>)"));
}

TEST_F(DemoSiteTest, TemplatePageReplacesSpecifics) {
  auto r = get("/doc/demo-fangxun-bushu/template");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "（模板版）"));
  // Each X is marked with the kind of what it replaced; the original never shows.
  constexpr std::string_view kX = R"(<mark class="tpl-x" title="原文为数字或日期">X</mark>)";
  EXPECT_TRUE(contains(r.body, std::string("要在") + std::string(kX) + "月" + std::string(kX) +
                                   "日前完成全部排查工作"))
      << r.body;
  EXPECT_FALSE(contains(r.body, "6月10日"));
  EXPECT_TRUE(contains(r.body, "btn-copy-text"));
}

TEST_F(DemoSiteTest, TasksPageAndDownloads) {
  auto page = get("/doc/demo-fangxun-bushu/tasks");
  ASSERT_EQ(page.status, 200);
  // The speech's 一要/二要/三要 after "下面，我就做好今年防汛工作强调几点" are its plan: one row
  // each, the 牵头 and deadline in the first item's text in its row.
  EXPECT_TRUE(contains(page.body, "<th scope=\"col\">类别</th>")) << page.body;
  EXPECT_TRUE(contains(
      page.body,
      R"(<td data-label="序号">1</td><td data-label="类别">下面，我就做好今年防汛工作强调几点</td>)"
      R"(<td data-label="工作任务">立足于防</td><td data-label="责任领导" class="empty-cell"></td>)"
      R"(<td data-label="牵头单位">区水务局</td><td data-label="配合单位">自然资源局、住建局</td>)"
      R"(<td data-label="具体落实" class="empty-cell"></td><td data-label="完成时限">6月10日前</td>)"))
      << page.body;
  EXPECT_TRUE(contains(
      page.body,
      R"(<td data-label="序号">3</td><td data-label="类别">下面，我就做好今年防汛工作强调几点</td><td data-label="工作任务">立足于实</td>)"));
  EXPECT_TRUE(contains(page.body, R"(href="/doc/demo-fangxun-bushu/tasks.xlsx")"));

  auto csv = get("/doc/demo-fangxun-bushu/tasks.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(header(csv.headers, "Content-Type"), "text/csv; charset=utf-8");
  EXPECT_TRUE(contains(header(csv.headers, "Content-Disposition"), "attachment"));
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF序号,类别,工作任务"));
  EXPECT_TRUE(
      contains(csv.body,
               "1,下面，我就做好今年防汛工作强调几点,立足于防,,区水务局,自然资源局、住建局,,"
               "6月10日前,3\r\n"))
      << csv.body;
  // Named after the document, with an ASCII name for clients that know no other.
  EXPECT_EQ(header(csv.headers, "Content-Disposition"),
            R"(attachment; filename="tasks.csv"; filename*=UTF-8'')" +
                encode_query_value("在全区防汛工作部署会上的讲话-任务分解表.csv"));

  auto xlsx = get("/doc/demo-fangxun-bushu/tasks.xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(header(xlsx.headers, "Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
  EXPECT_EQ(header(xlsx.headers, "Content-Disposition"),
            R"(attachment; filename="tasks.xlsx"; filename*=UTF-8'')" +
                encode_query_value("在全区防汛工作部署会上的讲话-任务分解表.xlsx"));
}

// 下载Word on the text and the 模板版, Word (.docx) beside Excel on the 任务分解表: GB/T 9704
// files named after the title.
TEST_F(DemoSiteTest, WordDownloadsOfTheTextTheTemplateAndTheTasks) {
  const std::string id = "demo-fangxun-bushu";
  const std::string title = "在全区防汛工作部署会上的讲话";
  EXPECT_TRUE(
      contains(get("/doc/" + id).body, "href=\"/doc/" + id + "/word.docx\" download>下载Word"));
  EXPECT_TRUE(contains(get("/doc/" + id + "/template").body,
                       "href=\"/doc/" + id + "/template.docx\" download>下载Word"));
  EXPECT_TRUE(contains(get("/doc/" + id + "/tasks").body, "href=\"/doc/" + id + "/tasks.docx\""));
  const std::vector<std::tuple<std::string, std::string, std::string>> downloads = {
      {"word.docx", "document.docx", title + ".docx"},
      {"template.docx", "template.docx", title + "-模板版.docx"},
      {"tasks.docx", "tasks.docx", title + "-任务分解表.docx"}};
  for (const auto& [file, ascii_name, name] : downloads) {
    auto r = get("/doc/" + id + "/" + file);
    ASSERT_EQ(r.status, 200) << file;
    EXPECT_EQ(header(r.headers, "Content-Type"),
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    EXPECT_EQ(header(r.headers, "Content-Disposition"), "attachment; filename=\"" + ascii_name +
                                                            "\"; filename*=UTF-8''" +
                                                            encode_query_value(name));
    const std::string xml = testing::unzipped(r.body);
    EXPECT_TRUE(contains(xml, "<w:pgSz w:w=\"")) << file;
    if (file == "template.docx") {
      EXPECT_FALSE(contains(xml, "6月10日")) << "the 模板版 has its X's";
    } else {
      EXPECT_TRUE(contains(xml, "6月10日")) << file;
    }
  }
  EXPECT_EQ(get("/doc/no-such-document/word.docx").status, 404);
  EXPECT_EQ(get("/doc/demo-dangji-xuexi/tasks.docx").status, 404);
}

TEST_F(DemoSiteTest, DocumentWithoutTasksHasNoTaskTable) {
  EXPECT_FALSE(contains(get("/doc/demo-dangji-xuexi").body, "任务分解表"));
  EXPECT_EQ(get("/doc/demo-dangji-xuexi/tasks").status, 404);
  EXPECT_EQ(get("/doc/demo-dangji-xuexi/tasks.csv").status, 404);
  EXPECT_EQ(get("/doc/no-such-document/template").status, 404);
}

TEST(HostileSiteTest, UserAndDocumentStringsAreEscaped) {
  testing::TempDir input;
  auto file = input.path() / "hostile.jsonl";
  testing::write_file(
      file,
      R"({"id":"evil-1","title":"<script>alert(1)</script>\"'&","date":"2021-12-25",)"
      R"("category":"<b>测试</b>","source":"test","content":"正文<script>alert(2)</script>推动高质量发展。\n第二段。"})"
      "\n");
  Site site({}, file);
  ASSERT_TRUE(site.ready());
  const std::string escaped_title = "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&quot;&#39;&amp;";

  for (const char* target :
       {"/", "/doc/evil-1", "/search?q=alert", "/search?q=%E9%AB%98%E8%B4%A8%E9%87%8F"}) {
    auto r = http_get(site.port(), target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_TRUE(contains(r.body, escaped_title)) << target;
    EXPECT_FALSE(contains(r.body, "<script>")) << target;  // only <script src=…site.js>
    EXPECT_FALSE(contains(r.body, "<b>")) << target;
  }
  auto query = http_get(site.port(), "/search?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E%22%27");
  ASSERT_EQ(query.status, 200);
  EXPECT_FALSE(contains(query.body, "<script>"));
  EXPECT_TRUE(contains(query.body, "&lt;script&gt;alert(3)&lt;&#x2F;script&gt;&quot;&#39;"));
}

TEST(HostileSiteTest, GuestPreviewEndsWithLoginWallAndStopsOnSigterm) {
  testing::TempDir input;
  auto file = input.path() / "long.jsonl";
  std::string content;
  for (int i = 1; i <= 40; ++i)
    content += "第" + std::to_string(i) + "段：坚持以人民为中心的发展思想，扎实推进各项工作。\\n";
  content += "最后一段只有会员才能读到。";
  testing::write_file(
      file,
      R"({"id":"long-1","title":"长文","date":"2022","category":"工作总结","source":"test","content":")" +
          content + "\"}\n");
  Site site({}, file);  // the login wall is on by default
  ASSERT_TRUE(site.ready());

  auto r = http_get(site.port(), "/doc/long-1");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<p id=\"p1\">第1段"));
  EXPECT_FALSE(contains(r.body, "最后一段只有会员才能读到"));
  EXPECT_TRUE(contains(r.body, "阅读全文"));
  EXPECT_TRUE(contains(r.body, "想阅读完全部图文内容，您需要先登录！"));
  EXPECT_TRUE(contains(r.body, R"(href="/login?next=/doc/long-1">登录</a>)"));
  EXPECT_TRUE(contains(r.body, R"(href="/register?next=/doc/long-1">注册</a>)"));
  for (const char* target : {"/login", "/register"}) {
    auto page = http_get(site.port(), target);
    EXPECT_EQ(page.status, 200) << target;
    EXPECT_TRUE(contains(page.body, R"(<form id="account-form")")) << target;
  }

  ASSERT_EQ(kill(site.process().pid(), SIGTERM), 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (site.process().running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(site.process().running()) << "still running 10 s after SIGTERM";
}

// Connections still open when the server stops (mid-head, kept alive after an answer, with
// answers they never read, or silent) end before the server does: exit status 0, with one
// thread per worker and with two. Before end_open_connections, a connection still waiting
// for a read when the io_context was destroyed told the acceptor that counts connections about
// its end after the acceptor was gone, which the sanitizer build turned into an abort of the
// worker in some stops (1 of 14 in trials with 200 connections: this test fails only now and
// then without it).
TEST(HostileSiteTest, ASigtermWithConnectionsOpenStopsTheServerCleanly) {
  for (const char* threads : {"1", "2"}) {
    Site site({"--demo", "--workers", "2", "--threads", threads});
    ASSERT_TRUE(site.ready());
    boost::asio::io_context io;
    const boost::asio::ip::tcp::endpoint server(boost::asio::ip::make_address("127.0.0.1"),
                                                static_cast<unsigned short>(site.port()));
    std::vector<boost::asio::ip::tcp::socket> connections;
    for (int i = 0; i < 200; ++i) {
      auto& socket = connections.emplace_back(io);
      socket.connect(server);
      std::string request;
      if (i % 4 == 3) {
        for (int k = 0; k < 16; ++k) request += "GET /sitemap.xml HTTP/1.1\r\nHost: a\r\n\r\n";
      } else if (i % 3 == 0) {
        request = "GET / HTTP/1.1\r\nHost: a\r\n";
      } else if (i % 3 == 1) {
        request = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
      }
      boost::asio::write(socket, boost::asio::buffer(request));
      if (i % 4 == 3) {  // answering: the rest of the answers wait for this client to read
        std::array<char, 1> first;
        ASSERT_EQ(socket.read_some(boost::asio::buffer(first)), 1u);
      } else if (i % 3 == 1) {
        std::string answer;  // the head of the answer: the connection stays open
        while (!contains(answer, "\r\n\r\n")) {
          std::array<char, 4096> buffer;
          answer.append(buffer.data(), socket.read_some(boost::asio::buffer(buffer)));
        }
        ASSERT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
      }
    }
    ASSERT_EQ(kill(site.process().pid(), SIGTERM), 0);
    const std::optional<int> status = site.process().wait(30);
    ASSERT_TRUE(status.has_value()) << "still running 30 s after SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status)) << "killed by signal " << WTERMSIG(*status);
    EXPECT_EQ(WEXITSTATUS(*status), 0) << threads << " threads per worker";
  }
}

// True when process `pid` holds SIGTERM blocked (its main thread's SigBlk in /proc).
bool holds_sigterm(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("SigBlk:")) {
      return (std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1;
    }
  }
  return false;
}

// A SIGTERM that arrives while the server is still starting (opening the library, before it
// listens) stops it gracefully, as one and two worker processes alike: exit status 0, not
// killed by the signal.
TEST(HostileSiteTest, ASigtermBeforeListeningStopsTheServerGracefully) {
  testing::TempDir dir;
  for (const char* workers : {"1", "2"}) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string binary = testing::wenku_binary().string();
      const std::string data = (dir.path() / "data").string();
      execl(binary.c_str(), binary.c_str(), "serve", "--data", data.c_str(), "--listen",
            "127.0.0.1:0", "--workers", workers, static_cast<char*>(nullptr));
      _exit(127);
    }
    // Killed and reaped should an assertion below end the test first.
    struct Reaper {
      pid_t pid;
      ~Reaper() {
        if (pid > 0 && waitpid(pid, nullptr, WNOHANG) == 0) {
          kill(pid, SIGKILL);
          waitpid(pid, nullptr, 0);
        }
      }
    } reaper{pid};
    // Wait for the event (the signal held), then signal at once: the dictionary alone takes
    // longer to load than this.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!holds_sigterm(pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_TRUE(holds_sigterm(pid)) << "wenku serve never held SIGTERM";
    ASSERT_EQ(kill(pid, SIGTERM), 0);
    // Waits for the exit with a deadline: a server that never stops fails (and is killed by
    // the reaper) rather than holding the suite.
    int status = 0;
    const auto stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    pid_t reaped = 0;
    while ((reaped = waitpid(pid, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < stop_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(reaped, pid) << "still running 60 s after SIGTERM";
    reaper.pid = 0;
    EXPECT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 0) << workers << " workers";
  }
}

// Guests behind the login wall: the outline is free, the template and tasks only of the preview.
TEST(HostileSiteTest, GuestPreviewLimitsTemplateAndTasksButNotTheOutline) {
  testing::TempDir input;
  auto file = input.path() / "speech.jsonl";
  std::string content = "一、总体要求。由区发改委牵头，要在3月底前完成项目清单编制。\\n";
  for (int i = 1; i <= 40; ++i) content += "坚持以人民为中心的发展思想，扎实推进各项工作。\\n";
  content += "二、保障措施。由区财政局牵头，要在6月底前完成资金拨付。\\n";
  content += "最后一段2024年新增会员专享企业88家。";
  testing::write_file(
      file,
      R"({"id":"gated-1","title":"讲话","date":"2024","category":"讲话稿","source":"test","content":")" +
          content + "\"}\n");
  Site site({}, file);
  ASSERT_TRUE(site.ready());

  auto doc = http_get(site.port(), "/doc/gated-1");
  ASSERT_EQ(doc.status, 200);
  EXPECT_TRUE(contains(doc.body, R"(<a href="#p1">一、总体要求</a>)")) << doc.body;
  EXPECT_TRUE(contains(doc.body, R"(<a href="#read-more">二、保障措施</a>)")) << doc.body;
  EXPECT_FALSE(contains(doc.body, "由区财政局牵头"));

  auto tmpl = http_get(site.port(), "/doc/gated-1/template");
  ASSERT_EQ(tmpl.status, 200);
  EXPECT_TRUE(contains(
      tmpl.body,
      R"(要在<mark class="tpl-x" title="原文为数字或日期">X</mark>月底前完成项目清单编制)"))
      << tmpl.body;
  EXPECT_FALSE(contains(tmpl.body, "保障措施"));
  EXPECT_FALSE(contains(tmpl.body, "会员专享"));
  EXPECT_TRUE(contains(tmpl.body, "阅读全文"));

  auto tasks = http_get(site.port(), "/doc/gated-1/tasks");
  ASSERT_EQ(tasks.status, 200);
  EXPECT_TRUE(contains(tasks.body, "区发改委"));
  EXPECT_FALSE(contains(tasks.body, "区财政局"));
  auto csv = http_get(site.port(), "/doc/gated-1/tasks.csv");
  EXPECT_TRUE(contains(csv.body, "区发改委"));
  EXPECT_FALSE(contains(csv.body, "区财政局"));
}

}  // namespace
}  // namespace wenku::web
