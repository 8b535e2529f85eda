// /sitemap.xml and /robots.txt (sitemaps.org protocol 0.9). The sitemap lists the home page,
// every category with documents, every 专题 and every live document, in that order; up to
// kSitemapMaxUrls addresses it is one <urlset>, beyond that a <sitemapindex> of files
// /sitemap-1.xml … each holding kSitemapMaxUrls addresses (the protocol allows 50,000; smaller
// files keep each request cheap).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wenku::store {
class Store;
}

namespace wenku::web {

inline constexpr std::size_t kSitemapMaxUrls = 10000;

// One <url> of a sitemap.
struct SitemapUrl {
  std::string loc;      // absolute address
  std::string lastmod;  // W3C datetime; "" : none
};

// A <urlset> document of `urls` (XML-escaped by pugixml).
std::string urlset_xml(const std::vector<SitemapUrl>& urls);

// A <sitemapindex> document listing the sitemap files at `locations` (absolute addresses).
std::string sitemap_index_xml(const std::vector<std::string>& locations);

// The W3C datetime of a store timestamp: "2021-12-25 10:00:00" (UTC) becomes
// "2021-12-25T10:00:00+00:00"; anything not of that shape gives "".
std::string w3c_datetime(std::string_view utc_timestamp);

// The robots.txt of the site at `base_url`: everything allowed but /admin and /search, and the
// Sitemap address.
std::string robots_txt(std::string_view base_url);

// Builds the sitemap from the store on each call (one indexed query per file).
class Sitemap {
 public:
  // `store` must outlive this object.
  explicit Sitemap(store::Store& store) : store_(store) {}

  // /sitemap.xml of the site at `base_url` (absolute, no trailing '/').
  std::string root(std::string_view base_url) const;

  // /sitemap-`n`.xml; nullopt when `n` is 0 or beyond the last file, or when the whole sitemap
  // fits in /sitemap.xml.
  std::optional<std::string> file(std::string_view base_url, std::size_t n) const;

 private:
  // The addresses that are not documents (home, categories, 专题).
  std::vector<SitemapUrl> fixed_urls(std::string_view base_url) const;
  // Addresses [first, first + count) of the whole list: `fixed` (from fixed_urls), then the
  // documents, newest first.
  std::vector<SitemapUrl> urls(std::string_view base_url, std::vector<SitemapUrl> fixed,
                               std::size_t first, std::size_t count) const;

  store::Store& store_;
};

}  // namespace wenku::web
