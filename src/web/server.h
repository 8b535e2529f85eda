// The HTTP server: RESTinio on Asio, server-rendered zh-CN pages from mstch templates. The
// composition root of web/: it owns what the groups of routes share and wires them: the
// public pages (site/public_site.h), the member pages (site/members.h), 联系客服
// (site/feedback.h), the API (api/api.h) and the admin (admin/admin.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "access/visible.h"
#include "doc/document.h"
#include "doc/templater.h"
#include "store/store.h"
#include "web/http/http.h"
#include "web/http/metrics.h"
#include "web/http/rate_limiter.h"
#include "web/site/settings.h"

namespace wenku::store {
class Store;
}
namespace wenku::search {
class Index;
}

namespace wenku::web {

// A TCP socket bound to an address and listening. The serving process makes it once, before
// it forks workers, and every worker accepts on it: a second server cannot join the address
// (as it silently could if each worker bound it with SO_REUSEPORT), and port 0 gives one
// kernel-chosen port for all workers.
class ListeningSocket {
 public:
  // Binds host:port (port 0: a free port the kernel picks) with SO_REUSEADDR and listens.
  // Throws std::runtime_error "cannot listen on HOST:PORT: REASON" when `host` is not an IP
  // address (or "localhost") or the address is taken.
  ListeningSocket(const std::string& host, std::uint16_t port);
  ~ListeningSocket();  // closes the socket
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;

  int fd() const { return fd_; }
  std::uint16_t port() const { return port_; }  // the bound port, never 0

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// What the processes of one server share: the rate limits' buckets and the request metrics,
// in shared memory. Make it before forking the workers, so that all of them see one.
struct SharedServerState {
  RateLimiter limiter;
  Metrics metrics;
};

struct ServerOptions {
  // The address as links and messages show it; `listening_fd` listens on it.
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  // ListeningSocket::fd of the socket to accept on; serve() neither binds nor closes it.
  int listening_fd = -1;
  unsigned threads = 2;  // of this process
  // Reverse proxies whose X-Forwarded-For names the client (web::set_trusted_proxies).
  std::vector<std::string> trusted_proxies;
  // Defaults of the site settings; settings saved by the admin (Store::settings) win.
  SiteSettings site;
  // Token that opens /admin before accounts exist (printed at start-up); "" : admin closed.
  // Also opens /metrics to a scraper that is not on this machine (Authorization: Bearer).
  std::string admin_token;
  // Per-client rate limits on search, suggestions and document views (Gate::rate_class).
  // Off only for benchmarks and tests that send requests faster than any person.
  bool rate_limits = true;
  bool access_log = true;  // one line per request on standard error
  // Shared with the other workers; nullptr: serve makes one of its own.
  SharedServerState* shared = nullptr;
};

// What an admin upload or edit committed.
struct IngestReport {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::vector<store::SimilarPair> near_duplicates;  // links found for the new texts
};

// What handlers need; owned by the caller and outliving the server.
struct Services {
  store::Store& store;
  search::Index& index;
  const doc::PlaceNames& places;  // for the 模板版 of what a guest may read
  // Fills the derived fields (keywords, SimHash, analysis) of `docs` and commits them in one
  // transaction, linking near-duplicates, exactly as `wenku import` does. Empty: uploads and
  // edits are refused.
  std::function<IngestReport(std::vector<doc::Document>)> ingest;
};

// Blocks SIGINT and SIGTERM in the calling thread and in the threads and processes it starts
// afterwards, so that one arriving before `serve` handles them (while the library opens, the
// index catches up, workers start) waits instead of killing the process: `serve` then returns
// at once without serving. Call it first thing in a process that will serve.
void hold_stop_signals();

// Serves every route of the site (route_table lists them) until SIGINT/SIGTERM (unblocking
// them in the calling thread once it handles them: see hold_stop_signals). Every route
// goes through one Gate (web/http/gate.h): rate limits, metrics, access log. GET /metrics
// answers the metrics in the Prometheus text format to a client on this machine (a loopback
// address, not forwarded by a proxy) or one presenting the admin token as a bearer token. Accepts
// on `options.listening_fd` and calls `on_listening` once it does. Throws std::invalid_argument
// when that is -1.
void serve(Services services, const ServerOptions& options,
           const std::function<void()>& on_listening = {});

// Every route `serve` would answer with `options` (admin routes included), in matching order,
// without serving: for `wenku routes` and the route-table tests.
std::vector<Router::Route> route_table(Services services, ServerOptions options);

}  // namespace wenku::web
