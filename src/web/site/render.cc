#include "web/site/render.h"

#include <stdexcept>

#include <fmt/format.h>

#include "base/embedded.h"
#include "text/utf8.h"
#include "web/site/assets.h"

namespace wenku::web {

namespace {

using Templates = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kTemplateSuffix = ".mustache";
constexpr std::string_view kPartialOpen = "{{>";
constexpr std::string_view kTagClose = "}}";
constexpr int kMaxPartialDepth = 16;  // deeper nesting can only be a partial including itself

// `text` with every {{> name}} replaced by template `name`, itself spliced, and {{> content}}
// by `content` when given. mstch renders a partial with the context in force where the tag
// stands, so the spliced text renders the same (up to whitespace); an unknown partial renders
// as nothing, as in mstch. Throws std::logic_error for partials nested beyond
// kMaxPartialDepth (a cycle).
std::string splice(std::string_view text, const Templates& templates, const std::string* content,
                   int depth = 0) {
  if (depth > kMaxPartialDepth) throw std::logic_error("templates include each other in a cycle");
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = text.find(kPartialOpen, pos);
    const std::size_t close =
        open == std::string_view::npos ? open : text.find(kTagClose, open + kPartialOpen.size());
    if (close == std::string_view::npos) break;
    out += text.substr(pos, open - pos);
    const std::string_view name =
        text::trim(text.substr(open + kPartialOpen.size(), close - open - kPartialOpen.size()));
    if (name == "content" && content != nullptr) {
      out += *content;
    } else if (auto it = templates.find(name); it != templates.end()) {
      out += splice(it->second, templates, content, depth + 1);
    }
    pos = close + kTagClose.size();
  }
  out += text.substr(pos);
  return out;
}

}  // namespace

Renderer::Renderer() : stylesheet_(asset_url("style.css")) {
  Templates raw;
  for (const auto& f : embedded::templates()) {
    if (!f.path.ends_with(kTemplateSuffix)) continue;
    std::string_view name = f.path.substr(0, f.path.size() - kTemplateSuffix.size());
    raw.emplace(name, f.data);
  }
  auto layout = raw.find("layout");
  if (layout == raw.end()) throw std::logic_error("template layout.mustache is not embedded");
  for (const auto& [name, text] : raw) {
    auto& bare = bare_[name] = splice(text, raw, nullptr);
    paged_[name] = splice(layout->second, raw, &bare);
  }
}

bool Renderer::has(std::string_view name) const { return bare_.contains(name); }

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
  context["member_name"] = head.member;
  context["contact_text"] = site.contact_text;
  context["wechat_caption"] = site.wechat_caption;
  context["has_wechat_image"] = site.has_wechat_image;
  return mstch::render(paged_.at(page), context);
}

std::string Renderer::render_bare(const std::string& name, const mstch::map& context) const {
  return mstch::render(bare_.at(name), context);
}

}  // namespace wenku::web
