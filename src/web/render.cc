#include "web/render.h"

#include <stdexcept>

#include <fmt/format.h>

#include "base/embedded.h"
#include "web/assets.h"

namespace wenku::web {

namespace {
constexpr std::string_view kTemplateSuffix = ".mustache";
}

Renderer::Renderer() : stylesheet_(asset_url("style.css")) {
  for (const auto& f : embedded::templates()) {
    if (!f.path.ends_with(kTemplateSuffix)) continue;
    std::string_view name = f.path.substr(0, f.path.size() - kTemplateSuffix.size());
    templates_.emplace(name, f.data);
  }
  if (!templates_.contains("layout")) {
    throw std::logic_error("template layout.mustache is not embedded");
  }
}

bool Renderer::has(std::string_view name) const { return templates_.contains(std::string(name)); }

std::string Renderer::render(const std::string& page, const Head& head, const SiteSettings& site,
                             mstch::map context) const {
  context["site_name"] = site.site_name;
  context["stylesheet"] = stylesheet_;
  context["page_title"] = head.title;
  context["meta_description"] = head.description;
  context["canonical"] = head.canonical;
  context["og_type"] = head.og_type;
  context["noindex"] = head.noindex;
  context["header_query"] = head.query;
  context["contact_text"] = site.contact_text;
  context["wechat_caption"] = site.wechat_caption;
  context["has_wechat_image"] = site.has_wechat_image;
  auto partials = templates_;
  partials["content"] = templates_.at(page);
  return mstch::render(templates_.at("layout"), context, partials);
}

std::string Renderer::render_bare(const std::string& name, const mstch::map& context) const {
  return mstch::render(templates_.at(name), context, templates_);
}

}  // namespace wenku::web
