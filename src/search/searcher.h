// What users call "search": index lookup + documents from the store + snippets built only
// from what the viewer may see (access::readable). Shared by the CLI, pages and the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/visible.h"
#include "search/index.h"

namespace wenku::store {
class Store;
}

namespace wenku::search {

// Reads a sort option: "relevance"/"相关度", "newest"/"最新", "hot"/"最热"; "" means
// relevance. nullopt for anything else.
std::optional<SortOrder> parse_sort(std::string_view name);

// The English name of `order` ("relevance", "newest", "hot"), as parse_sort reads it.
std::string_view sort_name(SortOrder order);

struct SearchRequest {
  std::string query{};  // what the user typed
  std::size_t limit = 10;
  std::size_t offset = 0;
  SortOrder sort = SortOrder::kRelevance;
  std::string category{};  // added to the query's 分类: filters when not empty
  int year = 0;            // restricts to this year when not 0 (overrides 年份: in the query)
  bool facets = true;      // count hits by category and year
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
  std::vector<std::string> terms;  // the parsed positive terms, for highlighting elsewhere
  std::vector<SearchHit> hits;
  std::vector<FacetCount> categories;  // hit counts by category, largest first
  std::vector<FacetCount> years;       // hit counts by year, newest first
  // Set when the query was read differently from how it was typed: syntax taken as plain
  // words (ParsedQuery::notice), a typed run read as words (reading_notice), AND relaxed
  // to OR because no document held every word, or terms too common to search left out.
  std::string notice;
  // The terms too common to search that the search left out (IndexResult::ignored).
  std::vector<std::string> ignored;
  bool relaxed = false;  // the hits match some of the words, not all of them
  // How the typed runs of the query were read (search/reading.h); set only when it had any.
  std::optional<Reading> interpretation;
  std::string did_you_mean;  // a query that finds documents, offered when nothing was found
};

// Where the exact phrases of `viewer`'s searches may match under `policy` (IndexQuery::
// phrases): whole texts for a viewer who reads 登录可读 texts (members; guests when the policy
// opens texts to them), the title and the guest view for guests (only the title when the
// policy's previews are shorter than those of Index::guest_view_policy). Search is then no
// oracle for the text after a guest's preview (the 会员专享 texts a member reads the preview
// of are not covered).
PhraseScope phrase_scope(const access::Viewer& viewer, const access::Policy& policy);

// Runs `request` for `viewer`, its phrases in phrase_scope(viewer, policy). A query that
// query_refusal refuses finds nothing, and `notice` says why. Typed runs (unquoted Chinese) are
// read as Index::search says, and `interpretation` tells the reading used. A query without typed
// runs whose every positive clause must match and none does is relaxed to match any of them (and
// `notice` says so). When nothing is found, `did_you_mean` offers a whole query that finds
// documents: for typed runs the title of the document whose title holds most of their words, else
// the query with unknown words replaced by close indexed words; not when terms too common to
// search were left out (`ignored`, and `notice` says so). Snippets come from
// access::readable(...)->text() only, so a guest never sees text beyond the preview; when the match
// lies outside it the snippet is the start of the visible text.
SearchResponse run_search(const Index& index, store::Store& store, const SearchRequest& request,
                          const access::Viewer& viewer, const access::Policy& policy);

// A related document, as shown beside a document or by `wenku related`.
struct RelatedDoc {
  std::string id;
  std::string title;
  std::string date;
  std::string category;
  double score = 0;
  std::string excerpt;  // the start of what the viewer may see, plain text
};

// Up to `limit` documents related to document `id` (Index::related), each checked through
// access::readable; nullopt when `id` is unknown or hidden from `viewer`.
std::optional<std::vector<RelatedDoc>> find_related(const Index& index, store::Store& store,
                                                    std::string_view id, std::size_t limit,
                                                    const access::Viewer& viewer,
                                                    const access::Policy& policy);

// The JSON of a search response, as /api/v1/search and `wenku search --json` print it (see
// docs/api.md): {"query","total","took_ms","page","hits":[{"id","title","date","category",
// "score","snippet"}],"facets":{"category":[{"value","count"}],"year":[…]}} plus
// "interpretation" ("phrase", "words", "expanded", "relaxed"), "notice", "relaxed": true,
// "ignored" (the terms left out, SearchResponse::ignored) and "did_you_mean" when set.
nlohmann::json search_response_json(std::string_view query, std::size_t page,
                                    const SearchResponse& response);

// The JSON of related documents: [{"id","title","date","category","score","excerpt"}].
nlohmann::json related_json(const std::vector<RelatedDoc>& related);

// Builds an HTML snippet of about `max_chars` characters from `text`: the passage that holds
// the most distinct `terms` (then the most occurrences), starting a little before its first
// match, cut at code-point boundaries, HTML-escaped, with every occurrence of a term inside
// it wrapped in <mark>…</mark>. Terms match through text::normalize_key (case, width,
// Traditional/Simplified), the marks cover the original text. Without a match: the start of
// `text`. Cost is linear in the length of `text`.
std::string make_snippet(std::string_view text, const std::vector<std::string>& terms,
                         std::size_t max_chars = 120);

// The same snippet as make_snippet(text, terms, max_chars) when `key` is
// text::normalize_key(text), without normalising `text` (e.g. with Index::content_key).
// Cost: linear in `key` for finding the terms, plus counting code points up to the passage.
std::string make_snippet_from_key(std::string_view text, std::string_view key,
                                  const std::vector<std::string>& terms,
                                  std::size_t max_chars = 120);

// The snippet run_search shows for a hit, made from what its viewer may read of it:
// make_snippet(hit.text(), terms). Visible texts of more than 2 KiB are not normalised: the
// index's normalised copy (Index::content_key) is used when it holds version hit.seq() of the
// document, which gives the same snippet two to four times faster.
std::string snippet_for_hit(const Index& index, const access::Readable& hit,
                            const std::vector<std::string>& terms);

}  // namespace wenku::search
