// 联系客服 /feedback over HTTP against the real `wenku serve` binary.
#include <utility>  // before Boost.Asio: Boost 1.74 needs it under C++20

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "store/store.h"
#include "testing/test_support.h"
#include "web/http/url.h"

namespace wenku::web {
namespace {

namespace http = boost::beast::http;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kFormType = "application/x-www-form-urlencoded";

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// An application/x-www-form-urlencoded body of `fields`.
std::string form(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += name + "=" + encode_query_value(value);
  }
  return out;
}

struct Reply {
  int status = 0;
  std::string location;
  std::string body;
};

// One keep-alive connection to the server from loopback address `source` (127.0.0.N): the
// server keys rate limits by client address, so each test is its own client. Keeping one
// connection also keeps the requests of a test on one worker process.
class Client {
 public:
  Client(int port, const std::string& source) : port_(port), socket_(io_) {
    socket_.open(boost::asio::ip::tcp::v4());
    socket_.bind({boost::asio::ip::make_address(source), 0});
    socket_.connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  }

  Reply send(http::verb verb, const std::string& target, const std::string& body = "",
             const Fields& headers = {}) {
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, fmt::format("127.0.0.1:{}", port_));
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    http::write(socket_, request);
    http::response_parser<http::string_body> parser;
    parser.body_limit(1 << 24);
    http::read(socket_, buffer_, parser);
    const auto& response = parser.get();
    return {static_cast<int>(response.result_int()), std::string(response[http::field::location]),
            response.body()};
  }

  Reply get(const std::string& target) { return send(http::verb::get, target); }

  // POSTs `fields` as a form to /feedback, with `extra` headers.
  Reply post(const Fields& fields, const Fields& extra = {}) {
    Fields headers{{"Content-Type", kFormType}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return send(http::verb::post, "/feedback", form(fields), headers);
  }

 private:
  int port_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// A `wenku serve` over an empty data directory, shared by the tests of this file. Each test
// talks to it from its own loopback address (127.0.0.N), so each is a separate client for
// the rate limit.
class FeedbackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = new testing::ServerProcess(
        {testing::wenku_binary(), "serve", "--data", dir_->path() / "data"});
    port_ = server_->port();
    ready_ = port_ != 0;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(ready_) << "wenku serve did not start";
    store_ = store::open_sqlite(dir_->path() / "data" / "wenku.sqlite");
  }

  static Client client(const std::string& source) { return Client(port_, source); }

  // The stored messages containing `marker`.
  std::vector<store::Feedback> stored(std::string_view marker) {
    std::vector<store::Feedback> out;
    for (auto& f : store_->feedback(false, 10000, 0)) {
      if (contains(f.message, marker)) out.push_back(std::move(f));
    }
    return out;
  }

  static std::string origin() { return fmt::format("http://127.0.0.1:{}", port_); }

  static testing::TempDir* dir_;
  static int port_;
  static testing::ServerProcess* server_;
  static bool ready_;
  std::unique_ptr<store::Store> store_;
};
testing::TempDir* FeedbackTest::dir_ = nullptr;
int FeedbackTest::port_ = 0;
testing::ServerProcess* FeedbackTest::server_ = nullptr;
bool FeedbackTest::ready_ = false;

TEST_F(FeedbackTest, GetShowsTheFormWithTheContactText) {
  auto r = client("127.0.0.2").get("/feedback");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, R"(<form id="feedback-form")"));
  EXPECT_TRUE(contains(r.body, R"(<textarea id="feedback-message" name="message")"));
  EXPECT_TRUE(contains(r.body, R"(name="contact")"));
  EXPECT_TRUE(contains(r.body, R"(name="website")")) << "honeypot";
  EXPECT_TRUE(contains(r.body, "工作时间")) << "SiteSettings::contact_text";
  EXPECT_FALSE(contains(r.body, R"(<p class="flash")"));
  EXPECT_FALSE(contains(r.body, R"(<p class="error")"));
  // The one layout builder: the same frame as every public page (site.js).
  EXPECT_TRUE(std::regex_search(
      r.body, std::regex(R"re(<script src="&#x2F;static&#x2F;site.js\?v=[0-9a-f]{16}" defer>)re")))
      << "site.js";
}

TEST_F(FeedbackTest, APostIsStoredAndRedirectsToTheFlash) {
  auto c = client("127.0.0.3");
  const std::string message = "post-ok 网站很好 & 1+1=2\n第二行 100%";
  auto r = c.post({{"message", message}, {"contact", "  微信 wx+01  "}}, {{"Origin", origin()}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.location, "/feedback?sent=1");
  auto page = c.get(r.location);
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(
      contains(page.body, R"(<p class="flash" role="status">已收到您的留言，我们会尽快处理。)"));

  auto found = stored("post-ok");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].message, message);
  EXPECT_EQ(found[0].contact, "微信 wx+01") << "trimmed";
  EXPECT_FALSE(found[0].client.empty());
  EXPECT_FALSE(found[0].handled);
}

TEST_F(FeedbackTest, AFilledHoneypotPretendsSuccessButStoresNothing) {
  auto r = client("127.0.0.4")
               .post({{"message", "honeypot-spam 便宜发票"}, {"website", "http://spam.example"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.location, "/feedback?sent=1");
  EXPECT_TRUE(stored("honeypot-spam").empty());
}

TEST_F(FeedbackTest, BrokenRulesReRenderTheFormWithTheInputKept) {
  auto c = client("127.0.0.5");
  auto empty = c.post({{"message", "   "}, {"contact", "kept-contact"}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(contains(empty.body, R"(<p class="error" role="alert">请填写留言内容。)"));
  EXPECT_TRUE(contains(empty.body, R"(value="kept-contact")"));

  const std::string too_long = "too-long" + repeat("长", 1993);  // 2001 characters
  auto r = c.post({{"message", too_long}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "最多 2000 字，您填写了 2001 字"));
  EXPECT_TRUE(contains(r.body, ">" + too_long + "</textarea>")) << "the input is kept";
  EXPECT_TRUE(stored("too-long").empty());

  const std::string longest = "at-limit" + repeat("长", 1992);  // 2000 characters
  EXPECT_EQ(c.post({{"message", longest}}).status, 303);
  EXPECT_EQ(stored("at-limit").size(), 1u);

  auto contact = c.post({{"message", "contact-too-long"}, {"contact", repeat("号", 101)}});
  EXPECT_EQ(contact.status, 400);
  EXPECT_TRUE(contains(contact.body, "联系方式最多 100 字"));
  EXPECT_EQ(c.post({{"message", "contact-two-lines"}, {"contact", "a\nb"}}).status, 400);
  EXPECT_EQ(c.post({{"message", std::string("control-char\x01")}}).status, 400);
  EXPECT_TRUE(stored("contact-").empty());
  EXPECT_TRUE(stored("control-char").empty());
}

TEST_F(FeedbackTest, InvalidUtf8OrMalformedFormsAreRefused) {
  auto c = client("127.0.0.6");
  for (const char* body : {"message=bad-utf8%FF%FE", "message=bad-escape%ZZ"}) {
    auto r = c.send(http::verb::post, "/feedback", body, {{"Content-Type", kFormType}});
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_TRUE(contains(r.body, R"(<p class="error")")) << body;
  }
  EXPECT_TRUE(stored("bad-").empty());
}

TEST_F(FeedbackTest, HostileInputIsEscapedWhenReRendered) {
  const std::string script = "<script>alert(1)</script>";
  const std::string attribute = R"("><img src=x onerror=alert(2)>)";
  auto r = client("127.0.0.7")
               .post({{"message", script},
                      {"contact", attribute + repeat("x", 80)}});  // contact too long
  ASSERT_EQ(r.status, 400);
  EXPECT_FALSE(contains(r.body, script));
  EXPECT_FALSE(contains(r.body, "<img src=x"));
  EXPECT_TRUE(contains(r.body, "&lt;script&gt;"));
  EXPECT_TRUE(contains(r.body, "&quot;&gt;&lt;img"));
}

TEST_F(FeedbackTest, TheSixthMessageWithinAnHourIsRefusedWith429) {
  auto c = client("127.0.0.8");
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(c.post({{"message", fmt::format("rate-{} 留言", i)}}).status, 303) << i;
  }
  auto r = c.post({{"message", "rate-6 留言"}});
  EXPECT_EQ(r.status, 429);
  EXPECT_TRUE(contains(r.body, "留言过于频繁"));
  EXPECT_TRUE(contains(r.body, R"(<html lang="zh-CN">)"));
  EXPECT_TRUE(stored("rate-6").empty());
  EXPECT_EQ(stored("rate-").size(), 5u);
  EXPECT_EQ(client("127.0.0.9").post({{"message", "rate-other-client"}}).status, 303);
}

TEST_F(FeedbackTest, CrossSitePostsAreRefused) {
  auto c = client("127.0.0.10");
  const Fields fields{{"message", "cross-site 留言"}};
  EXPECT_EQ(c.post(fields, {{"Origin", "https://evil.example"}}).status, 403);
  EXPECT_EQ(c.post(fields, {{"Origin", "null"}}).status, 403);
  EXPECT_EQ(c.post(fields, {{"Referer", "https://evil.example/feedback"}}).status, 403);
  EXPECT_TRUE(stored("cross-site").empty());
  EXPECT_EQ(c.post(fields, {{"Referer", origin() + "/feedback"}}).status, 303);
  EXPECT_EQ(stored("cross-site").size(), 1u);
}

TEST_F(FeedbackTest, OtherBodiesAreRefused) {
  // Each refusal on a connection of its own: once in CI the second request on a shared
  // connection read "end of stream" (a refused request's connection may be closed).
  const std::string body = form({{"message", "other-body"}});
  EXPECT_EQ(client("127.0.0.11")
                .send(http::verb::post, "/feedback", body, {{"Content-Type", "text/plain"}})
                .status,
            415);
  EXPECT_EQ(client("127.0.0.11")
                .send(http::verb::post, "/feedback", body + repeat("x", 32 * 1024),
                      {{"Content-Type", kFormType}})
                .status,
            413);
  EXPECT_TRUE(stored("other-body").empty());
  // Refusals are the site's error page: its status, heading and message in the layout.
  const auto refused =
      client("127.0.0.11")
          .send(http::verb::post, "/feedback", body, {{"Content-Type", "text/plain"}});
  EXPECT_TRUE(contains(refused.body, "<h1>无法提交留言</h1>")) << refused.body;
  EXPECT_TRUE(contains(refused.body, "site.js"));
}

}  // namespace
}  // namespace wenku::web
