#include "web/site/sitemap.h"

#include <ctime>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "store/store.h"
#include "web/http/http.h"
#include "web/http/url.h"

namespace wenku::web {

namespace {

constexpr const char* kSitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

// A document with the XML declaration (with its encoding) and root element `root`.
pugi::xml_node start_document(pugi::xml_document& doc, const char* root) {
  auto declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  auto node = doc.append_child(root);
  node.append_attribute("xmlns") = kSitemapNamespace;
  return node;
}

std::string to_string(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_indent, pugi::encoding_utf8);  // our declaration, one per line
  return out.str();
}

}  // namespace

std::string urlset_xml(const std::vector<SitemapUrl>& urls) {
  pugi::xml_document doc;
  auto urlset = start_document(doc, "urlset");
  for (const auto& u : urls) {
    auto url = urlset.append_child("url");
    url.append_child("loc").text().set(u.loc.c_str());
    if (!u.lastmod.empty()) url.append_child("lastmod").text().set(u.lastmod.c_str());
  }
  return to_string(doc);
}

std::string sitemap_index_xml(const std::vector<std::string>& locations) {
  pugi::xml_document doc;
  auto index = start_document(doc, "sitemapindex");
  for (const auto& loc : locations) {
    index.append_child("sitemap").append_child("loc").text().set(loc.c_str());
  }
  return to_string(doc);
}

std::string w3c_datetime(std::string_view utc_timestamp) {
  auto seconds = parse_utc_timestamp(utc_timestamp);
  if (!seconds) return "";
  std::time_t t = static_cast<std::time_t>(*seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string robots_txt(std::string_view base_url) {
  return fmt::format(
      "User-agent: *\n"
      "Allow: /\n"
      "Disallow: /admin\n"
      "Disallow: /search\n"
      "\n"
      "Sitemap: {}/sitemap.xml\n",
      base_url);
}

std::vector<SitemapUrl> Sitemap::fixed_urls(std::string_view base_url) const {
  const std::string base(base_url);
  std::vector<SitemapUrl> out{{base + "/", ""}};
  for (const auto& c : store_.category_list()) {
    if (c.count > 0) out.push_back({base + category_path(c.name), ""});
  }
  for (const auto& t : store_.collections()) {
    out.push_back({base + "/topic/" + encode_query_value(t.slug), ""});
  }
  return out;
}

std::vector<SitemapUrl> Sitemap::urls(std::string_view base_url, std::vector<SitemapUrl> fixed,
                                      std::size_t first, std::size_t count) const {
  std::vector<SitemapUrl> out;
  for (std::size_t i = first; i < fixed.size() && out.size() < count; ++i) {
    out.push_back(std::move(fixed[i]));
  }
  if (out.size() == count) return out;
  store::ListQuery query;
  query.offset = first > fixed.size() ? first - fixed.size() : 0;
  query.limit = count - out.size();
  for (const auto& s : store_.list(query)) {
    out.push_back({fmt::format("{}/doc/{}", base_url, s.id), w3c_datetime(s.updated_at)});
  }
  return out;
}

std::string Sitemap::root(std::string_view base_url) const {
  auto fixed = fixed_urls(base_url);
  const auto total = fixed.size() + static_cast<std::size_t>(store_.count());
  if (total <= kSitemapMaxUrls) return urlset_xml(urls(base_url, std::move(fixed), 0, total));
  std::vector<std::string> files;
  for (std::size_t n = 1; (n - 1) * kSitemapMaxUrls < total; ++n) {
    files.push_back(fmt::format("{}/sitemap-{}.xml", base_url, n));
  }
  return sitemap_index_xml(files);
}

std::optional<std::string> Sitemap::file(std::string_view base_url, std::size_t n) const {
  auto fixed = fixed_urls(base_url);
  const auto total = fixed.size() + static_cast<std::size_t>(store_.count());
  if (n == 0 || total <= kSitemapMaxUrls || (n - 1) * kSitemapMaxUrls >= total) {
    return std::nullopt;
  }
  return urlset_xml(urls(base_url, std::move(fixed), (n - 1) * kSitemapMaxUrls, kSitemapMaxUrls));
}

}  // namespace wenku::web
