// Request/response helpers shared by every route file (site pages, API, admin, feedback).
#pragma once

#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <restinio/all.hpp>

namespace wenku::web {

using Request = restinio::request_handle_t;
using Params = restinio::router::route_params_t;
using Status = restinio::request_handling_status_t;
using Query = restinio::query_string_params_t;
using Handler = std::function<Status(const Request&, Params)>;

class Gate;

// RESTinio's express router, keeping a record of every route added, so that the route table
// can be listed (`wenku routes`) and the route-table tests can tell a route nobody checked.
class Router {
 public:
  struct Route {
    std::string method;  // "GET" (GET and HEAD), "GET only" or "POST"
    std::string path;    // the express pattern, e.g. "/doc/:id"
  };

  // A router whose every handler, the non-matched one included, goes through `gate`
  // (Gate::wrap; route numbers in the order of routes(), the non-matched handler numbered
  // after the last route added before it). Without a gate handlers run as given.
  explicit Router(std::shared_ptr<const Gate> gate = nullptr);

  // GET and HEAD of `path` (send() leaves the body out for HEAD).
  void get_and_head(std::string_view path, Handler handler);
  // GET alone (downloads whose HEAD would cost the same as GET).
  void http_get(std::string_view path, Handler handler);
  void http_post(std::string_view path, Handler handler);
  // Answers requests no route matched.
  void non_matched_request_handler(std::function<Status(const Request&)> handler);

  // Dispatches `req` to the first matching route.
  Status operator()(const Request& req) const { return router_(req); }

  // The routes in the order they were added.
  const std::vector<Route>& routes() const { return routes_; }

  // The methods the routes whose pattern matches `path` accept, as an Allow header lists them
  // ("GET, HEAD, POST"); "" when no route has that path. Patterns are matched segment by
  // segment; a :name matches one non-empty segment, less a literal suffix written after it
  // (":id.svg").
  std::string allowed_methods(std::string_view path) const;

 private:
  // `handler` of the route just added (the last of routes_), through the gate if any.
  Handler gated(Handler handler) const;

  std::shared_ptr<const Gate> gate_;
  restinio::router::express_router_t<> router_;
  std::vector<Route> routes_;
};

inline constexpr std::string_view kHtml = "text/html; charset=utf-8";
inline constexpr std::string_view kJson = "application/json; charset=utf-8";
inline constexpr std::size_t kMaxPage = 1000;  // deeper pages are refused, not computed

// Extra headers of one response beyond those `send` always adds.
struct ResponseOptions {
  std::string cache_control;             // "" : none
  std::string last_modified;             // HTTP-date; "" : none
  std::vector<std::string> set_cookies;  // each a whole Set-Cookie value
  std::string location;                  // for redirects; "" : none
  std::string etag;                      // quoted entity tag; "" : none (made weak when gzipped)
  std::string retry_after;               // seconds, for 429/503; "" : none
  std::vector<std::pair<std::string, std::string>> headers;  // any others, name and value
};

// Sends `body` with the headers every response carries (Content-Type, nosniff, CSP,
// Referrer-Policy) and
// `extra`. When the client accepts gzip (Accept-Encoding) and the body is compressible text
// of at least 1 KiB, the body is gzip-compressed and Content-Encoding/Vary are set. A HEAD
// request, or a 304 status, gets the same headers, Content-Length included, but no body.
Status send(const Request& req, restinio::http_status_line_t status, std::string_view content_type,
            std::string body, const ResponseOptions& extra = {});

// Watches the responses `send` makes on this thread while it lives (the gate makes one around
// each handler; watches do not nest): `before_send(status)` runs just before a response is
// handed to the connection, so what it records is there before the client can read the answer.
class SendWatch {
 public:
  explicit SendWatch(std::function<void(int status)> before_send);
  ~SendWatch();
  SendWatch(const SendWatch&) = delete;
  SendWatch& operator=(const SendWatch&) = delete;

  // The status of the last response sent while watching; 0 when none was.
  int status() const { return status_; }

  // Called by `send` with the status of the response it is about to hand over.
  void sending(int status);

 private:
  std::function<void(int)> before_send_;
  int status_ = 0;
};

// A compressible body kept in both forms (a cached page), so it is not compressed per request.
struct CompressedBody {
  std::string plain;
  std::string gzipped;  // gzip(plain)
};

// As `send` for `body->plain`, sending `body->gzipped` instead when the client accepts gzip;
// the response shares the text (no copy).
Status send(const Request& req, restinio::http_status_line_t status, std::string_view content_type,
            const std::shared_ptr<const CompressedBody>& body, const ResponseOptions& extra = {});

// A 303 See Other to `location` (after a form POST).
Status redirect(const Request& req, std::string location, const ResponseOptions& extra = {});

// The value of `page` in `query`: 1 when absent or not a positive number; 0 (meaning
// "refuse") when beyond kMaxPage.
std::size_t page_param(const Query& query);

// The value of cookie `name` in the request's Cookie header(s), or nullopt.
std::optional<std::string> cookie(const Request& req, std::string_view name);

// Sets the secret key of client_key. Every process serving one site must use the same secret
// (web::client_key_secret keeps it in the store), or view dedupe and rate limits would see a
// client as several. Call before serving; until then a random per-process secret is used.
void set_client_key_secret(std::string_view secret);

// Sets the addresses of the reverse proxies in front of the site (`wenku serve
// --trusted-proxy`). Throws std::invalid_argument for a string that is not an IP address.
void set_trusted_proxies(const std::vector<std::string>& addresses);

// The client's IP address: the remote address, or, when that is a trusted proxy, the last
// X-Forwarded-For hop that is not one (hops before it could be forged by the client).
std::string client_address(const Request& req);

// A stable opaque key of the client: 16 hex digits of a keyed hash of client_address (never
// the address itself, so it can be stored, and not reversible without the secret).
std::string client_key(const Request& req);

// The request's User-Agent ("" when absent).
std::string user_agent(const Request& req);

// True when `accept_encoding` (an Accept-Encoding header value) allows gzip (q > 0).
bool accepts_gzip(std::string_view accept_encoding);

// Compresses `data` in the gzip format (zlib, level 6).
std::string gzip(std::string_view data);

// The HTTP-date (RFC 9110 IMF-fixdate) of a time given in seconds since the epoch.
std::string http_date(std::int64_t unix_seconds);

// Seconds since the epoch of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), or nullopt for
// anything else (the obsolete RFC 850 and asctime forms included: clients send back the
// Last-Modified value they were given).
std::optional<std::int64_t> parse_http_date(std::string_view value);

// Seconds since the epoch of a store timestamp "YYYY-MM-DD HH:MM:SS" (UTC, as Document::
// created_at), or nullopt for anything else.
std::optional<std::int64_t> parse_utc_timestamp(std::string_view value);

}  // namespace wenku::web
