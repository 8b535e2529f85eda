// URL helpers for building links in pages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wenku::web {

// Percent-encodes `s` for use as one query-string value: every byte except ASCII letters,
// digits and `-._~` becomes %XX (UTF-8 bytes included), so `&`, `=`, `+`, `#` and spaces
// cannot leak into the surrounding URL. The result is plain ASCII. The same encoding makes a
// safe path segment (no '/', '?' or '#' survives).
std::string encode_query_value(std::string_view s);

// The name shown for a document category: "未分类" for "".
std::string category_label(std::string_view category);

// The path of the page of `category`: "/category/" + the percent-encoded label, so "" (未分类)
// is /category/%E6%9C%AA%E5%88%86%E7%B1%BB. Document ids need no encoding (A-Z a-z 0-9 . _ -
// only, see io::detail::is_valid_id): their page is "/doc/" + id.
std::string category_path(std::string_view category);

// Decodes a percent-encoded path segment (a route parameter as RESTinio gives it, still
// encoded). nullopt when an escape is malformed or the result is not valid UTF-8.
std::optional<std::string> decode_path_segment(std::string_view segment);

// The absolute address of the site, "scheme://host[:port]" without a trailing '/', for links
// that leave the page (canonical, og:url, QR codes, sitemap, robots.txt): `configured` (the
// 网站地址 setting, trailing '/' removed) when not empty, else "http://" + `listen` (the
// listen address, "host:port"). A request's Host header is never used: whoever sends the
// request would choose the address written into shared links, QR codes and cached pages.
std::string site_base_url(std::string_view configured, std::string_view listen);

}  // namespace wenku::web
