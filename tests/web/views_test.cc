// View counting: the bot rule, and ViewCounter batching into a real SQLite store.
#include <utility>  // before Boost.Asio: Boost 1.74 needs it under C++20

#include "web/site/views.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <ctime>
#include <initializer_list>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::web {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36";
constexpr auto kNever = std::chrono::hours(1);  // no background flush during a test

TEST(IsBot, CrawlersAndScriptedClientsAreBots) {
  for (std::string_view ua : {
           "",
           "   ",
           "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
           "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
           "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
           "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
           "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/535.1 (KHTML, like Gecko) "
           "Chrome/14.0.835.163 Safari/535.1 360Spider",
           "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/69.0.3497.81 YisouSpider/5.0 Safari/537.36",
           "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
           "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
           "curl/7.88.1",
           "Wget/1.21.3",
           "python-requests/2.31.0",
           "Go-http-client/1.1",
           "SomeCrawler/1.0",
       }) {
    EXPECT_TRUE(is_bot(ua)) << '"' << ua << '"';
  }
}

TEST(IsBot, BrowsersAreNot) {
  for (std::string_view ua : std::initializer_list<std::string_view>{
           kChrome,
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
           "like Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2d) NetType/WIFI "
           "Language/zh_CN",
           "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "HeadlessChrome/120.0.6099.28 Safari/537.36",
           "Mozilla/5.0 (Linux; Android 10; SM-G9750) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/83.0.4103.106 Mobile Safari/537.36 SogouMobileBrowser/5.31.0",
           "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/86.0.4240.198 Safari/537.36 SE 2.X MetaSr 1.0",
           "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
       }) {
    EXPECT_FALSE(is_bot(ua)) << '"' << ua << '"';
  }
}

// The server's local calendar day now.
std::string today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return fmt::format("{:%Y-%m-%d}", tm);
}

// A real SQLite store in a temporary directory holding documents d1, d2 and d3.
class ViewCounterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_sqlite(path());
    std::vector<doc::Document> docs;
    for (const char* id : {"d1", "d2", "d3"}) {
      doc::Document d;
      d.id = id;
      d.title = fmt::format("文档{}", id);
      d.content = "第一段。\n第二段。";
      docs.push_back(std::move(d));
    }
    store_->put(docs);
  }

  std::filesystem::path path() const { return dir_.path() / "wenku.sqlite"; }

  std::int64_t views(std::string_view id) { return store_->get(id)->views; }

  // Views counted on any day (Store::views_per_day from the earliest possible day).
  std::int64_t recent_views() {
    std::int64_t total = 0;
    for (const auto& d : store_->views_per_day("0000-00-00")) total += d.count;
    return total;
  }

  // Polls until document `id` has `expected` views or `seconds` pass; returns the last count.
  std::int64_t wait_for_views(std::string_view id, std::int64_t expected, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::int64_t n = views(id);
    while (n != expected && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      n = views(id);
    }
    return n;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(ViewCounterTest, NothingReachesTheStoreBeforeAFlush) {
  ViewCounter counter(*store_, kNever);
  EXPECT_TRUE(counter.record("d1", "visitor-a", kChrome));
  EXPECT_TRUE(counter.record("d2", "visitor-a", kChrome));
  EXPECT_TRUE(counter.record("d2", "visitor-b", kChrome));
  // record() never writes, and without an interval no thread does before a flush.
  EXPECT_EQ(views("d1"), 0);
  EXPECT_EQ(views("d2"), 0);
  EXPECT_TRUE(store_->views_per_day("0000-00-00").empty());

  counter.flush();
  EXPECT_EQ(views("d1"), 1);
  EXPECT_EQ(views("d2"), 2);
  EXPECT_EQ(views("d3"), 0);
  const std::string day = today();
  const auto per_day = store_->views_per_day("0000-00-00");
  ASSERT_EQ(per_day.size(), 1u);
  EXPECT_EQ(per_day[0].day, day);  // local calendar day (a flake only across midnight)
  EXPECT_EQ(per_day[0].count, 3);
}

TEST_F(ViewCounterTest, AVisitorCountsOncePerDocumentPerDay) {
  ViewCounter counter(*store_, kNever);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(counter.record("d1", "visitor-a", kChrome)) << "a repeat is no bot";
    EXPECT_TRUE(counter.record("d2", "visitor-a", kChrome));
  }
  counter.record("d1", "visitor-b", kChrome);
  counter.flush();
  EXPECT_EQ(views("d1"), 2);
  EXPECT_EQ(views("d2"), 1);

  // Already counted: after a flush the memory still remembers, and the store dedupes too.
  counter.record("d1", "visitor-a", kChrome);
  counter.flush();
  EXPECT_EQ(views("d1"), 2);
}

TEST_F(ViewCounterTest, TheStoreDedupesAcrossCountersLikeAcrossProcesses) {
  {
    ViewCounter first(*store_, kNever);
    first.record("d1", "visitor-a", kChrome);
  }
  auto other_process = store::open_sqlite(path());
  ViewCounter second(*other_process, kNever);
  second.record("d1", "visitor-a", kChrome);
  second.record("d1", "visitor-c", kChrome);
  second.flush();
  EXPECT_EQ(views("d1"), 2);
}

TEST_F(ViewCounterTest, BotsAreNotRecorded) {
  ViewCounter counter(*store_, kNever);
  EXPECT_FALSE(counter.record("d1", "visitor-a", "Baiduspider"));
  EXPECT_FALSE(counter.record("d1", "visitor-b", ""));
  counter.flush();
  EXPECT_EQ(views("d1"), 0);
  EXPECT_EQ(recent_views(), 0);
}

TEST_F(ViewCounterTest, DestructionFlushes) {
  {
    ViewCounter counter(*store_, kNever);
    counter.record("d3", "visitor-a", kChrome);
    counter.record("d3", "visitor-b", kChrome);
  }
  EXPECT_EQ(views("d3"), 2);
}

TEST_F(ViewCounterTest, TheBackgroundThreadFlushesEveryInterval) {
  ViewCounter counter(*store_, 50ms);
  counter.record("d2", "visitor-a", kChrome);
  EXPECT_EQ(wait_for_views("d2", 1, 10), 1);
  counter.record("d2", "visitor-b", kChrome);
  EXPECT_EQ(wait_for_views("d2", 2, 10), 2);
}

TEST_F(ViewCounterTest, ALargeBatchIsFlushedBeforeTheInterval) {
  ViewCounter counter(*store_, kNever);
  const auto n = static_cast<std::int64_t>(ViewCounter::kFlushEvents);
  for (std::int64_t i = 0; i < n - 1; ++i) counter.record("d1", fmt::format("v{}", i), kChrome);
  // The background thread wakes only at the threshold (its wait's predicate), so nothing is
  // written yet; the last event then brings the whole batch.
  EXPECT_EQ(views("d1"), 0) << "below the threshold nothing is written";
  counter.record("d1", "last", kChrome);
  EXPECT_EQ(wait_for_views("d1", n, 20), n);
}

// Holds SQLite's write lock on the store's file from another connection, so every write of
// the store fails (after its busy timeout) until release().
class WriteLock {
 public:
  explicit WriteLock(const std::filesystem::path& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  void release() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  ~WriteLock() {
    release();
    sqlite3_close(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST_F(ViewCounterTest, AFailedFlushKeepsTheEventsForTheNextOne) {
  ViewCounter counter(*store_, kNever);
  counter.record("d1", "visitor-a", kChrome);
  counter.record("d2", "visitor-a", kChrome);
  WriteLock lock(path());
  counter.flush();  // fails after the store's busy timeout; logged, not thrown
  EXPECT_EQ(views("d1"), 0);
  lock.release();
  counter.record("d3", "visitor-a", kChrome);
  counter.flush();
  EXPECT_EQ(views("d1"), 1);
  EXPECT_EQ(views("d2"), 1);
  EXPECT_EQ(views("d3"), 1);
}

// GETs over one keep-alive connection (so every request reaches the same worker process),
// with a User-Agent and an optional Cookie.
class Browser {
 public:
  explicit Browser(int port) : socket_(io_) {
    socket_.connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  }

  // The status and the Set-Cookie header ("" when none) of GET `target`.
  std::pair<int, std::string> get(const std::string& target, std::string_view user_agent,
                                  const std::string& cookie = "") {
    namespace http = boost::beast::http;
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::user_agent, std::string(user_agent));
    if (!cookie.empty()) request.set(http::field::cookie, cookie);
    http::write(socket_, request);
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response);
    return {static_cast<int>(response.result_int()),
            std::string(response[http::field::set_cookie])};
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

TEST(ViewsOverHttp, ADocumentViewSetsTheVisitorCookieAndCountsOncePerVisitor) {
  testing::TempDir dir;
  auto server = std::make_unique<testing::ServerProcess>(std::vector<std::string>{
      testing::wenku_binary(), "serve", "--demo", "--data", dir.path() / "data"});
  const int port = server->port();
  ASSERT_NE(port, 0) << "wenku serve did not start";
  auto store = store::open_sqlite(dir.path() / "data" / "wenku.sqlite");
  const auto docs = store->list({});
  ASSERT_FALSE(docs.empty()) << "--demo loads sample documents";
  const std::string target = "/doc/" + docs[0].id;

  Browser browser(port);
  auto [status, set_cookie] = browser.get(target, kChrome);
  ASSERT_EQ(status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      set_cookie, m,
      std::regex("wenku_vid=([0-9a-f]{32}); Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax")))
      << set_cookie;
  const std::string cookie = "wenku_vid=" + m[1].str();

  // Without the cookie (like wrk) the same address and browser are the same visitor.
  EXPECT_FALSE(browser.get(target, kChrome).second.empty()) << "a new cookie is offered again";
  // With it, the cookie is the visitor: counted once more, however often it comes back.
  EXPECT_EQ(browser.get(target, kChrome, cookie).second, "") << "a valid cookie is kept";
  browser.get(target, kChrome, cookie);
  // An invalid cookie is replaced; the request falls back to address and browser.
  auto [bad_status, replaced] = browser.get(target, kChrome, "wenku_vid=zz");
  EXPECT_EQ(bad_status, 200);
  EXPECT_TRUE(replaced.starts_with("wenku_vid=")) << replaced;
  // Crawlers never count.
  browser.get(target, "Mozilla/5.0 (compatible; Baiduspider/2.0)",
              "wenku_vid=0123456789abcdef0123456789abcdef");

  // The server writes what it counted when it stops: exactly the two visitors.
  server.reset();
  EXPECT_EQ(store->get(docs[0].id)->views, 2);
}

}  // namespace
}  // namespace wenku::web
