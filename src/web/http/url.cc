#include "web/http/url.h"

#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <restinio/utils/percent_encoding.hpp>

#include "text/utf8.h"

namespace wenku::web {

namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
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

std::string site_base_url(std::string_view configured, std::string_view listen) {
  while (configured.ends_with('/')) configured.remove_suffix(1);
  if (!configured.empty()) return std::string(configured);
  return "http://" + std::string(listen);
}

}  // namespace wenku::web
