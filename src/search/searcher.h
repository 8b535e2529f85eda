// What users call "search": index lookup + documents from the store + snippets built only
// from what the viewer may see (access::visible). Shared by the CLI, pages and the API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "access/visible.h"
#include "search/index.h"

namespace wenku::store {
class Store;
}

namespace wenku::search {

struct SearchRequest {
  std::string query;  // what the user typed
  std::size_t limit = 10;
  std::size_t offset = 0;
};

struct SearchHit {
  std::string id;
  std::string title;
  std::string date;
  std::string category;
  double score = 0;
  std::string snippet_html;  // HTML-escaped excerpt, matched terms wrapped in <mark>…</mark>
};

struct SearchResponse {
  std::int64_t total = 0;  // exact number of matching documents
  double took_ms = 0;
  std::vector<std::string> terms;  // the parsed terms, for highlighting elsewhere
  std::vector<SearchHit> hits;
};

// Runs `request` for `viewer`. Snippets come from access::visible(...).content only, so a
// guest never sees text beyond the preview; when the match lies outside it the snippet is
// the start of the visible text.
SearchResponse run_search(const Index& index, store::Store& store, const SearchRequest& request,
                          const access::Viewer& viewer, const access::Policy& policy);

// Builds an HTML snippet of about `max_chars` characters from `text` around the first
// occurrence of any of `terms` (ASCII case-insensitive), cut at code-point boundaries,
// HTML-escaped, with every occurrence of a term inside it wrapped in <mark>…</mark>.
// Scans `text` once; cost is linear in its length.
std::string make_snippet(std::string_view text, const std::vector<std::string>& terms,
                         std::size_t max_chars = 120);

}  // namespace wenku::search
