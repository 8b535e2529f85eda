#include "web/pages.h"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <mstch/mstch.hpp>

#include "base/embedded.h"
#include "doc/analysis.h"
#include "io/export.h"
#include "text/utf8.h"
#include "web/assets.h"
#include "web/url.h"

namespace wenku::web {

namespace {

constexpr std::string_view kTemplateSuffix = ".mustache";
// Every template the pages use; the constructor checks they were all embedded.
constexpr std::string_view kRequiredTemplates[] = {
    "layout",    "search_form",  "pager",     "home",   "doc",      "doc_tools",
    "read_more", "doc_template", "doc_tasks", "search", "register", "error"};
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

// The address of a search page.
std::string search_href(std::string_view query, const SearchFilters& filters, std::size_t page) {
  std::string href = "/search?q=" + encode_query_value(query);
  if (!filters.category.empty()) href += "&cat=" + encode_query_value(filters.category);
  if (filters.year != 0) href += fmt::format("&year={}", filters.year);
  if (filters.sort != search::SortOrder::kRelevance) {
    href += "&sort=" + std::string(search::sort_name(filters.sort));
  }
  if (page > 1) href += fmt::format("&page={}", page);
  return href;
}

// 相关度 / 最新 / 最热 links, the current one marked.
mstch::array sort_links(std::string_view query, const SearchFilters& filters) {
  constexpr std::pair<search::SortOrder, std::string_view> kSorts[] = {
      {search::SortOrder::kRelevance, "相关度"},
      {search::SortOrder::kNewest, "最新"},
      {search::SortOrder::kHot, "最热"}};
  mstch::array links;
  for (auto [order, label] : kSorts) {
    auto with_sort = filters;
    with_sort.sort = order;
    links.push_back(mstch::map{{"label", std::string(label)},
                               {"href", search_href(query, with_sort, 1)},
                               {"current", order == filters.sort}});
  }
  return links;
}

// Links that narrow the search to one facet value (or, for the selected value, widen it
// again), with the value's hit count.
mstch::array facet_links(std::string_view query, const SearchFilters& filters,
                         const std::vector<search::FacetCount>& facets, bool category) {
  mstch::array links;
  for (const auto& f : facets) {
    auto narrowed = filters;
    bool current = category ? f.value == filters.category : f.value == std::to_string(filters.year);
    if (category) {
      narrowed.category = current ? "" : f.value;
    } else {
      narrowed.year = current ? 0 : std::stoi(f.value);
    }
    links.push_back(mstch::map{{"label", category ? category_label(f.value) : f.value},
                               {"count", std::to_string(f.count)},
                               {"href", search_href(query, narrowed, 1)},
                               {"current", current}});
  }
  return links;
}

// The tab of a document's pages that is shown.
enum class DocTab { kText, kTemplate, kTasks };

// What every page of a document shows: title, meta and the tool buttons.
mstch::map doc_context(const doc::Document& d, const doc::Analysis& analysis, DocTab tab,
                       bool complete) {
  return {{"id", d.id},
          {"title", d.title},
          {"date", d.date},
          {"category", category_label(d.category)},
          {"views", std::to_string(d.views)},
          {"complete", complete},
          {"has_tasks", !analysis.tasks.empty()},
          {"on_text", tab == DocTab::kText},
          {"on_template", tab == DocTab::kTemplate},
          {"on_tasks", tab == DocTab::kTasks}};
}

// The paragraphs of `content` with their 1-based anchors.
mstch::array paragraphs_view(std::string_view content) {
  mstch::array paragraphs;
  std::size_t n = 0;
  for (auto p : doc::paragraphs(content)) {
    paragraphs.push_back(mstch::map{{"n", std::to_string(++n)}, {"text", std::string(p)}});
  }
  return paragraphs;
}

// The outline as a table of contents; headings in paragraphs beyond the `shown` ones link
// to the 阅读全文 block.
mstch::array outline_view(const std::vector<doc::OutlineItem>& outline, std::size_t shown) {
  mstch::array items;
  for (const auto& item : outline) {
    items.push_back(mstch::map{
        {"level", std::to_string(item.level)},
        {"text", item.text},
        {"href", item.para < shown ? fmt::format("#p{}", item.para + 1) : "#read-more"}});
  }
  return items;
}

mstch::array keywords_view(const std::vector<std::string>& keywords) {
  mstch::array tags;
  for (const auto& word : keywords) {
    tags.push_back(mstch::map{{"word", word}, {"query", encode_query_value(word)}});
  }
  return tags;
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
  const doc::Analysis analysis = doc::analysis_from_json(d.analysis);
  const std::size_t shown = doc::paragraphs(visible.content).size();
  mstch::map context = doc_context(d, analysis, DocTab::kText, visible.complete);
  context["paragraphs"] = paragraphs_view(visible.content);
  context["has_outline"] = !analysis.outline.empty();
  context["outline"] = outline_view(analysis.outline, shown);
  context["has_keywords"] = !d.keywords.empty();
  context["keywords"] = keywords_view(d.keywords);
  Head head{impl_->title(d.title), describe(visible.content), "/doc/" + d.id, ""};
  return impl_->render("doc", head, std::move(context));
}

std::string Pages::template_page(const doc::Document& d, std::string_view template_text,
                                 bool complete) const {
  mstch::map context =
      doc_context(d, doc::analysis_from_json(d.analysis), DocTab::kTemplate, complete);
  context["paragraphs"] = paragraphs_view(template_text);
  Head head{impl_->title(d.title + "（模板版）"), describe(template_text),
            "/doc/" + d.id + "/template", ""};
  return impl_->render("doc_template", head, std::move(context));
}

std::string Pages::tasks_page(const doc::Document& d, const std::vector<doc::TaskRow>& rows,
                              bool complete) const {
  mstch::map context =
      doc_context(d, doc::analysis_from_json(d.analysis), DocTab::kTasks, complete);
  mstch::array columns;
  for (const auto& c : io::task_columns()) columns.push_back(c);
  mstch::array table;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    mstch::array cells;
    for (auto& cell : io::task_cells(rows[r], r)) cells.push_back(std::move(cell));
    table.push_back(mstch::map{{"cells", std::move(cells)}});
  }
  context["columns"] = std::move(columns);
  context["has_rows"] = !rows.empty();
  context["rows"] = std::move(table);
  Head head{impl_->title(d.title + "（任务分解表）"), "", "/doc/" + d.id + "/tasks", ""};
  return impl_->render("doc_tasks", head, std::move(context));
}

std::string Pages::search(std::string_view query, const search::SearchResponse& response,
                          PageInfo page, const SearchFilters& filters) const {
  bool has_query = !query.empty() || !filters.category.empty() || filters.year != 0;
  mstch::map context{{"query", std::string(query)}, {"has_query", has_query}};
  if (has_query) {
    mstch::array hits;
    for (const auto& h : response.hits) hits.push_back(hit_view(h));
    context["total"] = std::to_string(response.total);
    context["took_ms"] = fmt::format("{:.1f}", response.took_ms);
    context["has_hits"] = !response.hits.empty();
    context["hits"] = std::move(hits);
    context["notice"] = response.notice;
    if (!response.did_you_mean.empty()) {
      context["did_you_mean"] = mstch::map{{"query", response.did_you_mean},
                                           {"href", search_href(response.did_you_mean, {}, 1)}};
    }
    context["sorts"] = sort_links(query, filters);
    context["has_category_facets"] = !response.categories.empty();
    context["has_year_facets"] = !response.years.empty();
    context["category_facets"] = facet_links(query, filters, response.categories, true);
    context["year_facets"] = facet_links(query, filters, response.years, false);
    context["pager"] =
        pager_view(page, [&](std::size_t n) { return search_href(query, filters, n); });
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
