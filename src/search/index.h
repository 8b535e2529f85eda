// The full-text index: embedded Groonga, derived from the store and rebuildable from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "access/visible.h"
#include "doc/document.h"
#include "search/reading.h"

namespace wenku::store {
class DocumentStore;
}
namespace wenku::text {
class Segmenter;
}

namespace wenku::search {

class Aliases;

class IndexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where a term must occur.
enum class Field {
  kAny,      // title or text
  kTitle,    // 标题:… / title:…
  kOutline,  // 提纲:… / outline:… (the outline headings of doc::extract_outline)
};

struct QueryTerm {
  std::string text;  // a word or an exact phrase, without quotes
  Field field = Field::kAny;
  // Typed as a bare word, without quotes: a clause of one such term holding Chinese is a
  // typed run, which Index::search reads (see search/reading.h) instead of taking it only
  // as an exact phrase.
  bool typed = false;
};

// One condition of a query: any of `any_of` occurs (A OR B); with `exclude`, none does.
struct QueryClause {
  std::vector<QueryTerm> any_of;
  bool exclude = false;
};

// A parsed user query. Clauses are ANDed; each term must occur as a substring of its field
// (after the index normaliser: NFKC, width and Latin case folding).
struct ParsedQuery {
  std::vector<QueryClause> clauses;
  std::vector<std::string> categories;  // 分类:/cat: filters, any of them; empty: all
  int year_from = 0;                    // 年份:/year: and 2018..2021 filters; 0: open
  int year_to = 0;
  // The texts of the positive terms, in query order, for highlighting.
  std::vector<std::string> terms;
  // Non-empty when part of the input could not be read as query syntax and was taken as
  // plain words instead (a Chinese sentence for the user).
  std::string notice;
};

// Parses what a user typed. Never throws; whatever it cannot read as syntax becomes plain
// words and sets `notice`. Syntax:
//   word            whitespace (ASCII or U+3000) separates words; words are ANDed
//   "exact phrase"  ASCII or “Chinese” quotes; an unclosed quote runs to the end
//   -word -"phrase" excludes documents containing it
//   A OR B          either (also A | B); chains: A OR B OR C
//   分类:X cat:X    category is X (several: any of them)
//   年份:2021 year:2018..2021 2018..2021   year or inclusive year range
//   标题:X title:X  X in the title;  提纲:X outline:X  X in an outline heading
// Full-width colons (：) work as well as ASCII ones. A query of exclusions only has its
// exclusions read as plain words.
ParsedQuery parse_query(std::string_view user_text);

// The most one search may ask. A query's cost grows with its size (an exact phrase of
// 15,000 characters took seconds, 142 OR'ed terms as long), so larger ones are refused before
// any work.
inline constexpr std::size_t kMaxQueryChars = 200;
inline constexpr std::size_t kMaxQueryTerms = 16;

// Why the query `user_text` is not searched, as a sentence for the user: not valid UTF-8,
// longer than kMaxQueryChars characters, or of more than kMaxQueryTerms terms (the words,
// phrases and OR alternatives of parse_query, exclusions included); "" when it may be.
std::string query_refusal(std::string_view user_text);

// The query that filters to any of `categories` (分类:A 分类:"B C"): parse_query reads it back
// as exactly those categories and no words. A name the syntax cannot carry unchanged (empty,
// holding a quote, or spaces that a phrase collapses) is left out. "" when none is left.
std::string category_query(std::span<const std::string> categories);

enum class SortOrder {
  kRelevance,  // 相关度: score, then views, then newest
  kNewest,     // 最新: date, then change sequence
  kHot,        // 最热: views, then score
};

// What the exact phrases of a query may match (IndexQuery::phrases).
enum class PhraseScope {
  kWholeText,  // title, outline and the whole text
  // Only what a guest reads: the title and the guest view (Index::guest_view_policy): its
  // preview, or the whole text of a 公开 document, and the outline a guest is shown.
  kGuestView,
  kTitle,  // only the title: a viewer reads less than the guest view the index holds
};

// Phrases of at most this many characters match whole texts in every PhraseScope: so short
// a phrase says little of a text its viewer may not read (many of its words are as long).
inline constexpr std::size_t kOpenPhraseChars = 4;

struct IndexQuery {
  ParsedQuery query;
  std::size_t limit = 10;  // no hidden cap
  std::size_t offset = 0;
  SortOrder sort = SortOrder::kRelevance;
  bool any_clause = false;  // OR the positive clauses instead of ANDing them (relaxed query)
  bool facets = false;      // fill IndexResult::categories and ::years
  // The categories of 资料 (store::CategoryKind): under relevance, documents of any other
  // category (范文) are preferred (see Index::search). Empty: all are 范文, no preference.
  std::vector<std::string> reference_categories{};
  // Where exact phrases of more than kOpenPhraseChars characters may match: quoted terms
  // (excluded ones too), a typed run read as a phrase, and the phrase that boosts documents
  // holding the query's words side by side. Words (typed runs read as words, field terms,
  // short phrases) match whole texts. For a viewer who reads previews (a guest), so that
  // search answers nothing about the text the viewer may not read.
  PhraseScope phrases = PhraseScope::kWholeText;
};

struct IndexHit {
  std::string id;
  double score = 0;
};

// A facet value with its number of matching documents.
struct FacetCount {
  std::string value;
  std::int64_t count = 0;
};

struct IndexResult {
  std::int64_t total = 0;  // exact number of matching documents (of the reading used)
  std::vector<IndexHit> hits;
  std::vector<FacetCount> categories;  // by count, largest first ("" for 未分类); sums to total
  std::vector<FacetCount> years;       // newest year first; unknown years left out
  // Set when the query held typed runs (QueryTerm::typed with Chinese): the reading that
  // answered, and the words it searched (for highlighting), which replace the runs' texts.
  bool read = false;
  Reading reading = Reading::kPhrase;
  std::vector<std::string> terms;
  // The terms (words, phrases, the alternatives of an OR clause, words of typed runs) left out
  // of the search because they occur in so much of the library that searching them would cost
  // more than one search may (see Index::search); empty when nothing was left out.
  std::vector<std::string> ignored;
};

// Thread model: one Index per process; `search` may be called from many threads at once
// (each thread gets its own Groonga context on the shared database); `catch_up` and
// `rebuild` must not run concurrently with each other.
//
// Process model: the first process to open `dir` is its writer (see `writable`); any number
// of other processes (`wenku search`, the workers of `wenku serve --workers N`) read it at
// the same time and see what the writer indexes. The database lives in a generation
// directory named by the file DIR/CURRENT; `rebuild` fills the next generation beside the
// live one and switches CURRENT when it is complete, and readers switch to it at their next
// call (they check CURRENT with one stat per call).
class Index {
 public:
  // Opens or creates the index in directory `dir`. When the index was not closed cleanly
  // (a marker file left behind), or its schema version differs, it is discarded and
  // recreated empty, so the next catch_up rebuilds it from the store: Groonga files are not
  // transactional and are never trusted after a crash. A reader (not writable()) throws
  // IndexError when the writer has no usable database yet. `segmenter` and `aliases` (used
  // to read typed queries) must outlive the index.
  Index(const std::filesystem::path& dir, const text::Segmenter& segmenter, const Aliases& aliases);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // The policy under which the index holds each document's guest view (PhraseScope::
  // kGuestView; access::readable of a guest): texts closed to guests, previews of
  // access::Policy's default length. A guest under a policy of shorter previews must be
  // searched with PhraseScope::kTitle, one under a policy that opens texts to guests with
  // kWholeText.
  static access::Policy guest_view_policy() { return {}; }

  // True when this process may change the index: the first process to open it (a server,
  // or a command run while no server is) maintains it; later ones only read it.
  bool writable() const;

  // Brings the index up to the store's last change sequence number: upserts changed
  // documents and removes soft-deleted ones. Returns the number of changes applied.
  std::int64_t catch_up(store::DocumentStore& store);

  // Both throw IndexError when !writable().
  // Indexes every document of the store again into a new database generation (bulk load,
  // then the index columns are built) while searches go on in the live one, then switches
  // to it. On failure the live generation stays. Returns the number of documents indexed.
  std::int64_t rebuild(store::DocumentStore& store);

  // The highest change sequence number reflected in the index (in a reader: as the writer
  // last recorded it).
  std::int64_t applied_seq() const;

  // Runs `q`. Relevance: title matches weigh most, then outline headings, whole-word
  // matches (TF-IDF over the segmented words column) and body matches; documents that hold
  // the query's words as one contiguous phrase get a boost. Every term is escaped before it
  // reaches Groonga: user text can never alter the command.
  //
  // Typed runs (unquoted terms holding Chinese, each a clause of its own) are read in the
  // order of search/reading.h, the other clauses staying as they are: the first reading
  // that finds documents answers, except that a later word reading whose title matches
  // (every word of each run in the title; genre words also in the category, year words
  // also as the document's year) include a document the earlier one missed takes over
  // (十八大报告: the 十八大 report's title beats a news item holding the phrase). Under
  // relevance, documents whose titles hold every word come first, then those holding each
  // run as typed, then the others; within each, 范文 (documents of categories not in
  // `q.reference_categories`) and documents of a category a genre word of the query names
  // come before other 资料 (not in the relaxed reading). `q.any_clause` does not apply to them.
  // In every relevance ranking the score of a 范文 counts several times (a preference, not a
  // wall: a 资料 matching much better still comes first).
  // The work of one search is bounded before any: when its terms together would read more
  // postings than one search may (about 40 ms of work on one core), the costliest clauses and
  // typed-run words that each cost as much as a character found in most texts (的, 国) are left
  // out, costliest first (IndexResult::ignored); a query with nothing left finds nothing.
  IndexResult search(const IndexQuery& q) const;

  // Documents similar to `d` (Groonga similar search over the words column, seeded with
  // d.keywords or, when empty, the words of its title and opening), best first, at most
  // `limit`. Leaves out `d` itself and its near-duplicates (SimHash Hamming distance <= 3
  // when both hashes are known); documents of d's category get a bonus.
  std::vector<IndexHit> related(const doc::Document& d, std::size_t limit) const;

  // Completions of what a user is typing: titles containing `prefix` (most viewed first),
  // then, when `prefix` looks like pinyin (PinyinTitles::looks_like_pinyin: zfgzbg,
  // zhengfugongzuobaogao), titles whose pinyin or initials hold it (most viewed first), then
  // indexed words starting with it. At most `limit`, no duplicates.
  std::vector<std::string> suggest(std::string_view prefix, std::size_t limit) const;

  // `typed` read as a typed run (search/reading.h) with this index's segmenter and aliases.
  TypedRun read(std::string_view typed) const;

  // The title, as written, of the document whose title holds the most of `words` (search
  // keys), then the most viewed; "" when no title holds any. For "did you mean".
  std::string closest_title(std::span<const std::string> words) const;

  // Indexed words sharing the longest possible prefix (at least one character) with `word`,
  // most frequent first, at most `limit`; for "did you mean".
  std::vector<std::string> close_words(std::string_view word, std::size_t limit) const;

  // Number of documents in the index.
  std::int64_t size() const;

  // The search key of document `id`'s content as indexed (text::normalize_key of it: one
  // code point per code point of the original), when the index holds the version of the
  // document with change sequence number `seq`; nullopt otherwise (unknown, or the index
  // lags behind the store). Lets snippets skip normalising long texts.
  std::optional<std::string> content_key(std::string_view id, std::int64_t seq) const;
  // Calls `use` with that key, read in place (no copy of our own; the view is valid only
  // during the call, which holds one of the index's reader contexts), and returns true; false
  // without calling it when content_key would give nullopt. For snippets of long texts.
  bool with_content_key(std::string_view id, std::int64_t seq,
                        const std::function<void(std::string_view)>& use) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Escapes `term` as a double-quoted phrase of Groonga query syntax (backslash and double
// quote escaped), e.g. a"b -> "a\"b".
std::string quote_query_phrase(std::string_view term);

// Escapes `value` as a single-quoted argument of a Groonga command (backslash and single
// quote escaped), e.g. it's -> 'it\'s'.
std::string quote_command_argument(std::string_view value);

}  // namespace wenku::search
