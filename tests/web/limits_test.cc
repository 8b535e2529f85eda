// The gate over HTTP against the real `wenku serve --workers 2` with its rate limits on: per-
// client token buckets shared by both workers, stricter for guests than for members, a Chinese
// 429 page (JSON for the API) with Retry-After; /metrics for a scraper on this machine or with
// the admin token; access log lines that never hold a password, token or session id.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "access/accounts.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "web/http/guarded_socket.h"
#include "web/http/rate_limiter.h"
#include "web/http/url.h"
#include "web/http_client.h"
#include "web/visitor.h"

namespace wenku::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_http::Reply;
using testing_http::Visitor;
namespace http = testing_http::http;

constexpr const char* kToken = "limits-admin-token-0123456789";
constexpr const char* kPassword = "limits-password-9876";

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto data = dir_->path() / "data";
    const auto file = dir_->path() / "docs.jsonl";
    testing::write_file(
        file,
        R"({"id":"gated","title":"在全区安全生产工作会议上的讲话","date":"2024-03-15",)"
        R"("category":"讲话稿","source":"test","content":"各级各部门要切实加强安全生产工作。"})"
        "\n");
    auto imported = testing::run({testing::wenku_binary(), "import", "--data", data, file});
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    {
      auto store = store::open_sqlite(data / "wenku.sqlite");
      access::Accounts accounts(*store, "");
      accounts.create("限速读者", kPassword, access::Role::kMember);
    }
    server_ = new testing::ServerProcess(
        {testing::wenku_binary(), "serve", "--data", data.string(), "--workers", "2",
         "--admin-token", kToken, "--rate-limits", "on"},
        60, log_path());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(server_->port(), 0) << "wenku serve did not start"; }

  static std::filesystem::path log_path() { return dir_->path() / "server.log"; }
  static int port() { return server_->port(); }

  // Waits (10 s at most) until the server's log holds `part`; the log as it then is.
  static std::string log_with(const std::string& part) {
    std::string log;
    for (int i = 0; i < 1000; ++i) {
      log = testing::read_file(log_path());
      if (log.find(part) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return log;
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::ServerProcess* server_ = nullptr;
};

std::string search_target(const std::string& query) {
  return "/search?q=" + encode_query_value(query);
}

// Asks `target` as `visitor` until refused; the number answered 200 before (at most `cap`).
int answered_before_refusal(Visitor& visitor, const std::string& target, Reply& refusal,
                            int cap = 500) {
  for (int i = 0; i < cap; ++i) {
    auto reply = visitor.get(target);
    if (reply.status != 200) {
      refusal = std::move(reply);
      return i;
    }
  }
  return cap;
}

// The most answers before a refusal that `rule` allows to requests sent from `start` to now:
// the burst and what flowed in meanwhile.
int most_allowed(const RateRule& rule, std::chrono::steady_clock::time_point start) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<int>(rule.burst + std::ceil(seconds * rule.per_minute / 60.0));
}

TEST_F(LimitsTest, AGuestsSearchesAreLimitedAcrossWorkersWithAChinesePage) {
  Visitor guest(port(), "127.0.0.2");
  Reply refusal;
  const RateRule rule = rate_rule(RateClass::kSearch, false);
  // Both workers answer these (connections alternate between them): the bucket is one.
  const auto start = std::chrono::steady_clock::now();
  const int answered = answered_before_refusal(guest, search_target("安全生产"), refusal);
  EXPECT_GE(answered, static_cast<int>(rule.burst));
  EXPECT_LE(answered, most_allowed(rule, start));
  EXPECT_EQ(refusal.status, 429);
  EXPECT_GE(std::stoi(refusal.header(http::field::retry_after)), 1);
  EXPECT_THAT(refusal.body, HasSubstr("请求过于频繁"));
  EXPECT_THAT(refusal.header(http::field::content_type), HasSubstr("text/html"));
  // The API answers the same client in JSON; another client is not affected.
  auto api = guest.get("/api/v1/search?q=" + encode_query_value("安全"));
  EXPECT_EQ(api.status, 429);
  EXPECT_THAT(api.body, HasSubstr("\"error\""));
  EXPECT_FALSE(api.header(http::field::retry_after).empty());
  Visitor other(port(), "127.0.0.3");
  EXPECT_EQ(other.get(search_target("安全生产")).status, 200);
  // Pages that are not limited still answer the refused client.
  EXPECT_EQ(guest.get("/").status, 200);
}

TEST_F(LimitsTest, DocumentViewsAreLimitedAndMembersMayDoMore) {
  Visitor guest(port(), "127.0.0.4");
  Reply refusal;
  const RateRule guest_rule = rate_rule(RateClass::kPage, false);
  auto start = std::chrono::steady_clock::now();
  EXPECT_LE(answered_before_refusal(guest, "/doc/gated", refusal), most_allowed(guest_rule, start));
  EXPECT_EQ(refusal.status, 429);

  // A member from the same address has a bucket of the account, and a larger one.
  Visitor member(port(), "127.0.0.4");
  ASSERT_EQ(
      member.submit("/login", "/login", {{"username", "限速读者"}, {"password", kPassword}}).status,
      303);
  const RateRule member_rule = rate_rule(RateClass::kPage, true);
  ASSERT_GT(member_rule.burst, guest_rule.burst);
  start = std::chrono::steady_clock::now();
  const int answered = answered_before_refusal(member, "/doc/gated", refusal);
  EXPECT_GE(answered, static_cast<int>(member_rule.burst));
  EXPECT_LE(answered, most_allowed(member_rule, start));
  EXPECT_EQ(refusal.status, 429);
}

TEST_F(LimitsTest, MetricsCountRequestsAndRefusalsForLocalScrapersOnly) {
  Visitor guest(port(), "127.0.0.5");
  Reply refusal;
  answered_before_refusal(guest, search_target("讲话"), refusal);
  ASSERT_EQ(refusal.status, 429);
  auto metrics = testing_http::get(port(), "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.header(http::field::content_type), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics.body, HasSubstr("wenku_http_requests_total{method=\"GET\",route=\"/search\","
                                      "status=\"429\"}"));
  EXPECT_THAT(metrics.body, HasSubstr("wenku_http_request_duration_seconds_bucket{method=\"GET\","
                                      "route=\"/search\",le=\"+Inf\"}"));
  EXPECT_THAT(metrics.body, Not(HasSubstr("wenku_rate_limited_total{class=\"search\","
                                          "viewer=\"guest\"} 0\n")));
  EXPECT_THAT(metrics.body, HasSubstr("\nwenku_documents 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("\nwenku_index_lag 0\n"));
  EXPECT_THAT(metrics.body, HasSubstr("wenku_process_resident_memory_bytes{pid="));
  // Forwarded by a proxy: someone else's request, unless it brings the admin token.
  const auto status_with = [](const std::string& headers) {
    const std::string answer = testing::http_exchange(
        port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "\r\n");
    return answer.substr(0, answer.find("\r\n"));
  };
  EXPECT_EQ(status_with("X-Forwarded-For: 203.0.113.9\r\n"), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(status_with("X-Forwarded-For: 203.0.113.9\r\nAuthorization: Bearer nope\r\n"),
            "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(status_with("X-Forwarded-For: 203.0.113.9\r\nAuthorization: Bearer " +
                        std::string(kToken) + "\r\n"),
            "HTTP/1.1 200 OK");
}

TEST_F(LimitsTest, AccessLogLinesNameTheRequestButNoSecret) {
  Visitor member(port(), "127.0.0.6");
  ASSERT_EQ(
      member.submit("/login", "/login", {{"username", "限速读者"}, {"password", kPassword}}).status,
      303);
  const std::string session =
      member.set_cookie_header.substr(member.set_cookie_header.find('=') + 1, 64);
  ASSERT_EQ(session.size(), 64u);
  EXPECT_EQ(member.get("/me?secret=" + std::string(kPassword)).status, 200);
  auto admin =
      testing_http::fetch(port(), http::verb::post, "/admin/login",
                          {{http::field::content_type, "application/x-www-form-urlencoded"}},
                          "token=" + encode_query_value(kToken));
  EXPECT_EQ(admin.status, 303);
  // Each worker writes its own lines: wait for every one.
  std::string log;
  for (const char* line :
       {"access method=POST path=/login route=/login status=303 ms=",
        "access method=GET path=/me route=/me status=200 ms=",
        "access method=POST path=/admin/login route=/admin/login status=303 ms="}) {
    log = log_with(line);
    EXPECT_THAT(log, HasSubstr(line));
  }
  EXPECT_THAT(log, Not(HasSubstr(kPassword)));
  EXPECT_THAT(log, Not(HasSubstr(kToken)));
  EXPECT_THAT(log, Not(HasSubstr(session)));
  EXPECT_THAT(log, Not(HasSubstr("secret=")));
}

TEST_F(LimitsTest, ABodyTooLargeForItsRouteIsRefusedBeforeItIsSent) {
  // Only the head is sent: the answer comes without the server waiting for the body.
  const std::string form = testing::http_exchange(
      port(), "POST /feedback HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n");
  EXPECT_TRUE(form.starts_with("HTTP/1.1 413 ")) << form.substr(0, 200);
  EXPECT_THAT(form, HasSubstr("提交的内容超过了允许的大小"));
  const std::string get =
      testing::http_exchange(port(), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
  EXPECT_TRUE(get.starts_with("HTTP/1.1 413 ")) << get.substr(0, 200);
  // The same head to the upload is read on (and refused by the admin for want of a login).
  auto upload = testing_http::fetch(
      port(), http::verb::post, "/admin/upload",
      {{http::field::content_type, "multipart/form-data; boundary=b"}}, std::string(100'000, 'x'));
  EXPECT_NE(upload.status, 413);
}

TEST_F(LimitsTest, OversizedHeadsAndTargetsGetTheirOwnAnswers) {
  const std::string cookie(40'000, 'c');
  const std::string big =
      testing::http_exchange(port(), "GET / HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + "\r\n\r\n");
  EXPECT_TRUE(big.starts_with("HTTP/1.1 431 ")) << big.substr(0, 200);
  const std::string target = testing::http_exchange(
      port(), "GET /search?q=" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(target.starts_with("HTTP/1.1 414 ")) << target.substr(0, 200);
  // Pipelined after an answered request, the oversized one only ends the connection.
  const std::string pipelined = testing::http_exchange(
      port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nCookie: " +
                  cookie + "\r\n\r\n");
  EXPECT_TRUE(pipelined.starts_with("HTTP/1.1 200 ")) << pipelined.substr(0, 200);
  EXPECT_EQ(pipelined.find("HTTP/1.1 431"), std::string::npos);
}

TEST_F(LimitsTest, AHeadSentTooSlowlyLosesItsConnection) {
  const auto start = std::chrono::steady_clock::now();
  // Half a head, then nothing: the exchange ends when the server closes the connection.
  const std::string answer = testing::http_exchange(port(), "GET / HTTP/1.1\r\nHost: x\r\n");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(answer, "");
  EXPECT_GE(waited, kHeadSeconds - std::chrono::seconds(1));
  EXPECT_LT(waited, kHeadSeconds + std::chrono::seconds(10));
}

}  // namespace
}  // namespace wenku::web
