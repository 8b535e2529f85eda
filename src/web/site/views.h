// View counting for the document pages (issue 6): a view counts once per visitor per
// document per local calendar day, crawlers excluded. The request path only appends to an
// in-memory batch; a background thread writes batches with one Store::add_views call, and the
// store dedupes across batches, restarts and server processes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <ctime>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "store/counter_store.h"
#include "web/http/http.h"

namespace wenku::web {

// True when `user_agent` is a crawler or a scripted client, whose requests are not views.
// The rule, on the ASCII-lowercased value:
//   - an empty (or all-blank) User-Agent is a bot;
//   - any of the substrings "bot" (Googlebot, bingbot, AdsBot, Slackbot...), "spider"
//     (Baiduspider, 360Spider, YisouSpider, Bytespider, every Sogou crawler: "Sogou web
//     spider", "Sogou inst spider"...), "crawl", "slurp" (Yahoo), "curl", "wget",
//     "python-requests", "python-urllib", "aiohttp", "go-http-client", "java/", "okhttp",
//     "apache-httpclient", "libwww-perl", "scrapy", "httpie", "node-fetch", "axios/" or
//     "facebookexternalhit" makes it a bot.
// Browsers are not bots even when their names resemble these: the Sogou browser
// ("SogouMobileBrowser", "MetaSr") is counted, and so is HeadlessChrome (the browser tests
// drive it and expect their views to count). A substring rule can misjudge a rare device
// name (e.g. a "CUBOT" phone): such errors only ever lose views, never add them.
bool is_bot(std::string_view user_agent);

// Collects views in memory and writes them to the store in batches.
//
// Thread-safe. A background thread flushes every `flush_interval`, and sooner when the batch
// reaches kFlushEvents events. A failed write is logged and its events are kept for the next
// flush, and the background thread then waits a whole interval before retrying. At most
// kMaxPendingEvents are kept: while the store keeps failing, newer events are dropped and the
// loss is logged.
class ViewCounter {
 public:
  static constexpr std::size_t kFlushEvents = 5000;
  static constexpr std::size_t kMaxPendingEvents = 100000;
  // Remembered (id, visitor) pairs of the current day; the memory is cleared when it fills
  // (the store still dedupes, so this only costs a few extra events in a batch).
  static constexpr std::size_t kMaxRemembered = 200000;

  // `store` must outlive the counter.
  explicit ViewCounter(store::CounterStore& store,
                       std::chrono::milliseconds flush_interval = std::chrono::seconds(2));
  // Stops the background thread and flushes what is left (failures are logged).
  ~ViewCounter();
  ViewCounter(const ViewCounter&) = delete;
  ViewCounter& operator=(const ViewCounter&) = delete;

  // Records that `visitor` (an opaque key, see visitor_of) viewed document `id` today (the
  // server's local calendar day, YYYY-MM-DD). Returns false, recording nothing, when
  // `user_agent` is a bot (is_bot); true otherwise, also when this visitor's view of `id`
  // was already recorded today (it is then not recorded again). Never touches the store.
  bool record(std::string_view id, std::string_view visitor, std::string_view user_agent);

  // Writes the pending events with one Store::add_views call (none when nothing is pending).
  // A failure is logged and the events are kept for the next flush; never throws.
  void flush();

 private:
  void run();

  store::CounterStore& store_;
  const std::chrono::milliseconds interval_;
  std::mutex flush_mutex_;  // one flush at a time, so retried events keep their order
  std::mutex mutex_;        // guards everything below
  std::condition_variable wake_;
  std::vector<store::ViewEvent> pending_;
  std::size_t dropped_ = 0;  // events refused at the cap since the last flush (logged there)
  std::unordered_set<std::string> remembered_;  // id '\n' visitor, for `day_`
  std::string day_;
  std::time_t day_checked_at_ = -1;  // the second `day_` was computed at
  bool backing_off_ = false;         // the last flush failed: wait a whole interval
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// Who is viewing, for view dedupe.
struct VisitorId {
  std::string key;         // the visitor key of this request (ViewCounter::record)
  std::string set_cookie;  // a Set-Cookie value to send with the response; "" : none
};

// The name of the visitor cookie: 32 lowercase hex digits (128 random bits).
inline constexpr std::string_view kVisitorCookie = "wenku_vid";

// The visitor of `req`. With a valid `wenku_vid` cookie, the key is its value and no cookie is
// set. Otherwise a new random id is issued in `set_cookie` ("wenku_vid=<id>; Path=/;
// Max-Age=31536000; HttpOnly; SameSite=Lax"), and the key of this request is client_key(req)
// joined to a hash of its User-Agent, so clients that never return cookies (wrk, a first
// visit) are still deduped by address and browser. A first visit and a return with the new
// cookie on the same day are two keys, so that document counts twice for that visitor once.
VisitorId visitor_of(const Request& req);

}  // namespace wenku::web
