// The public pages: view models built from documents, listings and search results, rendered
// with the mstch templates of templates/ inside the shared layout (web::Renderer).
// Every string from a document or a user is HTML-escaped by the templates; the only raw HTML
// inserted is SearchHit::snippet_html, which the searcher escapes itself, and QR code SVG
// made by qr_svg.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/visible.h"
#include "doc/document.h"
#include "doc/tasks.h"
#include "doc/templater.h"
#include "search/searcher.h"
#include "store/store.h"
#include "web/http/http.h"
#include "web/site/hot.h"
#include "web/site/layout.h"
#include "web/site/render.h"
#include "web/site/settings.h"

namespace wenku::web {

// Position in a paginated listing; pages are numbered from 1.
struct PageInfo {
  std::size_t page = 1;
  std::size_t pages = 1;  // at least 1, even for an empty listing
};

// The PageInfo for page `page` of `total` items shown `page_size` at a time.
PageInfo paginate(std::int64_t total, std::size_t page_size, std::size_t page);

// The filters of a search page beside its query (/search?q=&cat=&year=&sort=).
struct SearchFilters {
  std::string category;  // "": all
  int year = 0;          // 0: all
  search::SortOrder sort = search::SortOrder::kRelevance;
};

// The 本周热门 and 本月热门 lists (HotLists::top).
struct HotTabs {
  std::vector<store::HotDoc> week;
  std::vector<store::HotDoc> month;
};

// What a document page shows beside the text.
struct DocumentExtras {
  std::vector<search::RelatedDoc> related;  // 相关内容, each made by access::readable
  bool has_tasks = false;                   // the whole text has a 任务分解表
  HotTabs hot;                              // 热门推荐
  std::string share_qr_svg;                 // qr_svg of the permalink, for 分享
  bool favorite = false;                    // in the member's 我的收藏
};

// The home page's data.
struct HomeData {
  std::vector<doc::Summary> latest;         // one page of the newest 范文 (最新范文)
  PageInfo page;                            // of `latest`
  std::vector<store::Category> categories;  // in the admin's order; empty ones are skipped
  HotTabs hot;
  std::vector<store::Collection> topics;  // 专题
};

// Renders complete HTML documents. Immutable after construction; safe to share between
// threads.
class Pages {
 public:
  // `renderer` must outlive this object. Throws std::logic_error when a template the pages
  // use is not embedded.
  explicit Pages(const Renderer& renderer);

  // Home: the search box, the categories with their counts, the latest documents, the hot
  // lists and the 专题.
  std::string home(const PageEnv& env, const HomeData& data) const;

  // The document page (permalink /doc/{id}) of `r` (what access::readable allowed this
  // viewer): breadcrumb, title, publish time, views, keyword tags, the tool buttons (模板版,
  // 任务分解表 when `extras.has_tasks`, 收藏), the outline (提纲) of the whole text as a table
  // of contents linking to the paragraph anchors #pN (to the 阅读全文 block for headings
  // beyond r.text(): the outline is free for every reader), the text, the 阅读全文 block when
  // `r` is not complete, 分享 (QR code and copy-link of the absolute permalink), 关于本文,
  // 相关内容, and a side bar with 热门推荐, 微信订阅号 and 联系客服. Open Graph type "article".
  std::string document(const PageEnv& env, const access::Readable& r,
                       const DocumentExtras& extras) const;

  // The 模板版 page of `r`: `tpl` (io::visible_template of `r`), each X in a
  // <mark class="tpl-x"> whose title names the kind of text it replaced (never the text), so
  // that the page shows what to fill in and copies as plain X; 复制全文, the 阅读全文 block
  // when `r` is not complete; the 任务分解表 tab when `has_tasks`.
  std::string template_page(const PageEnv& env, const access::Readable& r,
                            const doc::MarkedTemplate& tpl, bool has_tasks) const;

  // The 任务分解表 page of `r`: `rows` (io::visible_tasks of `r`) as a table (io::task_columns,
  // 类别 included) with links to the .xlsx and .csv downloads, and the 阅读全文 block when `r`
  // is not complete; below the table, when the whole text has more tasks (`total_tasks`, a
  // count only) than are shown, "登录后查看全部 N 项任务" linking to the login (a member who
  // may not read all: "开通 VIP 会员后查看全部 N 项任务").
  std::string tasks_page(const PageEnv& env, const access::Readable& r,
                         const std::vector<doc::TaskRow>& rows, std::size_t total_tasks) const;

  // The search page (noindex): hits, facet links (category, year), sort links, pager, the
  // notice of a degraded or relaxed query and a did-you-mean link; every link keeps
  // `filters`. Without a query or filter only the search form is shown and `response` is
  // ignored.
  std::string search(const PageEnv& env, std::string_view query,
                     const search::SearchResponse& response, PageInfo page,
                     const SearchFilters& filters = {}) const;

  // A category page: one page of `docs` (of `category`, sorted by `sort`) with 最新/最热 sort
  // links and a pager.
  std::string category(const PageEnv& env, const store::Category& category,
                       const std::vector<doc::Summary>& docs, store::SortOrder sort,
                       PageInfo page) const;

  // The /hot page: `docs`, the most read documents of `period`, with links to both periods.
  std::string hot(const PageEnv& env, HotPeriod period,
                  const std::vector<store::HotDoc>& docs) const;

  // A 专题 page: the collection's title, description and `docs` in the curated order.
  std::string topic(const PageEnv& env, const store::Collection& topic,
                    const std::vector<doc::Summary>& docs) const;

 private:
  const Renderer& renderer_;
};

// Rendered pages (the guest's document page) with their gzip form, so a warm page is neither
// rendered nor compressed again. An entry is found by its key (which page, for whom) and
// used only while its stamp (everything the page shows that may change: the document's
// change seq and views, the settings version and policy) is the one asked for and it is
// younger than the time to live, which bounds the staleness of what has no stamp (hot lists,
// related documents). Bounded in bytes, least recently used entries go first. Thread-safe.
class PageCache {
 public:
  PageCache(std::chrono::steady_clock::duration ttl, std::size_t max_bytes);

  // The page stored under `key` with `stamp` less than the time to live ago; else `render()`,
  // compressed, stored and returned. `render` runs without the lock (two threads missing at
  // once both render); an exception from it propagates and stores nothing.
  std::shared_ptr<const CompressedBody> get(const std::string& key, const std::string& stamp,
                                            const std::function<std::string()>& render);

  // Bytes of the pages held (plain and gzip).
  std::size_t bytes() const;

 private:
  struct Entry {
    std::string key;
    std::string stamp;
    std::chrono::steady_clock::time_point stored_at;
    std::shared_ptr<const CompressedBody> page;
  };
  using Order = std::list<Entry>;  // most recently used first

  const std::chrono::steady_clock::duration ttl_;
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  Order order_;
  std::unordered_map<std::string, Order::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace wenku::web
