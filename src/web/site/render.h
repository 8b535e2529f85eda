// Renders mstch templates (templates/*.mustache, embedded at build) inside the shared layout
// (templates/layout.mustache). Used by the public pages (pages.h) and the admin (admin.h).
// Every {{value}} is HTML-escaped by mstch; only {{{triple}}} values are inserted raw, and
// those must be built by our code (snippets, SVG), never taken from input.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <mstch/mstch.hpp>

#include "web/site/settings.h"

namespace wenku::web {

// What the layout needs besides the page body.
struct Head {
  std::string title;                // the whole <title>
  std::string description;          // meta description and og:description; empty: none
  std::string canonical;            // absolute canonical URL (also og:url); empty: none
  std::string query;                // prefilled in the header search box
  std::string og_type = "website";  // "article" for documents
  bool noindex = false;             // <meta name="robots" content="noindex"> (admin, search)
  std::string member;               // the logged-in account's name for the header; "": a guest
};

class Renderer {
 public:
  // Loads every embedded template. Throws std::logic_error when `layout` is missing.
  Renderer();

  // True when template `name` (without ".mustache") is embedded.
  bool has(std::string_view name) const;

  // Renders template `page` as the {{> content}} of the layout. The layout context gets
  // `site_name`, `stylesheet`, `page_title`, `meta_description`, `canonical`, `og_type`,
  // `noindex`, `header_query`, `member_name`, `contact_text`, `wechat_caption`, `has_wechat_image`
  // from `head` and `site`, besides `context`. Throws std::out_of_range for an unknown template.
  std::string render(const std::string& page, const Head& head, const SiteSettings& site,
                     mstch::map context) const;

  // Renders template `name` alone (no layout), e.g. XML or partial fragments.
  std::string render_bare(const std::string& name, const mstch::map& context) const;

 private:
  // mstch parses a template text, and every partial it is given, on each render call, and
  // has no pre-parsed template type. So each template is kept with its {{> name}} partials
  // spliced in (recursively, once, at construction): a render parses only what the page
  // uses, once.
  std::map<std::string, std::string, std::less<>> bare_;   // by name without ".mustache"
  std::map<std::string, std::string, std::less<>> paged_;  // the layout with each as content
  std::string stylesheet_;
};

}  // namespace wenku::web
