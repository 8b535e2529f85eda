#include "search/searcher.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <span>

#include "search/text_scan.h"
#include "store/store.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace wenku::search {

namespace {

// Share of the snippet shown before the first match.
constexpr std::size_t kContextBeforeDivisor = 3;
// Occurrences of one term considered when choosing the passage: bounds the work on texts
// that repeat a word thousands of times.
constexpr std::size_t kMaxOccurrencesPerTerm = 2048;
// Characters of visible text shown as a related document's excerpt.
constexpr std::size_t kExcerptChars = 80;
// The most positive terms a query may have for did_you_mean to be offered.
constexpr std::size_t kMaxSuggestedTerms = 4;
// Visible texts up to this many bytes (a guest preview of 600 characters) are normalised for
// their snippet; longer ones use the index's normalised copy: normalising runs at about
// 400 MB/s, fetching the copy costs a hash lookup and a memcpy (bench/snippet_bench.cc).
constexpr std::size_t kNormaliseInPlaceBytes = 2048;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

struct Match {
  std::size_t pos = std::string_view::npos;  // byte offset in the key
  std::size_t length = 0;
  std::size_t term = 0;  // index into the needles
};

// Every occurrence (up to kMaxOccurrencesPerTerm per term) of the needles in `key`, by
// position; occurrences of one needle do not overlap. SubstringFinder screens 16 positions
// at a time by two bytes of the needle: on a member's whole text (laws of up to 300 KB) it is
// 1.2–8× faster than glibc's memmem, which pays a set-up per call (one call per occurrence)
// and skips little on UTF-8 Chinese, whose byte pairs repeat (issue 17).
std::vector<Match> occurrences(std::string_view key, const std::vector<std::string>& needles) {
  std::vector<Match> found;
  for (std::size_t t = 0; t < needles.size(); ++t) {
    const SubstringFinder finder(needles[t]);
    std::size_t pos = 0;
    for (std::size_t n = 0; n < kMaxOccurrencesPerTerm; ++n) {
      const std::size_t at = finder.find(key, pos);
      if (at == std::string_view::npos) break;
      found.push_back({at, needles[t].size(), t});
      pos = at + needles[t].size();
    }
  }
  std::ranges::sort(found, {}, &Match::pos);
  return found;
}

// The occurrence that starts the best passage: the window of `span` bytes after it holds the
// most distinct terms, then the most occurrences. Two-pointer sweep, linear in `found`.
Match best_start(const std::vector<Match>& found, std::size_t span, std::size_t terms) {
  std::vector<std::size_t> in_window(terms, 0);
  std::size_t distinct = 0;
  std::size_t end = 0;
  std::pair<std::size_t, std::size_t> best{0, 0};
  Match best_match;
  for (std::size_t begin = 0; begin < found.size(); ++begin) {
    while (end < found.size() && found[end].pos < found[begin].pos + span) {
      if (in_window[found[end].term]++ == 0) ++distinct;
      ++end;
    }
    std::pair<std::size_t, std::size_t> quality{distinct, end - begin};
    if (quality > best) {
      best = quality;
      best_match = found[begin];
    }
    if (--in_window[found[begin].term] == 0) --distinct;
  }
  return best_match;
}

// Moves back from `pos` by up to `count` code points, stopping at a paragraph start.
std::size_t back_up(std::string_view text, std::size_t pos, std::size_t count) {
  for (std::size_t n = 0; n < count && pos > 0 && text[pos - 1] != '\n'; ++n) {
    do --pos;
    while (pos > 0 && is_continuation(text[pos]));
  }
  return pos;
}

// Moves forward from `pos` by up to `count` code points.
std::size_t advance(std::string_view text, std::size_t pos, std::size_t count) {
  for (std::size_t n = 0; n < count && pos < text.size(); ++n) text::decode_at(text, pos);
  return std::min(pos, text.size());
}

// The length in bytes of the first `n` code points of `s` (all of `s` when it has fewer).
// Whole blocks are counted with count_code_points_fast (16 bytes per step): far faster than
// finding the code point byte by byte on long texts.
std::size_t code_points_bytes(std::string_view s, std::size_t n) {
  constexpr std::size_t kBlock = 256;
  std::size_t at = 0;
  while (s.size() - at > kBlock) {
    auto in_block = count_code_points_fast(s.substr(at, kBlock));
    if (in_block >= n) break;
    n -= in_block;
    at += kBlock;
  }
  return at + text::prefix_code_points(s.substr(at), n).size();
}

// Maps ascending byte offsets of a key (at code point boundaries) to the same code points of
// the text it was made from (text::normalize_key keeps one code point per code point).
// Counts code points rather than decoding them, up to the last offset.
std::vector<std::size_t> map_to_text(std::string_view key, std::string_view original,
                                     const std::vector<std::size_t>& key_offsets) {
  std::vector<std::size_t> out;
  out.reserve(key_offsets.size());
  std::size_t k = 0;
  std::size_t o = 0;
  for (auto target : key_offsets) {
    target = std::min(target, key.size());
    if (target > k) {
      o += code_points_bytes(original.substr(o), count_code_points_fast(key.substr(k, target - k)));
      k = target;
    }
    out.push_back(o);
  }
  return out;
}

void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
}

// The occurrences of the needles (longest first at each position) in key[start, end).
std::vector<Match> marks_in(std::string_view key, std::size_t start, std::size_t end,
                            const std::vector<std::string>& needles) {
  std::vector<Match> marks;
  std::size_t pos = start;
  while (pos < end) {
    auto needle = std::ranges::find_if(needles, [&](const std::string& n) {
      return end - pos >= n.size() && key.substr(pos, n.size()) == n;
    });
    if (needle != needles.end()) {
      marks.push_back({pos, needle->size(), 0});
      pos += needle->size();
    } else {
      text::decode_at(key, pos);
    }
  }
  return marks;
}

}  // namespace

std::optional<SortOrder> parse_sort(std::string_view name) {
  if (name.empty() || name == "relevance" || name == "相关度") return SortOrder::kRelevance;
  if (name == "newest" || name == "最新") return SortOrder::kNewest;
  if (name == "hot" || name == "最热") return SortOrder::kHot;
  return std::nullopt;
}

std::string_view sort_name(SortOrder order) {
  switch (order) {
    case SortOrder::kNewest:
      return "newest";
    case SortOrder::kHot:
      return "hot";
    case SortOrder::kRelevance:
      break;
  }
  return "relevance";
}

std::string make_snippet(std::string_view text, const std::vector<std::string>& terms,
                         std::size_t max_chars) {
  return make_snippet_from_key(text, text::normalize_key(text), terms, max_chars);
}

std::string make_snippet_from_key(std::string_view text, std::string_view key,
                                  const std::vector<std::string>& terms, std::size_t max_chars) {
  std::vector<std::string> needles;
  for (const auto& t : terms) {
    auto needle = text::normalize_key(t);
    if (!needle.empty() && std::ranges::find(needles, needle) == needles.end()) {
      needles.push_back(needle);
    }
  }
  std::ranges::sort(needles, std::greater<>(), &std::string::size);
  // About the bytes of max_chars Chinese characters.
  constexpr std::size_t kBytesPerChar = 3;
  Match match = best_start(occurrences(key, needles), max_chars * kBytesPerChar, needles.size());
  std::size_t start = 0;
  std::size_t end = advance(key, 0, max_chars);
  if (match.pos != std::string_view::npos) {
    start = back_up(key, match.pos, max_chars / kContextBeforeDivisor);
    end = std::max(advance(key, start, max_chars), match.pos + match.length);
  }
  auto marks = marks_in(key, start, end, needles);
  std::vector<std::size_t> offsets{start};
  for (const auto& m : marks) {
    offsets.push_back(m.pos);
    offsets.push_back(m.pos + m.length);
  }
  offsets.push_back(end);
  auto mapped = map_to_text(key, text, offsets);
  std::string out;
  if (start > 0) out += "…";
  std::size_t at = mapped.front();
  for (std::size_t i = 0; i < marks.size(); ++i) {
    std::size_t mark_start = mapped[1 + 2 * i];
    std::size_t mark_end = mapped[2 + 2 * i];
    append_escaped(out, text.substr(at, mark_start - at));
    out += "<mark>";
    append_escaped(out, text.substr(mark_start, mark_end - mark_start));
    out += "</mark>";
    at = mark_end;
  }
  append_escaped(out, text.substr(at, mapped.back() - at));
  if (end < key.size()) out += "…";
  return out;
}

std::string snippet_for_hit(const Index& index, const access::Readable& hit,
                            const std::vector<std::string>& terms) {
  const std::string_view visible = hit.text();
  std::string snippet;
  if (visible.size() > kNormaliseInPlaceBytes &&
      index.with_content_key(hit.id(), hit.seq(), [&](std::string_view whole) {
        // Read in place: the key of a 300 KB law is not copied for one snippet.
        auto prefix =
            hit.complete()
                ? whole
                : whole.substr(0, code_points_bytes(whole, count_code_points_fast(visible)));
        snippet = make_snippet_from_key(visible, prefix, terms);
      })) {
    return snippet;
  }
  return make_snippet(visible, terms);
}

namespace {

// The documents of `ids` (nullopt where gone) with their texts cut to `text_bytes`
// (access::text_bytes_needed), read in one go; a text the viewer may read in full (a 公开 text
// for a guest) is read again whole.
std::vector<std::optional<doc::Document>> read_visible_texts(store::Store& store,
                                                             const std::vector<std::string>& ids,
                                                             std::size_t text_bytes,
                                                             const access::Viewer& viewer,
                                                             const access::Policy& policy) {
  constexpr auto kWhole = std::numeric_limits<std::size_t>::max();
  auto docs = store.get_texts(ids, text_bytes);
  if (text_bytes == kWhole) return docs;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i] && access::reads_full_text(docs[i]->visibility, viewer, policy)) {
      docs[i] = store.get_text(ids[i], kWhole);
    }
  }
  return docs;
}

// The parsed query of `request`, with its category and year parameters added as filters.
ParsedQuery parse_request(const SearchRequest& request) {
  auto parsed = parse_query(request.query);
  if (!request.category.empty()) parsed.categories.push_back(request.category);
  if (request.year != 0) parsed.year_from = parsed.year_to = request.year;
  return parsed;
}

std::size_t positive_clauses(const ParsedQuery& q) {
  return static_cast<std::size_t>(
      std::ranges::count_if(q.clauses, [](const auto& c) { return !c.exclude; }));
}

// The number of positive terms of `q` (OR alternatives each).
std::size_t positive_terms(const ParsedQuery& q) {
  std::size_t n = 0;
  for (const auto& clause : q.clauses) n += clause.exclude ? 0 : clause.any_of.size();
  return n;
}

// The query typed, with each positive word that finds nothing on its own replaced by the
// closest indexed word; "" when no word was replaced or the new query finds nothing either.
// Not offered for more than kMaxSuggestedTerms terms: each is searched alone, and a typo is
// seldom what keeps a long query from matching.
std::string did_you_mean(const Index& index, const ParsedQuery& parsed) {
  if (positive_terms(parsed) > kMaxSuggestedTerms) return "";
  std::string suggestion;
  bool replaced = false;
  for (const auto& clause : parsed.clauses) {
    if (clause.exclude) continue;
    for (const auto& term : clause.any_of) {
      std::string word = term.text;
      ParsedQuery alone;
      alone.clauses.push_back({{{term.text, Field::kAny}}, false});
      if (index.search({alone, 0, 0}).total == 0) {
        auto close = index.close_words(term.text, 1);
        if (!close.empty()) {
          word = close.front();
          replaced = true;
        }
      }
      if (!suggestion.empty()) suggestion += ' ';
      suggestion += word;
    }
  }
  if (!replaced || index.search({parse_query(suggestion), 0, 0}).total == 0) return "";
  return suggestion;
}

// "Did you mean" for a query with typed runs: its runs cut into words (a whole reading,
// never a fragment of it), each word that finds nothing alone replaced by the closest
// indexed word, when that finds documents; else the title holding the most of the words.
std::string did_you_mean_typed(const Index& index, const ParsedQuery& parsed) {
  ParsedQuery cut;
  std::vector<std::string> words;
  for (const auto& clause : parsed.clauses) {
    if (clause.exclude) continue;
    if (!is_typed_run(clause)) {
      cut.clauses.push_back(clause);
      continue;
    }
    for (auto& word : index.read(clause.any_of.front().text).words) {
      cut.clauses.push_back({{{word.key, Field::kAny}}, false});
      words.push_back(std::move(word.key));
    }
  }
  if (auto suggestion = did_you_mean(index, cut); !suggestion.empty()) return suggestion;
  return index.closest_title(words);
}

// What the notice says of the terms a search left out (IndexResult::ignored, each once).
// `found_any`: whether the rest of the query found documents.
std::string ignored_notice(std::span<const std::string> ignored, bool found_any) {
  std::string quoted;
  for (const auto& term : ignored) quoted += "「" + term + "」";
  return quoted + "在大多数文档中都出现，检索时已略去" + (found_any ? "" : "，请换用更具体的词语");
}

}  // namespace

PhraseScope phrase_scope(const access::Viewer& viewer, const access::Policy& policy) {
  if (access::reads_full_text(doc::Visibility::kMembers, viewer, policy)) {
    return PhraseScope::kWholeText;
  }
  return policy.preview_chars >= Index::guest_view_policy().preview_chars ? PhraseScope::kGuestView
                                                                          : PhraseScope::kTitle;
}

SearchResponse run_search(const Index& index, store::Store& store, const SearchRequest& request,
                          const access::Viewer& viewer, const access::Policy& policy) {
  auto started = std::chrono::steady_clock::now();
  SearchResponse response;
  if (auto refusal = query_refusal(request.query); !refusal.empty()) {
    response.notice = std::move(refusal);
    return response;
  }
  IndexQuery query{parse_request(request), request.limit, request.offset,
                   request.sort,           false,         request.facets};
  query.reference_categories = store.reference_categories();
  query.phrases = phrase_scope(viewer, policy);
  auto found = index.search(query);
  if (!found.read && found.total == 0 && positive_clauses(query.query) > 1) {
    query.any_clause = true;
    found = index.search(query);
    response.relaxed = found.total > 0;
  }
  if (found.read) {
    response.interpretation = found.reading;
    response.relaxed = found.reading == Reading::kRelaxed && found.total > 0;
  }
  const auto& terms = found.read ? found.terms : query.query.terms;
  response.total = found.total;
  response.categories = std::move(found.categories);
  response.years = std::move(found.years);
  // Only what the viewer may see of each text is read (a guest's preview of a long law, not
  // the law); snippets are made from the visible text.
  const auto text_bytes = access::text_bytes_needed(viewer, policy);
  std::vector<std::string> ids;
  for (const auto& hit : found.hits) ids.push_back(hit.id);
  auto docs = read_visible_texts(store, ids, text_bytes, viewer, policy);
  for (std::size_t i = 0; i < found.hits.size(); ++i) {
    // The index may lag behind the store by a moment: skip what is gone or hidden.
    if (!docs[i]) continue;
    auto r = access::readable(std::move(*docs[i]), viewer, policy);
    if (!r) continue;
    response.hits.push_back({r->id(), r->title(), r->date(), r->category(), found.hits[i].score,
                             snippet_for_hit(index, *r, terms)});
  }
  response.notice = query.query.notice;
  if (response.relaxed && !found.read) {
    response.notice = "没有同时包含全部词语的文档，以下是包含其中任一词语的结果";
  } else if (found.read && found.total > 0 && response.notice.empty()) {
    response.notice = reading_notice(found.reading);
  }
  if (!found.ignored.empty()) {
    if (!response.notice.empty()) response.notice += "；";
    response.notice += ignored_notice(found.ignored, found.total > 0);
  }
  response.ignored = std::move(found.ignored);
  // A query whose terms were too common for a search has no cheaper neighbour to offer.
  if (found.total == 0 && response.ignored.empty()) {
    response.did_you_mean =
        found.read ? did_you_mean_typed(index, query.query) : did_you_mean(index, query.query);
  }
  response.terms = terms;
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return response;
}

std::optional<std::vector<RelatedDoc>> find_related(const Index& index, store::Store& store,
                                                    std::string_view id, std::size_t limit,
                                                    const access::Viewer& viewer,
                                                    const access::Policy& policy) {
  auto d = store.get(id);
  if (!d || !access::may_know(d->deleted, viewer)) return std::nullopt;
  // Near-duplicates the store linked at import are not "related": they are the same text.
  std::set<std::string> duplicates;
  for (const auto& similar : store.similar(id)) duplicates.insert(similar.doc.id);
  const auto text_bytes = access::text_bytes_needed(viewer, policy);
  std::vector<RelatedDoc> related;
  std::vector<IndexHit> hits;
  std::vector<std::string> ids;
  for (auto& hit : index.related(*d, limit + duplicates.size())) {
    if (duplicates.contains(hit.id)) continue;
    ids.push_back(hit.id);
    hits.push_back(std::move(hit));
  }
  auto others = read_visible_texts(store, ids, text_bytes, viewer, policy);
  for (std::size_t i = 0; i < hits.size() && related.size() < limit; ++i) {
    const auto& hit = hits[i];
    auto& other = others[i];
    if (!other) continue;
    auto r = access::readable(std::move(*other), viewer, policy);
    if (!r) continue;
    std::string excerpt(text::prefix_code_points(r->text(), kExcerptChars));
    std::replace(excerpt.begin(), excerpt.end(), '\n', ' ');
    related.push_back(
        {r->id(), r->title(), r->date(), r->category(), hit.score, std::move(excerpt)});
  }
  return related;
}

namespace {

nlohmann::json facet_json(const std::vector<FacetCount>& facets) {
  auto out = nlohmann::json::array();
  for (const auto& f : facets) out.push_back({{"value", f.value}, {"count", f.count}});
  return out;
}

}  // namespace

nlohmann::json search_response_json(std::string_view query, std::size_t page,
                                    const SearchResponse& response) {
  nlohmann::json out = {
      {"query", query},
      {"total", response.total},
      {"took_ms", response.took_ms},
      {"page", page},
      {"hits", nlohmann::json::array()},
      {"facets",
       {{"category", facet_json(response.categories)}, {"year", facet_json(response.years)}}}};
  for (const auto& hit : response.hits) {
    out["hits"].push_back({{"id", hit.id},
                           {"title", hit.title},
                           {"date", hit.date},
                           {"category", hit.category},
                           {"score", hit.score},
                           {"snippet", hit.snippet_html}});
  }
  if (response.interpretation) out["interpretation"] = reading_name(*response.interpretation);
  if (!response.notice.empty()) out["notice"] = response.notice;
  if (response.relaxed) out["relaxed"] = true;
  if (!response.ignored.empty()) out["ignored"] = response.ignored;
  if (!response.did_you_mean.empty()) out["did_you_mean"] = response.did_you_mean;
  return out;
}

nlohmann::json related_json(const std::vector<RelatedDoc>& related) {
  auto out = nlohmann::json::array();
  for (const auto& r : related) {
    out.push_back({{"id", r.id},
                   {"title", r.title},
                   {"date", r.date},
                   {"category", r.category},
                   {"score", r.score},
                   {"excerpt", r.excerpt}});
  }
  return out;
}

}  // namespace wenku::search
