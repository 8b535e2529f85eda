#include "web/pages.h"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <mstch/mstch.hpp>

#include "base/embedded.h"
#include "text/utf8.h"
#include "web/assets.h"
#include "web/url.h"

namespace wenku::web {

namespace {

constexpr std::string_view kTemplateSuffix = ".mustache";
// Every template the pages use; the constructor checks they were all embedded.
constexpr std::string_view kRequiredTemplates[] = {"layout", "search_form", "pager",    "home",
                                                   "doc",    "search",      "register", "error"};
constexpr std::size_t kDescriptionChars = 120;
constexpr std::size_t kPagerRadius = 4;  // page numbers shown either side of the current one

// What the layout needs besides the page body.
struct Head {
  std::string title;        // the whole <title>
  std::string description;  // meta description; empty: none
  std::string canonical;    // canonical link; empty: none
  std::string query;        // prefilled in the header search box
};

std::string category_label(std::string_view category) {
  return category.empty() ? "未分类" : std::string(category);
}

// The start of `content` on one line, for a meta description.
std::string describe(std::string_view content) {
  std::string out(text::prefix_code_points(content, kDescriptionChars));
  bool cut = out.size() < content.size();
  std::replace(out.begin(), out.end(), '\n', ' ');
  if (cut) out += "…";
  return out;
}

// The pager view model, or `false` (nothing rendered) when everything fits on one page.
mstch::node pager_view(PageInfo info, const std::function<std::string(std::size_t)>& href) {
  if (info.pages <= 1) return false;
  mstch::map pager;
  if (info.page > 1) pager["prev"] = href(info.page - 1);
  if (info.page < info.pages) pager["next"] = href(info.page + 1);
  mstch::array numbers;
  std::size_t first = info.page > kPagerRadius ? info.page - kPagerRadius : 1;
  std::size_t last = std::min(info.pages, info.page + kPagerRadius);
  for (std::size_t n = first; n <= last; ++n) {
    numbers.push_back(
        mstch::map{{"n", std::to_string(n)}, {"href", href(n)}, {"current", n == info.page}});
  }
  pager["numbers"] = std::move(numbers);
  return pager;
}

mstch::map summary_view(const doc::Summary& s) {
  return {
      {"id", s.id}, {"title", s.title}, {"date", s.date}, {"category", category_label(s.category)}};
}

mstch::map hit_view(const search::SearchHit& hit) {
  return {{"id", hit.id},
          {"title", hit.title},
          {"date", hit.date},
          {"category", category_label(hit.category)},
          {"snippet_html", hit.snippet_html}};
}

}  // namespace

PageInfo paginate(std::int64_t total, std::size_t page_size, std::size_t page) {
  auto items = static_cast<std::size_t>(std::max<std::int64_t>(total, 0));
  std::size_t pages = std::max<std::size_t>(1, (items + page_size - 1) / page_size);
  return {std::max<std::size_t>(page, 1), pages};
}

struct Pages::Impl {
  std::string site_name;
  std::string stylesheet;
  std::map<std::string, std::string> templates;  // by name without ".mustache"

  // Renders template `page` as the content of the layout.
  std::string render(const std::string& page, const Head& head, mstch::map context) const {
    context["site_name"] = site_name;
    context["stylesheet"] = stylesheet;
    context["page_title"] = head.title;
    context["meta_description"] = head.description;
    context["canonical"] = head.canonical;
    context["header_query"] = head.query;
    auto partials = templates;
    partials["content"] = templates.at(page);
    return mstch::render(templates.at("layout"), context, partials);
  }

  std::string title(std::string_view page_title) const {
    return fmt::format("{} - {}", page_title, site_name);
  }
};

Pages::Pages(std::string site_name) {
  auto impl = std::make_unique<Impl>();
  impl->site_name = std::move(site_name);
  impl->stylesheet = asset_url("style.css");
  for (const auto& f : embedded::templates()) {
    if (!f.path.ends_with(kTemplateSuffix)) continue;
    std::string_view name = f.path.substr(0, f.path.size() - kTemplateSuffix.size());
    impl->templates.emplace(name, f.data);
  }
  for (auto name : kRequiredTemplates) {
    if (!impl->templates.contains(std::string(name))) {
      throw std::logic_error(fmt::format("template {}{} is not embedded", name, kTemplateSuffix));
    }
  }
  impl_ = std::move(impl);
}

Pages::~Pages() = default;

std::string Pages::home(const std::vector<doc::Summary>& latest,
                        const std::vector<store::CategoryCount>& categories, PageInfo page) const {
  mstch::array docs;
  for (const auto& s : latest) docs.push_back(summary_view(s));
  mstch::array cats;
  for (const auto& c : categories) {
    cats.push_back(
        mstch::map{{"name", category_label(c.category)}, {"count", std::to_string(c.count)}});
  }
  mstch::map context{
      {"has_latest", !latest.empty()},
      {"latest", std::move(docs)},
      {"has_categories", !categories.empty()},
      {"categories", std::move(cats)},
      {"pager", pager_view(page, [](std::size_t n) { return fmt::format("/?page={}", n); })}};
  Head head{impl_->site_name + " - 公文写作范文",
            "公文写作范文：讲话稿、工作总结、汇报材料、心得体会等范文的阅读与搜索。", "", ""};
  return impl_->render("home", head, std::move(context));
}

std::string Pages::document(const doc::Document& d, const access::Visible& visible) const {
  mstch::array paragraphs;
  std::size_t n = 0;
  for (auto p : doc::paragraphs(visible.content)) {
    paragraphs.push_back(mstch::map{{"n", std::to_string(++n)}, {"text", std::string(p)}});
  }
  mstch::map context{{"id", d.id},
                     {"title", d.title},
                     {"date", d.date},
                     {"category", category_label(d.category)},
                     {"views", std::to_string(d.views)},
                     {"paragraphs", std::move(paragraphs)},
                     {"complete", visible.complete}};
  Head head{impl_->title(d.title), describe(visible.content), "/doc/" + d.id, ""};
  return impl_->render("doc", head, std::move(context));
}

std::string Pages::search(std::string_view query, const search::SearchResponse& response,
                          PageInfo page) const {
  mstch::map context{{"query", std::string(query)}, {"has_query", !query.empty()}};
  if (!query.empty()) {
    mstch::array hits;
    for (const auto& h : response.hits) hits.push_back(hit_view(h));
    std::string q = encode_query_value(query);
    context["total"] = std::to_string(response.total);
    context["took_ms"] = fmt::format("{:.1f}", response.took_ms);
    context["has_hits"] = !response.hits.empty();
    context["hits"] = std::move(hits);
    context["pager"] =
        pager_view(page, [&q](std::size_t n) { return fmt::format("/search?q={}&page={}", q, n); });
  }
  std::string title =
      query.empty() ? impl_->title("搜索") : impl_->title(fmt::format("{} 的搜索结果", query));
  Head head{std::move(title), "", "", std::string(query)};
  return impl_->render("search", head, std::move(context));
}

std::string Pages::register_soon() const {
  Head head{impl_->title("注册"), "", "", ""};
  return impl_->render("register", head, {});
}

std::string Pages::error(int status) const {
  std::string heading = "服务器出错了";
  std::string message = "抱歉，服务器处理您的请求时出了问题，请稍后再试。";
  if (status == 404) {
    heading = "页面不存在";
    message = "您要找的页面不存在，或者文档已被删除。";
  } else if (status == 400) {
    heading = "请求无效";
    message = "无法识别这个地址或其中的参数，请检查后重试。";
  }
  mstch::map context{
      {"heading", heading}, {"message", message}, {"status", std::to_string(status)}};
  Head head{impl_->title(heading), "", "", ""};
  return impl_->render("error", head, std::move(context));
}

}  // namespace wenku::web
