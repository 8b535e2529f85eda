#include "web/http/http.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <mutex>
#include <random>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <xxhash.h>
#include <zlib.h>

#include "text/utf8.h"
#include "web/http/gate.h"

namespace wenku::web {

namespace {

constexpr std::size_t kMinCompressBytes = 1024;

bool compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/xml") || content_type.starts_with("image/svg+xml") ||
         content_type.starts_with("application/javascript");
}

// Seconds since the epoch of a UTC calendar time; nullopt when a field is out of range.
std::optional<std::int64_t> utc_seconds(int year, int month, int day, int hour, int minute,
                                        int second) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm));
}

// The non-negative decimal number of `s[pos, pos + len)`; nullopt when not all digits.
std::optional<int> digits_at(std::string_view s, std::size_t pos, std::size_t len) {
  int n = 0;
  const char* first = s.data() + pos;
  if (pos + len > s.size() || *first == '-' || *first == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(first, first + len, n);
  if (ec != std::errc() || end != first + len) return std::nullopt;
  return n;
}

// The secret seed of client_key (see set_client_key_secret).
std::mutex& client_secret_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::uint64_t& client_secret_seed() {
  static std::uint64_t seed = std::random_device{}() * 0x100000001ULL ^ std::random_device{}();
  return seed;
}
// Addresses of the reverse proxies whose X-Forwarded-For is believed (see set_trusted_proxies),
// in restinio::asio_ns::ip::address::to_string form. Guarded by client_secret_mutex.
std::vector<std::string>& trusted_proxies() {
  static std::vector<std::string> proxies;
  return proxies;
}

bool is_trusted(const std::vector<std::string>& proxies, std::string_view address) {
  return std::find(proxies.begin(), proxies.end(), address) != proxies.end();
}

}  // namespace

namespace {

bool request_accepts_gzip(const Request& req) {
  auto accept = req->header().opt_value_of(restinio::http_field::accept_encoding);
  return accept && accepts_gzip(*accept);
}

// The watch of the request this thread is handling, if any (SendWatch).
thread_local SendWatch* current_watch = nullptr;

// `send` once the encoding is chosen: `vary` when another encoding could have been sent,
// `gzipped` when `body` is compressed.
Status send_encoded(const Request& req, restinio::http_status_line_t status,
                    std::string_view content_type, restinio::writable_item_t body,
                    const ResponseOptions& extra, bool vary, bool gzipped) {
  if (current_watch != nullptr) current_watch->sending(status.status_code().raw_code());
  auto add_headers = [&](auto& response) {
    response.append_header(restinio::http_field::content_type, std::string(content_type))
        .append_header("X-Content-Type-Options", "nosniff")
        .append_header("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                       "frame-ancestors 'none'")
        .append_header("Referrer-Policy", "strict-origin-when-cross-origin");
    for (const auto& [name, value] : extra.headers) response.append_header(name, value);
    if (!extra.cache_control.empty()) {
      response.append_header(restinio::http_field::cache_control, extra.cache_control);
    }
    if (!extra.last_modified.empty()) {
      response.append_header(restinio::http_field::last_modified, extra.last_modified);
    }
    if (!extra.etag.empty()) {
      // A compressed body is another representation: its tag is only weakly equal (as
      // nginx does), and If-None-Match compares weakly anyway (etag_matches).
      const bool weak = gzipped && !extra.etag.starts_with("W/");
      response.append_header(restinio::http_field::etag, weak ? "W/" + extra.etag : extra.etag);
    }
    if (!extra.location.empty())
      response.append_header(restinio::http_field::location, extra.location);
    if (!extra.retry_after.empty())
      response.append_header(restinio::http_field::retry_after, extra.retry_after);
    for (const auto& c : extra.set_cookies)
      response.append_header(restinio::http_field::set_cookie, c);
    if (vary) response.append_header(restinio::http_field::vary, "Accept-Encoding");
    if (gzipped) response.append_header(restinio::http_field::content_encoding, "gzip");
  };
  // HEAD (RFC 9110 9.3.2) and 304 (15.4.5) responses carry the headers of the full response,
  // its Content-Length included, and no body.
  if (req->header().method() == restinio::http_method_head() ||
      status.status_code() == restinio::status_code::not_modified) {
    auto response = req->create_response<restinio::user_controlled_output_t>(std::move(status));
    add_headers(response);
    return response.set_content_length(body.size()).done();
  }
  auto response = req->create_response(std::move(status));
  add_headers(response);
  return response.set_body(std::move(body)).done();
}

}  // namespace

SendWatch::SendWatch(std::function<void(int status)> before_send)
    : before_send_(std::move(before_send)) {
  current_watch = this;
}

SendWatch::~SendWatch() { current_watch = nullptr; }

void SendWatch::sending(int status) {
  status_ = status;
  before_send_(status);
}

Status send(const Request& req, restinio::http_status_line_t status, std::string_view content_type,
            std::string body, const ResponseOptions& extra) {
  const bool vary = body.size() >= kMinCompressBytes && compressible(content_type);
  const bool gzipped = vary && request_accepts_gzip(req);
  if (gzipped) body = gzip(body);
  return send_encoded(req, std::move(status), content_type,
                      restinio::writable_item_t(std::move(body)), extra, vary, gzipped);
}

Status send(const Request& req, restinio::http_status_line_t status, std::string_view content_type,
            const std::shared_ptr<const CompressedBody>& body, const ResponseOptions& extra) {
  const bool gzipped = request_accepts_gzip(req);
  // Shares the cached text instead of copying it.
  std::shared_ptr<const std::string> text(body, gzipped ? &body->gzipped : &body->plain);
  return send_encoded(req, std::move(status), content_type,
                      restinio::writable_item_t(std::move(text)), extra, true, gzipped);
}

Status redirect(const Request& req, std::string location, const ResponseOptions& extra) {
  auto options = extra;
  options.location = std::move(location);
  return send(req, restinio::status_see_other(), "text/plain; charset=utf-8", "", options);
}

std::size_t page_param(const Query& query) {
  auto value = query.get_param("page");
  if (!value) return 1;
  std::size_t page = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), page);
  if (ec == std::errc::result_out_of_range) return 0;
  if (ec != std::errc() || end != value->data() + value->size() || page == 0) return 1;
  return page <= kMaxPage ? page : 0;
}

std::optional<std::string> cookie(const Request& req, std::string_view name) {
  for (const auto& field : req->header()) {
    if (!restinio::impl::is_equal_caseless(field.name(), "cookie")) continue;
    std::string_view rest = field.value();
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view pair = text::trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (text::trim(pair.substr(0, eq)) == name)
        return std::string(text::trim(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

std::string client_address(const Request& req) {
  std::string address = req->remote_endpoint().address().to_string();
  std::vector<std::string> proxies;
  {
    std::lock_guard lock(client_secret_mutex());
    if (trusted_proxies().empty()) return address;
    proxies = trusted_proxies();
  }
  // Walk X-Forwarded-For from the nearest hop back while the hops are our proxies: the first
  // other address is the client (what is left of it a client may have forged).
  const auto forwarded = req->header().opt_value_of("X-Forwarded-For");
  if (!forwarded) return address;
  std::string_view hops = *forwarded;
  while (is_trusted(proxies, address) && !hops.empty()) {
    const auto comma = hops.rfind(',');
    const std::string_view hop =
        text::trim(comma == std::string_view::npos ? hops : hops.substr(comma + 1));
    hops = comma == std::string_view::npos ? std::string_view() : hops.substr(0, comma);
    restinio::asio_ns::error_code ec;
    const auto parsed = restinio::asio_ns::ip::make_address(std::string(hop), ec);
    if (ec) break;  // not an address: stop at the last one we could read
    address = parsed.to_string();
  }
  return address;
}

void set_trusted_proxies(const std::vector<std::string>& addresses) {
  std::vector<std::string> canonical;
  for (const auto& a : addresses) {
    restinio::asio_ns::error_code ec;
    const auto parsed = restinio::asio_ns::ip::make_address(a, ec);
    if (ec) throw std::invalid_argument("not an IP address: " + a);
    canonical.push_back(parsed.to_string());
  }
  std::lock_guard lock(client_secret_mutex());
  trusted_proxies() = std::move(canonical);
}

std::string client_key(const Request& req) {
  const std::string address = client_address(req);
  std::uint64_t seed = 0;
  {
    std::lock_guard lock(client_secret_mutex());
    seed = client_secret_seed();
  }
  return fmt::format("{:016x}", XXH3_64bits_withSeed(address.data(), address.size(), seed));
}

void set_client_key_secret(std::string_view secret) {
  std::lock_guard lock(client_secret_mutex());
  client_secret_seed() = XXH3_64bits(secret.data(), secret.size());
}

std::string user_agent(const Request& req) {
  auto ua = req->header().opt_value_of(restinio::http_field::user_agent);
  return ua ? std::string(*ua) : std::string();
}

bool accepts_gzip(std::string_view accept_encoding) {
  std::string_view rest = accept_encoding;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = text::trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view coding = text::trim(item.substr(0, semi));
    if (!restinio::impl::is_equal_caseless(coding, "gzip") && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view q = text::trim(item.substr(semi + 1));
    if (!q.starts_with("q=") && !q.starts_with("Q=")) return true;
    q.remove_prefix(2);
    // q=0, q=0.0, q=0.000 refuse; any other value accepts.
    return q.find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

std::string gzip(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16: write a gzip header and trailer instead of a zlib one.
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate failed");
  out.resize(stream.total_out);
  return out;
}

std::string http_date(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 64> buffer{};
  std::size_t n = std::strftime(buffer.data(), buffer.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buffer.data(), n);
}

std::optional<std::int64_t> parse_http_date(std::string_view value) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, English names, always GMT. Parsed by hand
  // because strptime's %a/%b follow the process locale.
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (value.size() != 29 || value[3] != ',' || value[4] != ' ' || value[7] != ' ' ||
      value[11] != ' ' || value[16] != ' ' || value[19] != ':' || value[22] != ':' ||
      value.substr(25) != " GMT") {
    return std::nullopt;
  }
  auto month = kMonths.find(value.substr(8, 3));
  auto day = digits_at(value, 5, 2), year = digits_at(value, 12, 4), hour = digits_at(value, 17, 2),
       minute = digits_at(value, 20, 2), second = digits_at(value, 23, 2);
  if (month == std::string_view::npos || month % 3 != 0 || !day || !year || !hour || !minute ||
      !second) {
    return std::nullopt;
  }
  return utc_seconds(*year, static_cast<int>(month / 3) + 1, *day, *hour, *minute, *second);
}

std::optional<std::int64_t> parse_utc_timestamp(std::string_view value) {
  if (value.size() != 19 || value[4] != '-' || value[7] != '-' || value[10] != ' ' ||
      value[13] != ':' || value[16] != ':') {
    return std::nullopt;
  }
  auto year = digits_at(value, 0, 4), month = digits_at(value, 5, 2), day = digits_at(value, 8, 2),
       hour = digits_at(value, 11, 2), minute = digits_at(value, 14, 2),
       second = digits_at(value, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  return utc_seconds(*year, *month, *day, *hour, *minute, *second);
}

Router::Router(std::shared_ptr<const Gate> gate) : gate_(std::move(gate)) {}

Handler Router::gated(Handler handler) const {
  if (!gate_) return handler;
  return gate_->wrap(routes_.size() - 1, routes_.back(), std::move(handler));
}

void Router::get_and_head(std::string_view path, Handler handler) {
  routes_.push_back({"GET", std::string(path)});
  router_.add_handler(
      restinio::router::any_of_methods(restinio::http_method_get(), restinio::http_method_head()),
      path, gated(std::move(handler)));
}

void Router::http_get(std::string_view path, Handler handler) {
  routes_.push_back({"GET only", std::string(path)});
  router_.http_get(path, gated(std::move(handler)));
}

void Router::http_post(std::string_view path, Handler handler) {
  routes_.push_back({"POST", std::string(path)});
  router_.http_post(path, gated(std::move(handler)));
}

namespace {

// Whether the express `pattern` (literal segments, :name, :name followed by a literal such as
// ".svg") matches `path` (see Router::allowed_methods).
bool pattern_matches(std::string_view pattern, std::string_view path) {
  const auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  for (;;) {
    const std::size_t pattern_end = pattern.find('/');
    const std::size_t path_end = path.find('/');
    const std::string_view want = pattern.substr(0, pattern_end);
    const std::string_view got = path.substr(0, path_end);
    if (want.starts_with(':')) {
      std::size_t name_end = 1;
      while (name_end < want.size() && is_name_char(want[name_end])) ++name_end;
      const std::string_view suffix = want.substr(name_end);
      if (got.size() <= suffix.size() || !got.ends_with(suffix)) return false;
    } else if (want != got) {
      return false;
    }
    if ((pattern_end == std::string_view::npos) != (path_end == std::string_view::npos))
      return false;
    if (pattern_end == std::string_view::npos) return true;
    pattern.remove_prefix(pattern_end + 1);
    path.remove_prefix(path_end + 1);
  }
}

}  // namespace

std::string Router::allowed_methods(std::string_view path) const {
  bool get = false, head = false, post = false;
  for (const Route& route : routes_) {
    if (!pattern_matches(route.path, path)) continue;
    if (route.method == "POST") {
      post = true;
    } else {
      get = true;
      head = head || route.method == "GET";
    }
  }
  std::string allow;
  for (const auto& [accepted, name] : {std::pair{get, "GET"}, {head, "HEAD"}, {post, "POST"}}) {
    if (!accepted) continue;
    if (!allow.empty()) allow += ", ";
    allow += name;
  }
  return allow;
}

void Router::non_matched_request_handler(std::function<Status(const Request&)> handler) {
  Handler any = [handler = std::move(handler)](const Request& req, Params) { return handler(req); };
  if (gate_) any = gate_->wrap(routes_.size(), {"ANY", "(no route)"}, std::move(any));
  router_.non_matched_request_handler(
      [any = std::move(any)](Request req) { return any(req, restinio::router::route_params_t{}); });
}

}  // namespace wenku::web
