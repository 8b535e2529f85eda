// The admin (/admin): its token guard (unit), SVG charts (unit), and every admin page against
// the real `wenku serve --admin-token T` binary with two worker processes (so the session
// cookie must be valid across processes).
#include <utility>  // before Boost.Asio: Boost 1.74 needs it under C++20

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "testing/test_support.h"
#include "web/admin/admin_auth.h"
#include "web/admin/admin_impl.h"
#include "web/admin/svg_chart.h"
#include "web/http/url.h"

namespace wenku::web {
namespace {

namespace http = boost::beast::http;
using Response = http::response<http::string_body>;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kToken = "test-admin-token-0123456789";

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The value of header `field` of `r` ("" when absent).
std::string header(const Response& r, http::field field) { return std::string(r[field]); }

// ---- unit: the token guard ----

TEST(AdminAuthTest, TokenMatchesOnlyItself) {
  AdminAuth auth(kToken);
  EXPECT_TRUE(auth.token_matches(kToken));
  EXPECT_FALSE(auth.token_matches(""));
  EXPECT_FALSE(auth.token_matches("test-admin-token-012345678"));    // a prefix
  EXPECT_FALSE(auth.token_matches("test-admin-token-0123456789x"));  // longer
  EXPECT_FALSE(auth.token_matches("Test-admin-token-0123456789"));
  EXPECT_THROW(AdminAuth(""), std::invalid_argument);
}

TEST(AdminAuthTest, SessionsExpireAndCannotBeForged) {
  AdminAuth auth(kToken);
  const std::int64_t now = 1'700'000'000;
  const std::string session = auth.new_session(now);
  EXPECT_TRUE(std::regex_match(session, std::regex("[0-9]+\\.[0-9a-f]{32}\\.[0-9a-f]{64}")))
      << session;
  EXPECT_TRUE(auth.session_valid(session, now));
  EXPECT_TRUE(auth.session_valid(session, now + kAdminSessionSeconds - 1));
  EXPECT_FALSE(auth.session_valid(session, now + kAdminSessionSeconds));
  EXPECT_NE(auth.new_session(now), session);  // random part
  // Another token (another site, or a restarted server with a new token) does not accept it.
  EXPECT_FALSE(AdminAuth("another-token-0123456789").session_valid(session, now));
  // Changing any part breaks the MAC: a later expiry, the nonce, the MAC itself.
  std::string later = session;
  later[0] = later[0] == '9' ? '8' : static_cast<char>(later[0] + 1);
  EXPECT_FALSE(auth.session_valid(later, now));
  std::string nonce = session;
  nonce[session.find('.') + 1] ^= 1;
  EXPECT_FALSE(auth.session_valid(nonce, now));
  std::string mac = session;
  mac.back() = mac.back() == '0' ? '1' : '0';
  EXPECT_FALSE(auth.session_valid(mac, now));
  for (const char* junk : {"", ".", "..", "1.2.3", "abc", "99999999999999999999999.a.b"}) {
    EXPECT_FALSE(auth.session_valid(junk, now)) << junk;
  }
}

TEST(AdminAuthTest, CsrfTokensAreBoundToTheirSession) {
  AdminAuth auth(kToken);
  const std::string a = auth.new_session(1'700'000'000);
  const std::string b = auth.new_session(1'700'000'000);
  const std::string csrf = auth.csrf_for(a);
  EXPECT_EQ(csrf.size(), 64u);
  EXPECT_TRUE(auth.csrf_valid(a, csrf));
  EXPECT_FALSE(auth.csrf_valid(b, csrf));
  EXPECT_FALSE(auth.csrf_valid(a, ""));
  EXPECT_FALSE(auth.csrf_valid(a, csrf.substr(1)));
  EXPECT_NE(csrf, a.substr(a.rfind('.') + 1));  // not the session's own MAC
}

// ---- unit: SVG charts ----

// The chart parsed as XML (it must be well-formed to be inlined), or an empty document.
pugi::xml_document parse_svg(const std::string& svg) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(svg.c_str())) << svg;
  return doc;
}

TEST(SvgChartTest, EscapesEveryText) {
  const std::string hostile = "<script>alert(\"x\")</script> & ' 标题";
  const std::string svg = svg_chart(ChartKind::kBar, {{hostile, 3}, {"b", 1}}, {hostile, "<u>"});
  EXPECT_FALSE(contains(svg, "<script")) << svg;
  EXPECT_FALSE(contains(svg, "<u>")) << svg;
  auto doc = parse_svg(svg);
  auto root = doc.child("svg");
  ASSERT_TRUE(root);
  EXPECT_EQ(std::string(root.child_value("title")), hostile);
  EXPECT_EQ(std::string(root.attribute("aria-label").value()), hostile);
  auto first_bar = root.select_node("//rect").node();
  EXPECT_EQ(std::string(first_bar.child_value("title")), hostile + ": 3<u>");
}

TEST(SvgChartTest, DrawsOneBarPerPointOnRoundIntegerSteps) {
  std::vector<ChartPoint> points;
  for (int i = 0; i < 30; ++i) points.push_back({std::to_string(100 + i), i == 29 ? 7.0 : 1.0});
  auto doc = parse_svg(svg_chart(ChartKind::kBar, points, {"每日", "篇"}));
  EXPECT_EQ(doc.select_nodes("//rect").size(), 30u);
  std::vector<std::string> ticks;
  for (auto n : doc.select_nodes("//text[@class='chart-value']")) {
    ticks.push_back(n.node().child_value());
  }
  EXPECT_EQ(ticks, (std::vector<std::string>{"0", "2", "4", "6", "8"}));
  // At most about 8 x labels, the last point's always among them.
  auto labels = doc.select_nodes("//text[@class='chart-label']");
  EXPECT_LE(labels.size(), 9u);
  EXPECT_EQ(std::string(labels[labels.size() - 1].node().child_value()), "129");
  // The tallest bar reaches the top grid line; a bar of 1 is an eighth of it.
  double top = 1e9;
  double small = 0;
  for (auto n : doc.select_nodes("//rect")) {
    top = std::min(top, n.node().attribute("y").as_double());
    small = std::max(small, n.node().attribute("y").as_double());
  }
  const double bottom = small + doc.select_node("//rect").node().attribute("height").as_double();
  EXPECT_NEAR((bottom - small) * 7, bottom - top, 0.1);
}

TEST(SvgChartTest, LinesAndEmptyCharts) {
  auto line = parse_svg(svg_chart(ChartKind::kLine, {{"a", 0}, {"b", 2}, {"c", 1}}, {"阅读", ""}));
  EXPECT_EQ(line.select_nodes("//circle").size(), 3u);
  const std::string points = line.select_node("//polyline").node().attribute("points").value();
  EXPECT_EQ(std::count(points.begin(), points.end(), ','), 3);
  auto empty = parse_svg(svg_chart(ChartKind::kBar, {}, {"空", ""}));
  EXPECT_EQ(empty.select_nodes("//rect").size(), 0u);
  EXPECT_TRUE(contains(svg_chart(ChartKind::kBar, {}, {"空", ""}), "暂无数据"));
}

// ---- the real server ----

// One HTTP/1.1 exchange with 127.0.0.1:`port`.
Response exchange(int port, http::verb verb, const std::string& target, const Fields& headers,
                  const std::string& body = "") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::user_agent, "wenku-test");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(socket, buffer, parser);
  return parser.release();
}

std::string form_body(const Fields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += (body.empty() ? "" : "&") + name + "=" + encode_query_value(value);
  }
  return body;
}

// A part of a multipart/form-data body: a field, or a file when `file_name` is set.
struct Part {
  std::string name;
  std::string value;
  std::optional<std::string> file_name;
};

constexpr const char* kBoundary = "----wenku-test-boundary-7d93a1";

std::string multipart_body(const std::vector<Part>& parts) {
  std::string body;
  for (const auto& p : parts) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + p.name +
            "\"";
    if (p.file_name)
      body += "; filename=\"" + *p.file_name + "\"\r\nContent-Type: application/octet-stream";
    body += "\r\n\r\n" + p.value + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

// The value of the first `<input name="name" value="…">` of an HTML page ("" when none).
std::string input_value(const std::string& page, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(page, m, re) ? m[1].str() : "";
}

// Polls `check` every 100 ms for up to `seconds`; true as soon as it holds.
bool eventually(const std::function<bool()>& check, double seconds = 10) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  return check();
}

// A text file's bytes: a title line, then paragraphs.
std::string text_file(const std::string& title, const std::vector<std::string>& paragraphs) {
  std::string text = title + "\n\n";
  for (const auto& p : paragraphs) text += p + "\n";
  return text;
}

const std::vector<std::string> kReport = {
    "一、基本情况",   "今年以来，我们围绕蓝莓试验田建设，扎实推进各项工作，取得了明显成效。",
    "二、存在问题",   "一是资金投入不足，二是技术力量薄弱，三是市场渠道不畅。",
    "三、下一步工作", "要进一步加大投入力度，强化技术支撑，拓宽销售渠道，确保试验田见到实效。"};

// `wenku serve --admin-token kToken --workers 2` on a fresh library for each test (the tests
// count documents, pairs and messages), logged in.
class AdminSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::ServerProcess>(std::vector<std::string>{
        testing::wenku_binary(), "serve", "--data", (dir_.path() / "data").string(), "--workers",
        "2", "--admin-token", kToken});
    port_ = server_->port();
    ASSERT_NE(port_, 0) << "wenku serve did not start";
    cookie_ = login();
    ASSERT_FALSE(cookie_.empty());
    csrf_ = input_value(get("/admin").body(), "csrf");
    ASSERT_EQ(csrf_.size(), 64u);
  }

  // Logs in with `token`; the session cookie ("wenku_admin=…"), or "" when refused.
  std::string login(const std::string& token = kToken) const {
    auto r = exchange(port_, http::verb::post, "/admin/login",
                      {{"Content-Type", "application/x-www-form-urlencoded"}},
                      form_body({{"token", token}}));
    if (r.result_int() != 303) return "";
    const std::string set_cookie(header(r, http::field::set_cookie));
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  Response get(const std::string& target) const {
    return exchange(port_, http::verb::get, target, {{"Cookie", cookie_}});
  }
  Response guest_get(const std::string& target) const {
    return exchange(port_, http::verb::get, target, {});
  }
  // POSTs `fields` urlencoded with the session cookie and its csrf field.
  Response post(const std::string& target, Fields fields) const {
    fields.emplace_back("csrf", csrf_);
    return exchange(port_, http::verb::post, target,
                    {{"Cookie", cookie_}, {"Content-Type", "application/x-www-form-urlencoded"}},
                    form_body(fields));
  }
  // POSTs `parts` and the csrf field as multipart/form-data.
  Response post_multipart(const std::string& target, std::vector<Part> parts,
                          bool json = false) const {
    parts.insert(parts.begin(), Part{"csrf", csrf_, std::nullopt});
    Fields headers = {{"Cookie", cookie_},
                      {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}};
    if (json) headers.emplace_back("Accept", "application/json");
    return exchange(port_, http::verb::post, target, headers, multipart_body(parts));
  }
  // Uploads files (name, bytes) and returns the JSON report's "files".
  nlohmann::json upload(const std::vector<std::pair<std::string, std::string>>& files,
                        const std::string& category = "") const {
    std::vector<Part> parts;
    for (const auto& [name, bytes] : files) parts.push_back({"files", bytes, name});
    if (!category.empty()) parts.push_back({"category", category, std::nullopt});
    auto r = post_multipart("/admin/upload", parts, true);
    EXPECT_EQ(r.result_int(), 200) << r.body();
    EXPECT_TRUE(std::string(header(r, http::field::content_type)).starts_with("application/json"));
    return nlohmann::json::parse(r.body())["files"];
  }
  // Uploads one text file and returns the id of its document.
  std::string upload_text(const std::string& file_name, const std::string& title,
                          const std::vector<std::string>& paragraphs = kReport,
                          const std::string& category = "") const {
    auto files = upload({{file_name, text_file(title, paragraphs)}}, category);
    EXPECT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0]["errors"].size(), 0u) << files.dump();
    return files[0]["documents"][0]["id"].get<std::string>();
  }

  testing::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<testing::ServerProcess> server_;
  std::string cookie_;
  std::string csrf_;
};

TEST_F(AdminSiteTest, LoginChecksTheToken) {
  auto form = guest_get("/admin/login");
  EXPECT_EQ(form.result_int(), 200);
  EXPECT_TRUE(contains(form.body(), "name=\"token\""));
  EXPECT_TRUE(contains(form.body(), "<meta name=\"robots\" content=\"noindex\">"));
  EXPECT_EQ(header(form, http::field::cache_control), "no-store");

  for (const std::string& bad :
       std::vector<std::string>{"", "wrong", std::string(kToken) + "x", "test-admin-token"}) {
    auto r = exchange(port_, http::verb::post, "/admin/login",
                      {{"Content-Type", "application/x-www-form-urlencoded"}},
                      form_body({{"token", bad}}));
    EXPECT_EQ(r.result_int(), 403) << bad;
    EXPECT_TRUE(header(r, http::field::set_cookie).empty()) << bad;
    EXPECT_TRUE(contains(r.body(), "令牌不正确")) << bad;
  }

  auto r = exchange(port_, http::verb::post, "/admin/login",
                    {{"Content-Type", "application/x-www-form-urlencoded"}},
                    form_body({{"token", kToken}}));
  EXPECT_EQ(r.result_int(), 303);
  EXPECT_EQ(header(r, http::field::location), "/admin");
  const std::string set_cookie(header(r, http::field::set_cookie));
  EXPECT_TRUE(set_cookie.starts_with("wenku_admin=")) << set_cookie;
  for (const char* attribute :
       {"; HttpOnly", "; SameSite=Strict", "; Path=/admin", "; Max-Age=43200"}) {
    EXPECT_TRUE(contains(set_cookie, attribute)) << set_cookie;
  }
  // The session works on every worker process (the HMAC needs only the token): try several
  // connections, which the kernel spreads over the workers.
  for (int i = 0; i < 6; ++i) {
    auto page = exchange(port_, http::verb::get, "/admin",
                         {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}});
    EXPECT_EQ(page.result_int(), 200);
    EXPECT_EQ(header(page, http::field::cache_control), "no-store");
    EXPECT_TRUE(contains(page.body(), "<meta name=\"robots\" content=\"noindex\">"));
  }
  // Signed in, the login page sends the admin home.
  EXPECT_EQ(get("/admin/login").result_int(), 303);
}

TEST_F(AdminSiteTest, EveryAdminRouteNeedsTheSessionCookie) {
  const std::string forged = "wenku_admin=" + std::to_string(std::time(nullptr) + 3600) + "." +
                             std::string(32, 'a') + "." + std::string(64, 'b');
  for (const char* target :
       {"/admin", "/admin/upload", "/admin/docs", "/admin/docs?deleted=1", "/admin/categories",
        "/admin/topics", "/admin/settings", "/admin/feedback", "/admin/duplicates"}) {
    for (const std::string& cookie : {std::string(), forged, std::string("wenku_admin=")}) {
      Fields headers;
      if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
      auto r = exchange(port_, http::verb::get, target, headers);
      EXPECT_EQ(r.result_int(), 303) << target << " " << cookie;
      EXPECT_EQ(header(r, http::field::location), "/admin/login") << target;
    }
    EXPECT_EQ(get(target).result_int(), 200) << target;
  }
  // POSTs too, and they change nothing.
  auto r = exchange(port_, http::verb::post, "/admin/categories/create",
                    {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", forged}},
                    form_body({{"name", "伪造分类"}, {"csrf", csrf_}}));
  EXPECT_EQ(r.result_int(), 303);
  EXPECT_FALSE(contains(get("/admin/categories").body(), "伪造分类"));
}

TEST_F(AdminSiteTest, PostsWithoutTheRightCsrfTokenAreRefused) {
  const Fields headers = {{"Cookie", cookie_},
                          {"Content-Type", "application/x-www-form-urlencoded"}};
  // Another session's token is no good either.
  const std::string other_cookie = login();
  const std::string other_csrf = input_value(
      exchange(port_, http::verb::get, "/admin", {{"Cookie", other_cookie}}).body(), "csrf");
  ASSERT_EQ(other_csrf.size(), 64u);
  ASSERT_NE(other_csrf, csrf_);
  for (const Fields& fields :
       {Fields{{"name", "无令牌分类"}}, Fields{{"name", "无令牌分类"}, {"csrf", ""}},
        Fields{{"name", "无令牌分类"}, {"csrf", std::string(64, '0')}},
        Fields{{"name", "无令牌分类"}, {"csrf", other_csrf}}}) {
    auto r =
        exchange(port_, http::verb::post, "/admin/categories/create", headers, form_body(fields));
    EXPECT_EQ(r.result_int(), 403);
    EXPECT_TRUE(contains(r.body(), "CSRF"));
  }
  EXPECT_FALSE(contains(get("/admin/categories").body(), "无令牌分类"));
  // Multipart uploads as well.
  auto upload =
      exchange(port_, http::verb::post, "/admin/upload",
               {{"Cookie", cookie_},
                {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}},
               multipart_body({{"files", text_file("无令牌上传", kReport), "no-csrf.txt"}}));
  EXPECT_EQ(upload.result_int(), 403);
  EXPECT_EQ(guest_get("/doc/no-csrf").result_int(), 404);

  auto ok = post("/admin/categories/create", {{"name", "有令牌分类"}});
  EXPECT_EQ(ok.result_int(), 303);
  EXPECT_TRUE(contains(get("/admin/categories").body(), "有令牌分类"));
}

TEST_F(AdminSiteTest, UploadReportsEachFileAndTheTextsBecomeSearchable) {
  auto files = upload({{"admin-upload-a.txt", text_file("蓝莓试验田建设情况报告", kReport)},
                       {"admin-upload-b.md",
                        "# 学习猕猴桃种植技术心得体会\n\n通过学习，我深刻认识到科技兴农的重要性。"
                        "\n\n要把学到的知识运用到实践中去，带动群众增收致富。\n"},
                       {"bad.exe", std::string("MZ\0\x01\x02 binary", 12)}});
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0]["name"], "admin-upload-a.txt");
  EXPECT_EQ(files[0]["inserted"], 1);
  EXPECT_EQ(files[0]["updated"], 0);
  EXPECT_EQ(files[0]["documents"][0]["id"], "admin-upload-a");
  EXPECT_EQ(files[1]["inserted"], 1);
  EXPECT_EQ(files[1]["documents"][0]["title"], "学习猕猴桃种植技术心得体会");
  EXPECT_EQ(files[2]["inserted"], 0);
  ASSERT_EQ(files[2]["errors"].size(), 1u);
  EXPECT_EQ(files[2]["documents"].size(), 0u);

  // The index follower picks both up within a few seconds.
  EXPECT_TRUE(eventually([this] {
    return contains(guest_get("/search?q=" + encode_query_value("蓝莓试验田")).body(),
                    "/doc/admin-upload-a");
  })) << "the uploaded .txt is not found by search";
  EXPECT_TRUE(eventually([this] {
    return contains(guest_get("/search?q=" + encode_query_value("猕猴桃")).body(),
                    "/doc/admin-upload-b");
  })) << "the uploaded .md is not found by search";
  // The admin's title search finds it as well.
  EXPECT_TRUE(eventually([this] {
    return contains(get("/admin/docs?q=" + encode_query_value("猕猴桃")).body(),
                    "学习猕猴桃种植技术心得体会");
  }));

  // Uploading the same file again updates it; the HTML answer lists one li per file.
  auto again =
      post_multipart("/admin/upload",
                     {{"files", text_file("蓝莓试验田建设情况报告", kReport), "admin-upload-a.txt"},
                      {"files", "", "empty.txt"}});
  EXPECT_EQ(again.result_int(), 200);
  const std::string& page = again.body();
  const auto start = page.find("<ul id=\"upload-report\"");
  ASSERT_NE(start, std::string::npos);
  const std::string report = page.substr(start, page.find("</ul>", start) - start);
  std::regex li("<li>");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(report.begin(), report.end(), li), std::sregex_iterator()),
      2);
  EXPECT_TRUE(contains(report, "新增 0 · 更新 1"));
  EXPECT_TRUE(contains(report, "empty.txt"));
  EXPECT_TRUE(contains(report, "class=\"error\""));

  // No file at all, or an unknown category, is refused.
  EXPECT_EQ(post_multipart("/admin/upload", {}).result_int(), 400);
  EXPECT_EQ(post_multipart("/admin/upload", {{"files", text_file("分类不存在", kReport), "x.txt"},
                                             {"category", "没有这个分类", std::nullopt}})
                .result_int(),
            400);
  EXPECT_EQ(guest_get("/doc/x").result_int(), 404);
}

TEST_F(AdminSiteTest, NearDuplicatesAreReportedAndReviewed) {
  const std::string original = upload_text("dup-original.txt", "蓝莓产业发展工作报告");
  auto files = upload({{"dup-copy.txt", text_file("蓝莓产业发展工作报告（修订稿）", kReport)}});
  ASSERT_EQ(files[0]["near_duplicates"].size(), 1u) << files.dump();
  EXPECT_EQ(files[0]["near_duplicates"][0]["id"], "dup-copy");
  EXPECT_EQ(files[0]["near_duplicates"][0]["similar_to"], original);

  auto review = get("/admin/duplicates");
  EXPECT_TRUE(contains(review.body(), "近似重复（1 对）"));
  EXPECT_TRUE(contains(review.body(), "蓝莓产业发展工作报告（修订稿）"));
  EXPECT_TRUE(contains(get("/admin").body(), "id=\"stat-duplicates\">1<"));
  // 不是重复 removes the link (either order names it).
  auto unlink = post("/admin/duplicates/unlink", {{"a", "dup-copy"}, {"b", original}});
  EXPECT_EQ(unlink.result_int(), 303);
  EXPECT_TRUE(contains(get("/admin/duplicates").body(), "近似重复（0 对）"));
  EXPECT_EQ(post("/admin/duplicates/unlink", {{"a", "dup-copy"}, {"b", original}}).result_int(),
            404);
}

TEST_F(AdminSiteTest, EditChangesTheDocument) {
  const std::string id = upload_text("edit-me.txt", "待修改的工作报告");
  const std::string target = "/admin/docs/" + id + "/edit";
  auto form = get(target);
  ASSERT_EQ(form.result_int(), 200);
  EXPECT_EQ(input_value(form.body(), "title"), "待修改的工作报告");

  auto saved = post(target, {{"title", "20211225:修改后的工作报告"},
                             {"category", "工作报告"},
                             {"date", "2021-12-25"},
                             {"content", "第一段修改后的正文。\n\n  第二段修改后的正文。  "}});
  EXPECT_EQ(saved.result_int(), 303);
  EXPECT_EQ(header(saved, http::field::location), target + "?ok=saved");
  auto page = guest_get("/doc/" + id);
  EXPECT_EQ(page.result_int(), 200);
  EXPECT_TRUE(contains(page.body(), "20211225:修改后的工作报告"));
  EXPECT_TRUE(contains(page.body(), "第二段修改后的正文。"));
  EXPECT_FALSE(contains(page.body(), "蓝莓试验田"));
  EXPECT_TRUE(contains(get(target + "?ok=saved").body(), "已保存"));

  // Bad input is refused with the reason and changes nothing.
  for (const Fields& bad : {Fields{{"title", ""}, {"date", ""}, {"content", "正文"}},
                            Fields{{"title", "标题"}, {"date", "2021-13-01"}, {"content", "正文"}},
                            Fields{{"title", "标题"}, {"date", "2023-02-29"}, {"content", "正文"}},
                            Fields{{"title", "标题"}, {"date", ""}, {"content", " \n "}},
                            Fields{{"title", "两行\n标题"}, {"date", ""}, {"content", "正文"}}}) {
    auto r = post(target, bad);
    EXPECT_EQ(r.result_int(), 400) << bad[0].second << " " << bad[1].second;
    EXPECT_TRUE(contains(r.body(), "class=\"error\""));
  }
  EXPECT_TRUE(contains(guest_get("/doc/" + id).body(), "20211225:修改后的工作报告"));
  EXPECT_EQ(get("/admin/docs/no-such-doc/edit").result_int(), 404);
  EXPECT_EQ(post("/admin/docs/no-such-doc/edit", {{"title", "x"}, {"content", "y"}}).result_int(),
            404);
}

// A title the clean-up derived from the text keeps its mark while the admin keeps it, and
// loses it once the admin writes another.
TEST_F(AdminSiteTest, EditingTheDerivedTitleDropsItsMark) {
  const std::string id = upload_text(
      "salutation.txt", "同志们：",
      {"今天我们召开全区安全生产工作会议，主要任务是部署今年的安全生产工作。", "一要压实责任。"});
  const std::string target = "/admin/docs/" + id + "/edit";
  const std::string derived = input_value(get(target).body(), "title");
  ASSERT_NE(derived, "同志们：");
  ASSERT_TRUE(contains(guest_get("/doc/" + id).body(), "（标题为系统摘取）"));
  const auto save = [&](const std::string& title) {
    auto saved = post(target, {{"title", title},
                               {"category", ""},
                               {"date", ""},
                               {"content", "今天我们召开全区安全生产工作会议。\n一要压实责任。"}});
    EXPECT_EQ(saved.result_int(), 303) << saved.body();
  };
  save(derived);
  EXPECT_TRUE(contains(guest_get("/doc/" + id).body(), "（标题为系统摘取）"));
  save("全区安全生产工作会议讲话稿");
  const auto page = guest_get("/doc/" + id).body();
  EXPECT_TRUE(contains(page, "全区安全生产工作会议讲话稿"));
  EXPECT_FALSE(contains(page, "（标题为系统摘取）"));
}

TEST_F(AdminSiteTest, DeleteHidesTheDocumentAndRestoreBringsItBack) {
  const std::string id = upload_text("delete-me.txt", "将被删除的工作报告");
  EXPECT_EQ(guest_get("/doc/" + id).result_int(), 200);

  auto deleted = post("/admin/docs/" + id + "/delete", {{"return", "/admin/docs?deleted=1"}});
  EXPECT_EQ(deleted.result_int(), 303);
  EXPECT_EQ(header(deleted, http::field::location), "/admin/docs?deleted=1&ok=deleted");
  EXPECT_EQ(guest_get("/doc/" + id).result_int(), 404);
  EXPECT_TRUE(contains(get("/admin/docs?deleted=1").body(), "将被删除的工作报告"));
  EXPECT_FALSE(contains(get("/admin/docs").body(), "将被删除的工作报告"));
  EXPECT_TRUE(contains(get("/admin").body(), "id=\"stat-deleted\">1<"));
  EXPECT_TRUE(contains(get("/admin/docs/" + id + "/edit").body(), "已删除"));

  // An outside `return` address is not followed.
  auto restored = post("/admin/docs/" + id + "/restore", {{"return", "https://evil.example/"}});
  EXPECT_EQ(restored.result_int(), 303);
  EXPECT_EQ(header(restored, http::field::location), "/admin/docs/" + id + "/edit?ok=restored");
  EXPECT_EQ(guest_get("/doc/" + id).result_int(), 200);
  EXPECT_EQ(post("/admin/docs/no-such-doc/delete", {}).result_int(), 404);
}

TEST_F(AdminSiteTest, CategoriesRenameMergeAndOrderMoveDocuments) {
  ASSERT_EQ(post("/admin/categories/create", {{"name", "甲类报告"}}).result_int(), 303);
  ASSERT_EQ(post("/admin/categories/create", {{"name", "乙类报告"}}).result_int(), 303);
  const std::string x = upload_text("cat-x.txt", "甲类的一篇报告", kReport, "甲类报告");
  const std::string y = upload_text("cat-y.txt", "乙类的一篇报告", kReport, "乙类报告");
  auto category_of = [this](const std::string& id) {
    return input_value(get("/admin/docs/" + id + "/edit").body(), "category");
  };
  EXPECT_EQ(category_of(x), "甲类报告");

  auto renamed = post("/admin/categories/rename", {{"from", "甲类报告"}, {"to", "丙类报告"}});
  EXPECT_EQ(renamed.result_int(), 303);
  EXPECT_EQ(header(renamed, http::field::location), "/admin/categories?ok=renamed&n=1");
  EXPECT_EQ(category_of(x), "丙类报告");
  EXPECT_TRUE(contains(get("/admin/categories?ok=renamed&n=1").body(), "已改名，移动了 1 篇文档"));

  auto merged = post("/admin/categories/rename", {{"from", "丙类报告"}, {"to", "乙类报告"}});
  EXPECT_EQ(header(merged, http::field::location), "/admin/categories?ok=merged&n=1");
  EXPECT_EQ(category_of(x), "乙类报告");
  EXPECT_EQ(category_of(y), "乙类报告");
  // The public category page follows (through the index).
  EXPECT_TRUE(eventually([&] {
    const auto page = guest_get(category_path("乙类报告")).body();
    return contains(page, "甲类的一篇报告") && contains(page, "乙类的一篇报告");
  }));

  // Refusals: unknown source, empty or same target.
  EXPECT_EQ(post("/admin/categories/rename", {{"from", "没有的分类"}, {"to", "丁"}}).result_int(),
            400);
  EXPECT_EQ(post("/admin/categories/rename", {{"from", "乙类报告"}, {"to", " "}}).result_int(),
            400);
  EXPECT_EQ(
      post("/admin/categories/rename", {{"from", "乙类报告"}, {"to", "乙类报告"}}).result_int(),
      400);
  EXPECT_EQ(category_of(x), "乙类报告");

  // Order: 戊 before 乙.
  ASSERT_EQ(post("/admin/categories/create", {{"name", "戊类报告"}}).result_int(), 303);
  EXPECT_EQ(post("/admin/categories/order",
                 {{"name", "乙类报告"}, {"position", "2"}, {"name", "戊类报告"}, {"position", "1"}})
                .result_int(),
            303);
  const std::string page = get("/admin/categories").body();
  EXPECT_LT(page.find(">戊类报告<"), page.find(">乙类报告<"));
  EXPECT_EQ(post("/admin/categories/order", {{"name", "乙类报告"}, {"position", "x"}}).result_int(),
            400);
}

TEST_F(AdminSiteTest, CategoryKindsAreSetWithTheFormAndDecideTheHomeList) {
  ASSERT_EQ(post("/admin/categories/create", {{"name", "新闻联播"}}).result_int(), 303);
  ASSERT_EQ(post("/admin/categories/create", {{"name", "讲话稿"}}).result_int(), 303);
  upload_text("kind-news.txt", "一条新闻联播稿", kReport, "新闻联播");
  upload_text("kind-speech.txt", "一篇讲话稿范文", kReport, "讲话稿");
  auto latest = [this] {
    const std::string home = guest_get("/").body();
    const auto from = home.find("<section id=\"latest\">");
    return home.substr(from, home.find("</section>", from) - from);
  };
  // 新闻联播 starts as 资料: the home page's 最新范文 leaves it out.
  EXPECT_TRUE(contains(latest(), "一篇讲话稿范文"));
  EXPECT_FALSE(contains(latest(), "一条新闻联播稿"));
  const std::string page = get("/admin/categories").body();
  EXPECT_TRUE(std::regex_search(
      page, std::regex("name=\"name\" value=\"新闻联播\"><select name=\"kind\"[^>]*><option "
                       "value=\"model\">范文</option><option value=\"reference\" selected>")))
      << page;

  // Without the form's token nothing changes.
  auto forged =
      exchange(port_, http::verb::post, "/admin/categories/kinds",
               {{"Cookie", cookie_}, {"Content-Type", "application/x-www-form-urlencoded"}},
               form_body({{"name", "新闻联播"}, {"kind", "model"}}));
  EXPECT_EQ(forged.result_int(), 403);
  // Unknown categories and kinds are refused, and nothing is written then.
  EXPECT_EQ(
      post("/admin/categories/kinds",
           {{"name", "新闻联播"}, {"kind", "model"}, {"name", "没有的分类"}, {"kind", "model"}})
          .result_int(),
      400);
  EXPECT_EQ(post("/admin/categories/kinds", {{"name", "新闻联播"}, {"kind", "范文"}}).result_int(),
            400);
  EXPECT_EQ(post("/admin/categories/kinds", {{"name", "新闻联播"}}).result_int(), 400);
  EXPECT_FALSE(contains(latest(), "一条新闻联播稿"));

  // The form as sent: every row, both kinds change.
  auto saved =
      post("/admin/categories/kinds",
           {{"name", "新闻联播"}, {"kind", "model"}, {"name", "讲话稿"}, {"kind", "reference"}});
  EXPECT_EQ(saved.result_int(), 303);
  EXPECT_EQ(header(saved, http::field::location), "/admin/categories?ok=kinds&n=2");
  EXPECT_TRUE(contains(get("/admin/categories?ok=kinds&n=2").body(), "2 个分类有改动"));
  EXPECT_TRUE(contains(latest(), "一条新闻联播稿"));
  EXPECT_FALSE(contains(latest(), "一篇讲话稿范文"));
}

TEST_F(AdminSiteTest, SettingsChangeTheSiteNameAndPreviewLength) {
  std::vector<std::string> long_text;
  for (int i = 0; i < 30; ++i) {
    long_text.push_back("第" + std::to_string(i) +
                        "段：要坚持以人民为中心的发展思想，推动高质量发展。");
  }
  long_text.push_back("结尾标记句在这里。");
  const std::string id = upload_text("settings-doc.txt", "设置测试用的长文", long_text);
  const std::string doc = "/doc/" + id;
  EXPECT_FALSE(contains(guest_get(doc).body(), "结尾标记句"));  // default preview: 600 chars

  auto settings = get("/admin/settings");
  EXPECT_EQ(input_value(settings.body(), "preview_chars"), "600");
  const std::string prefix_checked = R"(name="title_date_prefix" value="1" checked)";
  EXPECT_TRUE(contains(settings.body(), prefix_checked)) << "标题日期前缀 is on by default";
  const Fields base = {{"site_name", "测试<文库>"},
                       {"base_url", ""},
                       {"contact_text", "请留言"},
                       {"wechat_caption", "关注我们"}};
  Fields short_preview = base;
  short_preview.emplace_back("preview_chars", "60");
  EXPECT_EQ(post("/admin/settings", short_preview).result_int(), 303);
  // Every worker notices within its settings check interval.
  EXPECT_TRUE(eventually([&] {
    const auto page = guest_get(doc).body();
    return contains(page, "测试&lt;文库&gt;") && !contains(page, "第5段") &&
           !contains(page, "测试<文库>");
  })) << guest_get(doc).body();

  Fields full = base;
  full.emplace_back("preview_chars", "20000");
  EXPECT_EQ(post("/admin/settings", full).result_int(), 303);
  EXPECT_TRUE(eventually([&] { return contains(guest_get(doc).body(), "结尾标记句"); }));

  // Bad values are refused and change nothing.
  for (const auto& [key, value] : Fields{{"preview_chars", "10"},
                                         {"preview_chars", "abc"},
                                         {"site_name", ""},
                                         {"base_url", "javascript:alert(1)"},
                                         {"wechat_caption", ""}}) {
    Fields bad = full;
    for (auto& field : bad) {
      if (field.first == key) field.second = value;
    }
    auto r = post("/admin/settings", bad);
    EXPECT_EQ(r.result_int(), 400) << key << "=" << value;
  }
  EXPECT_EQ(input_value(get("/admin/settings").body(), "preview_chars"), "20000");
  EXPECT_EQ(input_value(get("/admin/settings").body(), "site_name"), "测试&lt;文库&gt;");
  // The forms above left the box unticked: the prefix is off until ticked again.
  EXPECT_FALSE(contains(get("/admin/settings").body(), prefix_checked));
  Fields with_prefix = full;
  with_prefix.emplace_back("title_date_prefix", "1");
  EXPECT_EQ(post("/admin/settings", with_prefix).result_int(), 303);
  EXPECT_TRUE(contains(get("/admin/settings").body(), prefix_checked));
}

TEST_F(AdminSiteTest, WechatImageIsCheckedAndServed) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string("\0\0\0\rIHDR fake image body", 24);
  auto ok = post_multipart("/admin/settings/wechat", {{"image", png, "qr.png"}});
  EXPECT_EQ(ok.result_int(), 303);
  EXPECT_EQ(header(ok, http::field::location), "/admin/settings?ok=image_saved");
  EXPECT_TRUE(eventually([&] {
    auto r = guest_get("/site/wechat-qr");
    return r.result_int() == 200 && r.body() == png &&
           header(r, http::field::content_type) == "image/png";
  }));
  EXPECT_TRUE(contains(get("/admin/settings").body(), "class=\"wechat-preview\""));

  // Not an image, too large, or missing: refused, the stored image stays.
  auto text = post_multipart("/admin/settings/wechat", {{"image", "<svg onload=x>", "qr.png"}});
  EXPECT_EQ(text.result_int(), 400);
  std::string huge("\xFF\xD8\xFF", 3);
  huge.resize((1 << 20) + 1, 'x');
  EXPECT_EQ(post_multipart("/admin/settings/wechat", {{"image", huge, "big.jpg"}}).result_int(),
            400);
  EXPECT_EQ(post_multipart("/admin/settings/wechat", {}).result_int(), 400);
  EXPECT_EQ(guest_get("/site/wechat-qr").body(), png);
}

TEST_F(AdminSiteTest, FeedbackCanBeMarkedHandled) {
  auto sent = exchange(
      port_, http::verb::post, "/feedback", {{"Content-Type", "application/x-www-form-urlencoded"}},
      form_body({{"message", "请问<如何>下载模板版？"}, {"contact", "QQ 12345"}, {"website", ""}}));
  ASSERT_EQ(sent.result_int(), 303) << sent.body();
  auto inbox = get("/admin/feedback");
  EXPECT_TRUE(contains(inbox.body(), "请问&lt;如何&gt;下载模板版？"));
  EXPECT_TRUE(contains(inbox.body(), "未处理（1）"));
  EXPECT_TRUE(contains(get("/admin").body(), "id=\"stat-feedback\">1<"));
  std::smatch m;
  std::regex action(R"(action="&#x2F;admin&#x2F;feedback&#x2F;([0-9]+)&#x2F;handled")");
  ASSERT_TRUE(std::regex_search(inbox.body(), m, action)) << inbox.body();
  const std::string target = "/admin/feedback/" + m[1].str() + "/handled";

  auto handled = post(target, {{"handled", "1"}, {"return", "/admin/feedback"}});
  EXPECT_EQ(handled.result_int(), 303);
  EXPECT_EQ(header(handled, http::field::location), "/admin/feedback?ok=handled");
  EXPECT_FALSE(contains(get("/admin/feedback").body(), "下载模板版"));
  const auto all = get("/admin/feedback?all=1").body();
  EXPECT_TRUE(contains(all, "下载模板版"));
  EXPECT_TRUE(contains(all, "已处理"));
  EXPECT_TRUE(contains(get("/admin").body(), "id=\"stat-feedback\">0<"));

  EXPECT_EQ(post(target, {{"handled", "0"}}).result_int(), 303);
  EXPECT_TRUE(contains(get("/admin/feedback").body(), "下载模板版"));
  EXPECT_EQ(post(target, {{"handled", "maybe"}}).result_int(), 400);
  EXPECT_EQ(post("/admin/feedback/999999/handled", {{"handled", "1"}}).result_int(), 404);
}

TEST_F(AdminSiteTest, TopicsAreCreatedEditedAndDeleted) {
  const std::string a = upload_text("topic-a.txt", "专题里的第一篇");
  const std::string b = upload_text("topic-b.txt", "专题里的第二篇",
                                    {"完全不同的一段正文，讲的是乡村振兴和产业发展。"});
  auto saved = post("/admin/topics", {{"slug", "test-topic"},
                                      {"title", "测试专题"},
                                      {"description", "专题简介"},
                                      {"position", "1"},
                                      {"ids", b + "\n\n" + a + "\n"}});
  EXPECT_EQ(saved.result_int(), 303);
  EXPECT_EQ(header(saved, http::field::location), "/admin/topics/test-topic?ok=topic_saved");
  auto edit = get("/admin/topics/test-topic");
  EXPECT_TRUE(contains(edit.body(), b + "\n" + a + "\n"));
  auto page = guest_get("/topic/test-topic");
  EXPECT_EQ(page.result_int(), 200);
  EXPECT_LT(page.body().find("专题里的第二篇"), page.body().find("专题里的第一篇"));

  // Refusals: unknown ids, bad slug, a slug taken by another topic.
  EXPECT_EQ(
      post("/admin/topics", {{"slug", "t2"}, {"title", "x"}, {"ids", "no-such-doc"}}).result_int(),
      400);
  EXPECT_EQ(post("/admin/topics", {{"slug", "Bad Slug"}, {"title", "x"}}).result_int(), 400);
  EXPECT_EQ(post("/admin/topics", {{"slug", "test-topic"}, {"title", "覆盖"}}).result_int(), 400);
  EXPECT_EQ(guest_get("/topic/t2").result_int(), 404);

  // Renaming the slug moves the topic.
  EXPECT_EQ(post("/admin/topics", {{"original", "test-topic"},
                                   {"slug", "renamed-topic"},
                                   {"title", "改名的专题"},
                                   {"ids", a}})
                .result_int(),
            303);
  EXPECT_EQ(guest_get("/topic/test-topic").result_int(), 404);
  EXPECT_EQ(guest_get("/topic/renamed-topic").result_int(), 200);
  EXPECT_EQ(post("/admin/topics/renamed-topic/delete", {}).result_int(), 303);
  EXPECT_EQ(guest_get("/topic/renamed-topic").result_int(), 404);
  EXPECT_EQ(post("/admin/topics/renamed-topic/delete", {}).result_int(), 404);
}

TEST_F(AdminSiteTest, DashboardDrawsEscapedSvgCharts) {
  upload_text("dashboard.txt", "仪表盘测试文档");
  const auto page = get("/admin").body();
  EXPECT_TRUE(contains(page, "id=\"stat-documents\">1<"));
  // Two inline charts, each well-formed XML with a bar or point per day of the last 30.
  std::vector<std::string> charts;
  for (auto start = page.find("<svg"); start != std::string::npos;
       start = page.find("<svg", start + 1)) {
    charts.push_back(page.substr(start, page.find("</svg>", start) + 6 - start));
  }
  ASSERT_EQ(charts.size(), 2u);
  pugi::xml_document documents;
  ASSERT_TRUE(documents.load_string(charts[0].c_str()));
  EXPECT_EQ(documents.select_nodes("//rect").size(), 30u);
  pugi::xml_document views;
  ASSERT_TRUE(views.load_string(charts[1].c_str()));
  EXPECT_EQ(views.select_nodes("//circle").size(), 30u);
  // Today's bar (UTC days, as created_at) counts the upload.
  const std::time_t now = std::time(nullptr);
  char today[8];
  std::strftime(today, sizeof today, "%m-%d", std::gmtime(&now));
  EXPECT_TRUE(contains(charts[0], std::string(today) + ": 1篇")) << charts[0];
  EXPECT_TRUE(contains(page, "role=\"img\""));
  EXPECT_FALSE(contains(page, "<script>"));  // only the external admin.js
  EXPECT_TRUE(contains(page, "admin.js?v="));
  EXPECT_EQ(guest_get("/static/admin.js").result_int(), 200);
}

}  // namespace
}  // namespace wenku::web
