#include "web/site/pages.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <mstch/mstch.hpp>

#include "doc/tasks.h"
#include "io/export.h"
#include "io/task_table.h"
#include "text/utf8.h"
#include "web/http/http.h"
#include "web/http/url.h"
#include "web/site/assets.h"
#include "web/site/dates.h"

namespace wenku::web {

namespace {

// Every template the pages use; the constructor checks they were all embedded.
constexpr std::string_view kRequiredTemplates[] = {
    "layout", "search_form", "pager",     "doc_list",  "hot_tabs",     "sidebar",
    "home",   "doc",         "doc_tools", "read_more", "doc_template", "doc_tasks",
    "search", "category",    "hot",       "topic",     "error"};
constexpr std::size_t kDescriptionChars = 120;
constexpr std::size_t kExcerptChars = 60;  // of a related document, in the 相关内容 list
constexpr std::size_t kPagerRadius = 4;    // page numbers shown either side of the current one

// The start of `content` on one line, at most `chars` characters, "…" marking a cut.
std::string describe(std::string_view content, std::size_t chars = kDescriptionChars) {
  std::string out(text::prefix_code_points(content, chars));
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

// `prefix_dates`: SiteSettings::title_date_prefix (see listed_title), in every view below.
mstch::map summary_view(const doc::Summary& s, bool prefix_dates) {
  return {{"id", s.id},
          {"title", listed_title(s.title, s.date, prefix_dates)},
          {"date", s.date},
          {"category", category_label(s.category)},
          {"category_href", category_path(s.category)},
          {"views", std::to_string(s.views)}};
}

// A listing of summaries for templates/doc_list.mustache.
mstch::map doc_list_view(const std::vector<doc::Summary>& docs, bool prefix_dates) {
  mstch::array items;
  for (const auto& s : docs) items.push_back(summary_view(s, prefix_dates));
  return {{"has_docs", !docs.empty()}, {"docs", std::move(items)}};
}

mstch::array hot_list_view(const std::vector<store::HotDoc>& docs, bool prefix_dates) {
  mstch::array items;
  std::size_t rank = 0;
  for (const auto& h : docs) {
    auto item = summary_view(h.doc, prefix_dates);
    item["rank"] = std::to_string(++rank);
    item["period_views"] = std::to_string(h.period_views);
    items.push_back(std::move(item));
  }
  return items;
}

// The 本周热门 / 本月热门 tabs (templates/hot_tabs.mustache).
mstch::map hot_tabs_view(const HotTabs& hot, bool prefix_dates) {
  return {{"has_week", !hot.week.empty()},
          {"week", hot_list_view(hot.week, prefix_dates)},
          {"has_month", !hot.month.empty()},
          {"month", hot_list_view(hot.month, prefix_dates)}};
}

mstch::map hit_view(const search::SearchHit& hit, bool prefix_dates) {
  return {{"id", hit.id},
          {"title", listed_title(hit.title, hit.date, prefix_dates)},
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

// The address of a category page with its sort and page.
std::string category_href(std::string_view category, store::SortOrder sort, std::size_t page) {
  std::string href = category_path(category);
  char separator = '?';
  if (sort == store::SortOrder::kMostViewed) {
    href += "?sort=hot";
    separator = '&';
  }
  if (page > 1) href += fmt::format("{}page={}", separator, page);
  return href;
}

// The tab of a document's pages that is shown.
enum class DocTab { kText, kTemplate, kTasks };

// What every page of a document shows: title, meta and the tool buttons.
mstch::map doc_context(const PageEnv& env, const access::Readable& r, bool has_tasks, DocTab tab) {
  return {{"id", r.id()},
          {"title", listed_title(r.title(), r.date(), env.site.title_date_prefix)},
          {"date", r.date()},
          {"category", category_label(r.category())},
          {"category_href", category_path(r.category())},
          {"views", std::to_string(r.views())},
          {"complete", r.complete()},
          {"has_tasks", has_tasks},
          {"on_text", tab == DocTab::kText},
          {"on_template", tab == DocTab::kTemplate},
          {"on_tasks", tab == DocTab::kTasks}};
}

// The paragraphs of `content` with their 1-based anchors. A paragraph that is the `para` of an
// item of `outline` is a heading when the item's phrase is all of it; when a sentence follows
// the phrase (一是稳定粮食生产。全年…), the phrase is its lead, set apart as a run-in heading.
mstch::array paragraphs_view(std::string_view content,
                             const std::vector<doc::OutlineItem>& outline = {}) {
  std::vector<const doc::OutlineItem*> item_of;
  for (const auto& item : outline) {
    if (item.para >= item_of.size()) item_of.resize(item.para + 1, nullptr);
    item_of[item.para] = &item;
  }
  mstch::array paragraphs;
  std::size_t n = 0;
  for (std::string_view p : doc::paragraphs(content)) {
    const doc::OutlineItem* item = n < item_of.size() ? item_of[n] : nullptr;
    std::string_view lead;
    if (item != nullptr && p.size() > item->text.size() && p.starts_with(item->text)) {
      std::size_t size = item->text.size();
      for (std::string_view mark : {std::string_view("。"), std::string_view("：")}) {
        if (p.substr(size).starts_with(mark) && p.size() > size + mark.size()) size += mark.size();
      }
      lead = p.substr(0, size);
      p.remove_prefix(size);
    }
    paragraphs.push_back(mstch::map{{"n", std::to_string(n + 1)},
                                    {"lead", std::string(lead)},
                                    {"text", std::string(p)},
                                    {"heading", item != nullptr && lead.empty()}});
    ++n;
  }
  return paragraphs;
}

// What a reader is told an X of the 模板版 replaced: its kind, never the text.
std::string mark_title(doc::SpanKind kind) {
  switch (kind) {
    case doc::SpanKind::kNumber:
      return "原文为数字或日期";
    case doc::SpanKind::kPerson:
      return "原文为人名";
    case doc::SpanKind::kPlace:
      return "原文为地名";
    case doc::SpanKind::kOrganisation:
      return "原文为单位名称";
  }
  return "原文已替换";
}

// The paragraphs of the 模板版 `tpl` with their 1-based anchors, each as pieces: a text and,
// when `mark`, the X of a mark after it with its `title`.
mstch::array template_paragraphs_view(const doc::MarkedTemplate& tpl) {
  const std::string_view text = tpl.text;
  auto mark = tpl.marks.begin();
  mstch::array paragraphs;
  for (std::string_view p : doc::paragraphs(text)) {
    const auto begin = static_cast<std::size_t>(p.data() - text.data());
    const std::size_t end = begin + p.size();
    mstch::array pieces;
    std::size_t copied = begin;
    for (; mark != tpl.marks.end() && mark->pos < end; ++mark) {
      pieces.push_back(mstch::map{{"text", std::string(text.substr(copied, mark->pos - copied))},
                                  {"mark", true},
                                  {"title", mark_title(mark->kind)}});
      copied = mark->pos + 1;
    }
    pieces.push_back(
        mstch::map{{"text", std::string(text.substr(copied, end - copied))}, {"mark", false}});
    paragraphs.push_back(
        mstch::map{{"n", std::to_string(paragraphs.size() + 1)}, {"pieces", std::move(pieces)}});
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

mstch::array related_view(const std::vector<search::RelatedDoc>& related, bool prefix_dates) {
  mstch::array items;
  for (const auto& r : related) {
    items.push_back(mstch::map{{"id", r.id},
                               {"title", listed_title(r.title, r.date, prefix_dates)},
                               {"date", r.date},
                               {"category", category_label(r.category)},
                               {"excerpt", describe(r.excerpt, kExcerptChars)}});
  }
  return items;
}

}  // namespace

PageInfo paginate(std::int64_t total, std::size_t page_size, std::size_t page) {
  auto items = static_cast<std::size_t>(std::max<std::int64_t>(total, 0));
  std::size_t pages = std::max<std::size_t>(1, (items + page_size - 1) / page_size);
  return {std::max<std::size_t>(page, 1), pages};
}

namespace {

std::string page_title(const PageEnv& env, std::string_view title) {
  return fmt::format("{} - {}", title, env.site.site_name);
}

}  // namespace

Pages::Pages(const Renderer& renderer) : renderer_(renderer) {
  for (auto name : kRequiredTemplates) {
    if (!renderer_.has(name)) {
      throw std::logic_error(fmt::format("template {}.mustache is not embedded", name));
    }
  }
}

std::string Pages::home(const PageEnv& env, const HomeData& data) const {
  mstch::array cats;
  for (const auto& c : data.categories) {
    if (c.count == 0) continue;
    cats.push_back(mstch::map{{"name", category_label(c.name)},
                              {"href", category_path(c.name)},
                              {"count", std::to_string(c.count)}});
  }
  mstch::array topics;
  for (const auto& t : data.topics) {
    topics.push_back(mstch::map{{"title", t.title},
                                {"description", t.description},
                                {"href", "/topic/" + encode_query_value(t.slug)},
                                {"count", std::to_string(t.ids.size())}});
  }
  const bool has_categories = !cats.empty();
  const bool has_topics = !topics.empty();
  mstch::map context{
      {"latest", doc_list_view(data.latest, env.site.title_date_prefix)},
      {"has_categories", has_categories},
      {"categories", std::move(cats)},
      {"hot", hot_tabs_view(data.hot, env.site.title_date_prefix)},
      {"has_topics", has_topics},
      {"topics", std::move(topics)},
      {"pager", pager_view(data.page, [](std::size_t n) { return fmt::format("/?page={}", n); })}};
  Head head;
  head.title = env.site.site_name + " - 公文写作范文";
  head.description = "公文写作范文：讲话稿、工作总结、汇报材料、心得体会等范文的阅读与搜索。";
  head.canonical =
      env.base_url + (data.page.page > 1 ? fmt::format("/?page={}", data.page.page) : "/");
  return render_in_layout(renderer_, env, "home", head, std::move(context));
}

std::string Pages::document(const PageEnv& env, const access::Readable& r,
                            const DocumentExtras& extras) const {
  const std::size_t shown = doc::paragraphs(r.text()).size();
  const std::string permalink = env.base_url + "/doc/" + r.id();
  mstch::map context = doc_context(env, r, extras.has_tasks, DocTab::kText);
  context["favorite"] = extras.favorite;
  context["published"] = published_label(r.date());
  context["published_datetime"] = published_datetime(r.date());
  context["received"] = received_label(r.created_at());
  context["paragraphs"] = paragraphs_view(r.text(), r.outline());
  context["has_outline"] = !r.outline().empty();
  context["outline"] = outline_view(r.outline(), shown);
  context["has_keywords"] = !r.keywords().empty();
  context["keywords"] = keywords_view(r.keywords());
  // What the import moved out of the text (来源说明) and the mark of a derived title: metadata
  // for every viewer, like the outline.
  context["title_derived"] = r.title_derived();
  mstch::array source_note;
  for (const auto line : doc::paragraphs(r.source_note())) {
    source_note.emplace_back(std::string(line));
  }
  context["has_source_note"] = !source_note.empty();
  context["source_note"] = std::move(source_note);
  context["permalink"] = permalink;
  context["share_qr_svg"] = extras.share_qr_svg;
  context["has_related"] = !extras.related.empty();
  context["related"] = related_view(extras.related, env.site.title_date_prefix);
  context["hot"] = hot_tabs_view(extras.hot, env.site.title_date_prefix);
  Head head;
  head.title = page_title(env, listed_title(r.title(), r.date(), env.site.title_date_prefix));
  head.description = describe(r.text());
  head.canonical = permalink;
  head.og_type = "article";
  return render_in_layout(renderer_, env, "doc", head, std::move(context));
}

std::string Pages::template_page(const PageEnv& env, const access::Readable& r,
                                 const doc::MarkedTemplate& tpl, bool has_tasks) const {
  mstch::map context = doc_context(env, r, has_tasks, DocTab::kTemplate);
  context["paragraphs"] = template_paragraphs_view(tpl);
  Head head;
  head.title = page_title(env, r.title() + "（模板版）");
  head.description = describe(tpl.text);
  head.canonical = env.base_url + "/doc/" + r.id() + "/template";
  return render_in_layout(renderer_, env, "doc_template", head, std::move(context));
}

std::string Pages::tasks_page(const PageEnv& env, const access::Readable& r,
                              const std::vector<doc::TaskRow>& rows,
                              std::size_t total_tasks) const {
  // The tasks page is shown only for a document that has tasks.
  mstch::map context = doc_context(env, r, true, DocTab::kTasks);
  const auto names = io::task_columns();
  mstch::array columns;
  for (const auto& c : names) columns.push_back(c);
  mstch::array table;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    mstch::array cells;
    auto texts = io::task_cells(rows[row], row);
    for (std::size_t k = 0; k < texts.size() && k < names.size(); ++k) {
      // Each cell carries its column's name: a phone shows a row as a card of labelled lines.
      const bool empty = texts[k].empty();
      cells.push_back(
          mstch::map{{"label", names[k]}, {"text", std::move(texts[k])}, {"empty", empty}});
    }
    table.push_back(mstch::map{{"cells", std::move(cells)}});
  }
  context["columns"] = std::move(columns);
  context["has_rows"] = !rows.empty();
  context["rows"] = std::move(table);
  if (!r.complete() && total_tasks > rows.size()) {
    context["hidden_tasks"] = std::to_string(total_tasks);
  }
  Head head;
  head.title = page_title(env, r.title() + "（任务分解表）");
  head.canonical = env.base_url + "/doc/" + r.id() + "/tasks";
  return render_in_layout(renderer_, env, "doc_tasks", head, std::move(context));
}

std::string Pages::search(const PageEnv& env, std::string_view query,
                          const search::SearchResponse& response, PageInfo page,
                          const SearchFilters& filters) const {
  bool has_query = !query.empty() || !filters.category.empty() || filters.year != 0;
  mstch::map context{{"query", std::string(query)}, {"has_query", has_query}};
  if (has_query) {
    mstch::array hits;
    for (const auto& h : response.hits) hits.push_back(hit_view(h, env.site.title_date_prefix));
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
  Head head;
  head.title = query.empty() ? page_title(env, "搜索")
                             : page_title(env, fmt::format("{} 的搜索结果", query));
  head.query = std::string(query);
  head.noindex = true;
  return render_in_layout(renderer_, env, "search", head, std::move(context));
}

std::string Pages::category(const PageEnv& env, const store::Category& category,
                            const std::vector<doc::Summary>& docs, store::SortOrder sort,
                            PageInfo page) const {
  const std::string name = category_label(category.name);
  mstch::array sorts;
  for (auto [order, label] : {std::pair{store::SortOrder::kNewest, "最新"},
                              std::pair{store::SortOrder::kMostViewed, "最热"}}) {
    sorts.push_back(mstch::map{{"label", std::string(label)},
                               {"href", category_href(category.name, order, 1)},
                               {"current", order == sort}});
  }
  mstch::map context{{"name", name},
                     {"count", std::to_string(category.count)},
                     {"sorts", std::move(sorts)},
                     {"list", doc_list_view(docs, env.site.title_date_prefix)},
                     {"pager", pager_view(page, [&](std::size_t n) {
                        return category_href(category.name, sort, n);
                      })}};
  Head head;
  head.title = page_title(env, page.page > 1 ? fmt::format("{}（第{}页）", name, page.page) : name);
  head.description = fmt::format("{}范文 {} 篇：在线阅读与搜索。", name, category.count);
  head.canonical = env.base_url + category_href(category.name, sort, page.page);
  return render_in_layout(renderer_, env, "category", head, std::move(context));
}

std::string Pages::hot(const PageEnv& env, HotPeriod period,
                       const std::vector<store::HotDoc>& docs) const {
  const bool week = period == HotPeriod::kWeek;
  const std::string heading = week ? "本周热门" : "本月热门";
  mstch::map context{{"heading", heading},
                     {"on_week", week},
                     {"has_docs", !docs.empty()},
                     {"docs", hot_list_view(docs, env.site.title_date_prefix)}};
  Head head;
  head.title = page_title(env, heading);
  head.description = week ? "最近 7 天阅读最多的范文。" : "最近 30 天阅读最多的范文。";
  head.canonical = env.base_url + "/hot?period=" + std::string(hot_period_name(period));
  return render_in_layout(renderer_, env, "hot", head, std::move(context));
}

std::string Pages::topic(const PageEnv& env, const store::Collection& topic,
                         const std::vector<doc::Summary>& docs) const {
  mstch::map context{{"title", topic.title},
                     {"description", topic.description},
                     {"list", doc_list_view(docs, env.site.title_date_prefix)}};
  Head head;
  head.title = page_title(env, topic.title);
  head.description = describe(topic.description);
  head.canonical = env.base_url + "/topic/" + encode_query_value(topic.slug);
  return render_in_layout(renderer_, env, "topic", head, std::move(context));
}

}  // namespace wenku::web

namespace wenku::web {

namespace {
std::size_t size_of(const CompressedBody& page) { return page.plain.size() + page.gzipped.size(); }
}  // namespace

PageCache::PageCache(std::chrono::steady_clock::duration ttl, std::size_t max_bytes)
    : ttl_(ttl), max_bytes_(max_bytes) {}

std::shared_ptr<const CompressedBody> PageCache::get(const std::string& key,
                                                     const std::string& stamp,
                                                     const std::function<std::string()>& render) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end() && it->second->stamp == stamp && now - it->second->stored_at < ttl_) {
      order_.splice(order_.begin(), order_, it->second);
      return it->second->page;
    }
  }
  std::string html = render();
  std::string gzipped = gzip(html);
  auto page =
      std::make_shared<const CompressedBody>(CompressedBody{std::move(html), std::move(gzipped)});
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= size_of(*it->second->page);
    order_.erase(it->second);
    index_.erase(it);
  }
  order_.push_front(Entry{key, stamp, now, page});
  index_.emplace(key, order_.begin());
  bytes_ += size_of(*page);
  while (bytes_ > max_bytes_ && order_.size() > 1) {
    bytes_ -= size_of(*order_.back().page);
    index_.erase(order_.back().key);
    order_.pop_back();
  }
  return page;
}

std::size_t PageCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace wenku::web
