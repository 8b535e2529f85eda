#include "web/http/url.h"

#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <restinio/utils/percent_encoding.hpp>

#include "text/utf8.h"

namespace wenku::web {

namespace {

constexpr std::size_t kMaxHostBytes = 255;

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_alnum(char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// True for "" or ":" followed by 1-5 digits.
bool is_port_suffix(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() != ':' || s.size() < 2 || s.size() > 6) return false;
  for (char c : s.substr(1)) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// A Host header value we are willing to put into absolute links: a DNS name or IPv4 address
// (letters, digits, '-' and '.'), or an IPv6 address in brackets, with an optional port.
bool is_plain_host(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostBytes) return false;
  if (host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : host.substr(1, close - 1)) {
      bool hex = is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') return false;
    }
    return is_port_suffix(host.substr(close + 1));
  }
  auto colon = host.find(':');
  std::string_view name = host.substr(0, colon);
  if (name.empty() || name.front() == '-' || name.front() == '.') return false;
  for (char c : name) {
    if (!is_alnum(c) && c != '-' && c != '.') return false;
  }
  return colon == std::string_view::npos || is_port_suffix(host.substr(colon));
}

}  // namespace

std::string encode_query_value(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string category_label(std::string_view category) {
  return category.empty() ? "未分类" : std::string(category);
}

std::string category_path(std::string_view category) {
  return "/category/" + encode_query_value(category_label(category));
}

std::optional<std::string> decode_path_segment(std::string_view segment) {
  auto decoded =
      restinio::utils::try_unescape_percent_encoding<restinio::utils::relaxed_unescape_traits>(
          segment);
  if (!decoded || !text::is_valid_utf8(*decoded)) return std::nullopt;
  return std::move(*decoded);
}

std::string site_base_url(std::string_view configured, std::optional<std::string_view> host_header,
                          std::string_view listen) {
  while (configured.ends_with('/')) configured.remove_suffix(1);
  if (!configured.empty()) return std::string(configured);
  if (host_header && is_plain_host(*host_header)) return "http://" + std::string(*host_header);
  return "http://" + std::string(listen);
}

}  // namespace wenku::web
