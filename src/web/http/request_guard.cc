#include "web/http/request_guard.h"

#include <http_parser.h>

#include <fmt/format.h>

namespace wenku::web {

namespace {

// Twice the largest image the settings take (kMaxSiteImageBytes), so that the admin says why
// a slightly larger image is refused.
constexpr std::uint64_t kAdminFormBytes = 2 * 1024 * 1024;
constexpr std::uint64_t kDocumentTextBytes = 16 * 1024 * 1024;
constexpr std::uint64_t kFormBytes = 64 * 1024;

}  // namespace

std::uint64_t body_limit(std::string_view method, std::string_view path) {
  if (method != "POST") return 0;
  if (path == "/admin/upload") return kMaxUploadBytes;
  if (path.starts_with("/admin/docs/") && path.ends_with("/edit")) return kDocumentTextBytes;
  if (path == "/admin" || path.starts_with("/admin/")) return kAdminFormBytes;
  return kFormBytes;
}

std::string refusal_response(Refusal refusal) {
  std::string_view status = "413 Payload Too Large";
  std::string_view message = "提交的内容超过了允许的大小，请删减后再试。";
  if (refusal == Refusal::kHeadTooLarge) {
    status = "431 Request Header Fields Too Large";
    message = "请求头过大（Cookie 过多或过长），请清除本站 Cookie 后再试。";
  } else if (refusal == Refusal::kTargetTooLong) {
    status = "414 URI Too Long";
    message = "网址过长，请缩短后再试。";
  }
  const std::string body = fmt::format(
      "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{}</title>"
      "<p>{}</p></html>\n",
      status.substr(4), message);
  return fmt::format(
      "HTTP/1.1 {}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n"
      "X-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'none'\r\n"
      "Referrer-Policy: strict-origin-when-cross-origin\r\nCache-Control: no-store\r\n"
      "Connection: close\r\n\r\n{}",
      status, body.size(), body);
}

struct RequestGuard::State {
  http_parser parser{};
  http_parser_settings settings{};
  std::string target;                   // of the current request, as it arrives
  std::uint64_t head_bytes = 0;         // of the current head before the piece being parsed
  const char* piece = nullptr;          // the piece being parsed (see feed)
  const char* head_data_end = nullptr;  // where the head's last data in `piece` ends, if any
  std::uint64_t body_bytes = 0;         // of the current body so far
  std::uint64_t limit = 0;              // body_limit of the current request
  std::uint64_t requests = 0;
  bool in_head = true;         // a head is expected or arriving (not inside a body)
  bool head_arriving = false;  // a head has begun and not ended
  bool done = false;           // refused, or not HTTP: nothing more is looked at
  Refusal refusal = Refusal::kNone;

  State() {
    http_parser_init(&parser, HTTP_REQUEST);
    parser.data = this;
    settings.on_message_begin = [](http_parser* p) {
      auto* s = static_cast<State*>(p->data);
      s->target.clear();
      s->body_bytes = 0;
      s->in_head = true;
      s->head_arriving = true;
      ++s->requests;
      return 0;
    };
    settings.on_url = [](http_parser* p, const char* at, std::size_t length) {
      auto* s = static_cast<State*>(p->data);
      if (s->target.size() + length > kMaxTargetBytes) return s->refuse(Refusal::kTargetTooLong);
      s->target.append(at, length);
      return s->saw_head_data(at, length);
    };
    settings.on_header_field = [](http_parser* p, const char* at, std::size_t length) {
      return static_cast<State*>(p->data)->saw_head_data(at, length);
    };
    settings.on_header_value = [](http_parser* p, const char* at, std::size_t length) {
      return static_cast<State*>(p->data)->saw_head_data(at, length);
    };
    settings.on_headers_complete = [](http_parser* p) {
      auto* s = static_cast<State*>(p->data);
      // The head's last field ended in this piece (or before it), then its blank line.
      const std::uint64_t here =
          s->head_data_end != nullptr ? static_cast<std::uint64_t>(s->head_data_end - s->piece) : 0;
      if (s->head_bytes + here > kMaxHeadBytes) return s->refuse(Refusal::kHeadTooLarge);
      s->in_head = false;
      s->head_arriving = false;
      const std::string_view method = http_method_str(static_cast<http_method>(p->method));
      const std::string_view path = std::string_view(s->target).substr(0, s->target.find('?'));
      s->limit = body_limit(method, path);
      // Content-Length is known now (ULLONG_MAX when absent: chunks are counted in on_body).
      if (p->content_length != ULLONG_MAX && p->content_length > s->limit) {
        return s->refuse(Refusal::kBodyTooLarge);
      }
      return 0;
    };
    settings.on_body = [](http_parser* p, const char*, std::size_t length) {
      auto* s = static_cast<State*>(p->data);
      s->body_bytes += length;
      return s->body_bytes > s->limit ? s->refuse(Refusal::kBodyTooLarge) : 0;
    };
    settings.on_message_complete = [](http_parser* p) {
      static_cast<State*>(p->data)->in_head = true;
      return 0;
    };
  }

  // Records `why` and stops the parser (a callback's return of -1 is an error to it).
  int refuse(Refusal why) {
    refusal = why;
    return -1;
  }

  // Notes where the head's data reached in the piece being parsed (see on_headers_complete).
  int saw_head_data(const char* at, std::size_t length) {
    head_data_end = at + length;
    return 0;
  }

  Refusal feed(std::string_view bytes) {
    if (done) return Refusal::kNone;
    // Heads are measured here, not by the parser's own limit (80 KiB), a piece of at most
    // kPiece bytes at a time, and where a head ends inside a piece, up to its last field: a
    // piece in which a new head begins counts whole, so a head may be taken for up to kPiece
    // bytes longer than it is.
    constexpr std::size_t kPiece = 512;
    std::size_t at = 0;
    while (at < bytes.size() && !done) {
      const std::size_t chunk = in_head ? std::min(kPiece, bytes.size() - at) : bytes.size() - at;
      const bool arriving = head_arriving;
      const std::uint64_t begun = requests;
      piece = bytes.data() + at;
      head_data_end = nullptr;
      if (!arriving) head_bytes = 0;
      const std::size_t parsed = http_parser_execute(&parser, &settings, piece, chunk);
      at += parsed;
      if (head_arriving) head_bytes = (arriving && requests == begun ? head_bytes : 0) + parsed;
      if (refusal != Refusal::kNone || HTTP_PARSER_ERRNO(&parser) != HPE_OK) {
        done = true;
      } else if (head_arriving && head_bytes > kMaxHeadBytes) {
        refusal = Refusal::kHeadTooLarge;
        done = true;
      } else if (parsed < chunk) {
        done = true;  // the parser stopped without an error: nothing more to follow
      }
    }
    return refusal;
  }
};

RequestGuard::RequestGuard() : state_(std::make_unique<State>()) {}
RequestGuard::~RequestGuard() = default;
RequestGuard::RequestGuard(RequestGuard&&) noexcept = default;
RequestGuard& RequestGuard::operator=(RequestGuard&&) noexcept = default;

Refusal RequestGuard::feed(std::string_view bytes) { return state_->feed(bytes); }
bool RequestGuard::head_arriving() const { return state_->head_arriving; }
std::uint64_t RequestGuard::requests() const { return state_->requests; }

}  // namespace wenku::web
