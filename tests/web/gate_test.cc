// The route-table test: every route the site answers (as `wenku routes` lists them) is asked
// by a guest for a gated document, in every way a client can ask (GET, HEAD, gzip, Range,
// JSON), and no answer may carry a sentence from beyond the guest preview. A route added
// without an entry in kRouteTargets fails the test, so a new route cannot skip the gate.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "testing/test_support.h"
#include "testing/unzipped.h"
#include "web/http/url.h"
#include "web/http_client.h"

namespace wenku::web {
namespace {

namespace http = testing_http::http;

// In the tail of the gated speech only, far beyond the preview; the searches ask for kQuery,
// another part of that tail sentence, so the query echoed on a page is not a leak.
constexpr const char* kTail = "取得青鸟实效";
constexpr const char* kQuery = "蓝天工程";

std::string gated_speech() {
  std::string content = "一、充分认识安全生产工作的重要性\\n";
  for (int i = 0; i < 30; ++i)
    content += "各级各部门要切实加强安全生产工作，压实责任，排查隐患。\\n";
  content += "二、扎实推进重点工作\\n";
  for (int i = 0; i < 10; ++i)
    content += "一要压实企业主体责任，由区应急管理局牵头，年底前完成排查。\\n";
  content += std::string("三要全力推进") + kQuery + "，由区发改委牵头，确保年底前" + kTail + "。";
  return fmt::format(
             R"({{"id":"gated","title":"在全区安全生产工作会议上的讲话","date":"2024-03-15","category":"讲话稿","source":"test","content":"{}"}})",
             content) +
         "\n" +
         R"({"id":"other","title":"关于加强安全生产工作的通知","date":"2024-03-01","category":"通知","source":"test","content":"各级各部门要切实加强安全生产工作，压实责任，排查隐患。"})" +
         "\n";
}

// Concrete guest requests for each route pattern. POST routes are sent an empty form.
const std::map<std::string, std::vector<std::string>>& route_targets() {
  static const std::map<std::string, std::vector<std::string>> targets = {
      {"GET /", {"/", "/?page=1"}},
      {"GET /doc/:id", {"/doc/gated"}},
      {"GET /doc/:id/template", {"/doc/gated/template"}},
      {"GET only /doc/:id/tasks.csv", {"/doc/gated/tasks.csv"}},
      {"GET only /doc/:id/tasks.xlsx", {"/doc/gated/tasks.xlsx"}},
      {"GET only /doc/:id/tasks.docx", {"/doc/gated/tasks.docx"}},
      {"GET only /doc/:id/word.docx", {"/doc/gated/word.docx"}},
      {"GET only /doc/:id/template.docx", {"/doc/gated/template.docx"}},
      {"GET /doc/:id/tasks", {"/doc/gated/tasks"}},
      {"GET /qr/doc/:id.svg", {"/qr/doc/gated.svg"}},
      {"GET /site/wechat-qr", {"/site/wechat-qr"}},
      {"GET /category/:name", {"/category/" + encode_query_value("讲话稿")}},
      {"GET /hot", {"/hot", "/hot?period=month"}},
      {"GET /topic/:slug", {"/topic/none"}},
      {"GET /search",
       {"/search?q=" + encode_query_value(kQuery),
        "/search?q=" + encode_query_value(std::string("\"") + kQuery + "\"")}},
      {"GET /sitemap.xml", {"/sitemap.xml"}},
      {"GET /sitemap-:n(\\d{1,6}).xml", {"/sitemap-1.xml"}},
      {"GET /robots.txt", {"/robots.txt"}},
      {"GET /favicon.ico", {"/favicon.ico"}},
      {"GET /healthz", {"/healthz"}},
      {"GET /metrics", {"/metrics"}},
      {"GET /static/:file", {"/static/site.js"}},
      {"GET /api/v1/search",
       {"/api/v1/search?q=" + encode_query_value(kQuery),
        "/api/v1/search?q=" + encode_query_value(std::string("\"") + kQuery + "\"")}},
      {"GET /api/v1/suggest", {"/api/v1/suggest?q=" + encode_query_value("安全")}},
      {"GET /api/v1/related/:id", {"/api/v1/related/other", "/api/v1/related/gated"}},
      {"GET /api/v1/docs/:id", {"/api/v1/docs/gated"}},
      {"GET /api/v1/hot", {"/api/v1/hot"}},
      {"GET /login", {"/login?next=/doc/gated"}},
      {"POST /login", {"/login"}},
      {"GET /register", {"/register"}},
      {"POST /register", {"/register"}},
      {"POST /logout", {"/logout"}},
      {"GET /me", {"/me"}},
      {"POST /me/sessions/end-others", {"/me/sessions/end-others"}},
      {"GET /me/password", {"/me/password"}},
      {"POST /me/password", {"/me/password"}},
      {"GET /me/favorites", {"/me/favorites"}},
      {"POST /me/favorites", {"/me/favorites"}},
      {"POST /me/favorites/merge", {"/me/favorites/merge"}},
      {"GET /me/history", {"/me/history"}},
      {"POST /me/history/clear", {"/me/history/clear"}},
      {"GET only /admin/login", {"/admin/login"}},
      {"POST /admin/login", {"/admin/login"}},
      {"POST /admin/logout", {"/admin/logout"}},
      {"GET only /admin", {"/admin"}},
      {"GET only /admin/upload", {"/admin/upload"}},
      {"POST /admin/upload", {"/admin/upload"}},
      {"GET only /admin/docs", {"/admin/docs"}},
      {"GET only /admin/docs/:id/edit", {"/admin/docs/gated/edit"}},
      {"POST /admin/docs/:id/edit", {"/admin/docs/gated/edit"}},
      {"POST /admin/docs/:id/delete", {"/admin/docs/gated/delete"}},
      {"POST /admin/docs/:id/restore", {"/admin/docs/gated/restore"}},
      {"GET only /admin/categories", {"/admin/categories"}},
      {"POST /admin/categories/create", {"/admin/categories/create"}},
      {"POST /admin/categories/rename", {"/admin/categories/rename"}},
      {"POST /admin/categories/order", {"/admin/categories/order"}},
      {"POST /admin/categories/kinds", {"/admin/categories/kinds"}},
      {"GET only /admin/topics", {"/admin/topics"}},
      {"GET only /admin/topics/:slug", {"/admin/topics/none"}},
      {"POST /admin/topics", {"/admin/topics"}},
      {"POST /admin/topics/:slug/delete", {"/admin/topics/none/delete"}},
      {"GET only /admin/settings", {"/admin/settings"}},
      {"POST /admin/settings", {"/admin/settings"}},
      {"POST /admin/settings/wechat", {"/admin/settings/wechat"}},
      {"GET only /admin/feedback", {"/admin/feedback"}},
      {"POST /admin/feedback/:id/handled", {"/admin/feedback/1/handled"}},
      {"GET only /admin/duplicates", {"/admin/duplicates"}},
      {"GET only /admin/users", {"/admin/users"}},
      {"POST /admin/users/:id", {"/admin/users/1"}},
      {"POST /admin/duplicates/unlink", {"/admin/duplicates/unlink"}},
      {"GET /feedback", {"/feedback"}},
      {"POST /feedback", {"/feedback"}},
  };
  return targets;
}

// What a client reads of `reply`: the body, gunzipped or unzipped when it is compressed.
std::string readable(const testing_http::Reply& reply) {
  std::string body = reply.body;
  if (reply.header(http::field::content_encoding) == "gzip") body = testing_http::gunzip(body);
  if (body.starts_with("PK")) body += testing::unzipped(body);
  return body;
}

class GateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto data = dir_->path() / "data";
    auto file = dir_->path() / "docs.jsonl";
    testing::write_file(file, gated_speech());
    auto imported = testing::run({testing::wenku_binary(), "import", "--data", data, file});
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    auto listed = testing::run({testing::wenku_binary(), "routes", "--data", data});
    ASSERT_EQ(listed.exit_code, 0) << listed.out;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("GET ") || line.starts_with("POST ")) routes_.push_back(line);
    }
    server_ = new testing::ServerProcess(
        {testing::wenku_binary(), "serve", "--data", data.string(), "--workers", "1"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::ServerProcess* server_ = nullptr;
  static inline std::vector<std::string> routes_;
};

TEST_F(GateTest, EveryRouteIsInTheTable) {
  ASSERT_GT(routes_.size(), 40u) << "wenku routes lists the site's routes";
  for (const auto& route : routes_) {
    EXPECT_TRUE(route_targets().contains(route))
        << route << " has no entry in kRouteTargets: add the guest requests that check its gate";
  }
}

TEST_F(GateTest, NoGuestRequestOfAnyRouteRevealsTheTail) {
  ASSERT_NE(server_->port(), 0);
  const int port = server_->port();
  // The gated text is there, and its tail exists for a guest to miss.
  ASSERT_NE(testing_http::get(port, "/doc/gated").status, 404);
  ASSERT_FALSE(routes_.empty());
  const std::vector<testing_http::Headers> ways = {
      {},
      {{http::field::accept_encoding, "gzip"}},
      {{http::field::range, "bytes=0-"}},
      {{http::field::accept, "application/json"}},
  };
  int requests = 0;
  for (const auto& route : routes_) {
    const auto it = route_targets().find(route);
    if (it == route_targets().end()) continue;  // EveryRouteIsInTheTable reports it
    const bool post = route.starts_with("POST ");
    for (const auto& target : it->second) {
      if (post) {
        auto r = testing_http::fetch(
            port, http::verb::post, target,
            {{http::field::content_type, "application/x-www-form-urlencoded"}}, "x=1");
        ++requests;
        EXPECT_GE(r.status, 300) << route << " " << target
                                 << ": a guest's bare post changes nothing";
        EXPECT_EQ(readable(r).find(kTail), std::string::npos) << route << " " << target;
        continue;
      }
      for (const auto& headers : ways) {
        auto r = testing_http::fetch(port, http::verb::get, target, headers);
        ++requests;
        EXPECT_NE(r.status, 500) << target;
        EXPECT_EQ(readable(r).find(kTail), std::string::npos)
            << route << " " << target << " reveals the tail to a guest";
      }
      auto head = testing_http::fetch(port, http::verb::head, target);
      ++requests;
      EXPECT_TRUE(head.body.empty()) << target;
    }
  }
  EXPECT_GT(requests, 200);
  // The tail is reachable at all: the text really is longer than the preview.
  ASSERT_EQ(
      testing::run({testing::wenku_binary(), "export", "--data", (dir_->path() / "data").string(),
                    "--format", "txt", "--out", (dir_->path() / "whole.txt").string(), "gated"})
          .exit_code,
      0);
  EXPECT_NE(testing::read_file(dir_->path() / "whole.txt").find(kTail), std::string::npos);
}

TEST_F(GateTest, AGuestsTaskTableSaysHowManyTasksTheWholeTextHas) {
  ASSERT_NE(server_->port(), 0);
  const auto page = testing_http::get(server_->port(), "/doc/gated/tasks");
  ASSERT_EQ(page.status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page.body, m, std::regex("登录后查看全部 ([0-9]+) 项任务")));
  const std::regex row("<tr><td>");
  const auto shown = std::distance(std::sregex_iterator(page.body.begin(), page.body.end(), row),
                                   std::sregex_iterator());
  EXPECT_GT(std::stoi(m[1]), shown);
}

}  // namespace
}  // namespace wenku::web
