// Static assets (static/*, embedded at build) served under /static/ with strong validators,
// so browsers may cache them for a year and revalidate cheaply.
#pragma once

#include <string>
#include <string_view>

namespace wenku::web {

struct Asset {
  std::string_view path;          // relative to static/, e.g. "style.css"
  std::string_view data;          // the file's bytes
  std::string_view content_type;  // from the extension; application/octet-stream if unknown
  std::string etag;               // quoted strong ETag derived from the bytes
};

// Returns the embedded asset at `path`, or nullptr when there is none.
const Asset* find_asset(std::string_view path);

// The link to an embedded asset with a content-hash query for cache busting, e.g.
// "/static/style.css?v=1a2b3c4d5e6f7a8b". Throws std::logic_error for an unknown asset.
std::string asset_url(std::string_view path);

// The site icon served at /favicon.ico: the character 文 in white on the site's red, drawn by
// this program (no image file) as an ICO holding a 16×16 and a 32×32 32-bit bitmap. Made once.
std::string_view favicon_ico();

// True when the value of an If-None-Match header matches `etag`: "*", or a comma-separated
// list containing it (weak "W/" prefixes ignored, as RFC 9110 requires for If-None-Match).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace wenku::web
