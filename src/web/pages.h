// Page rendering: view models built from documents and search results, rendered with the
// mstch templates of templates/ inside the shared layout (templates/layout.mustache).
// Every string from a document or a user is HTML-escaped by the templates; the only raw
// HTML inserted is SearchHit::snippet_html, which the searcher escapes itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "access/visible.h"
#include "doc/document.h"
#include "doc/tasks.h"
#include "search/searcher.h"
#include "store/store.h"

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

// Renders complete HTML documents. Immutable after construction; safe to share between
// threads.
class Pages {
 public:
  // `site_name` appears in the header, footer and every <title>. Throws std::logic_error
  // when an embedded template is missing.
  explicit Pages(std::string site_name);
  ~Pages();
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;

  // Home: a page of the latest documents, and the categories with their counts.
  std::string home(const std::vector<doc::Summary>& latest,
                   const std::vector<store::CategoryCount>& categories, PageInfo page) const;

  // A document page showing `visible` (what access::visible allowed this viewer); when it
  // is not complete a 阅读全文 block asks the reader to log in or register. Above the text:
  // the keywords as search links, buttons to the 模板版 and (when the stored analysis has
  // tasks) the 任务分解表, and the outline (提纲) of the whole text as a table of contents
  // linking to the paragraph anchors #pN (to the 阅读全文 block for headings beyond
  // `visible`): the outline is free for every reader.
  std::string document(const doc::Document& d, const access::Visible& visible) const;

  // The 模板版 page of `d`: `template_text` (the template of what the viewer may read, see
  // io::visible_template), with the 阅读全文 block when `complete` is false.
  std::string template_page(const doc::Document& d, std::string_view template_text,
                            bool complete) const;

  // The 任务分解表 page of `d`: `rows` (those the viewer may see, see io::visible_tasks) as a
  // table with links to the .xlsx and .csv downloads, and the 阅读全文 block when
  // `complete` is false.
  std::string tasks_page(const doc::Document& d, const std::vector<doc::TaskRow>& rows,
                         bool complete) const;

  // The search page: hits, facet links (category, year), sort links, pager, the notice of a
  // degraded or relaxed query and a did-you-mean link; every link keeps `filters`. Without a
  // query or filter only the search form is shown and `response` is ignored.
  std::string search(std::string_view query, const search::SearchResponse& response, PageInfo page,
                     const SearchFilters& filters = {}) const;

  // The placeholder for accounts: registration opens soon.
  std::string register_soon() const;

  // A friendly Chinese error page for HTTP status 400, 404 or 500 (any other status gets
  // the 500 wording).
  std::string error(int status) const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

}  // namespace wenku::web
