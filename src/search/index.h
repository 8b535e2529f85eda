// The full-text index: embedded Groonga, derived from the store and rebuildable from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "doc/document.h"

namespace wenku::store {
class Store;
}
namespace wenku::text {
class Segmenter;
}

namespace wenku::search {

class IndexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A parsed user query. Terms are ANDed; each term must occur as a substring of the title
// or text (after the index normaliser: NFKC, width and Latin case folding).
struct ParsedQuery {
  std::vector<std::string> terms;  // words and "exact phrases", without quotes
};

// Parses what a user typed: whitespace separates words, "..." (ASCII or “...”) groups an
// exact phrase. Never throws; an unclosed quote runs to the end. Empty terms are dropped.
ParsedQuery parse_query(std::string_view user_text);

struct IndexQuery {
  ParsedQuery query;
  std::size_t limit = 10;  // no hidden cap
  std::size_t offset = 0;
};

struct IndexHit {
  std::string id;
  double score = 0;
};

struct IndexResult {
  std::int64_t total = 0;  // exact number of matching documents
  std::vector<IndexHit> hits;
};

// Thread model: one Index per process; `search` may be called from many threads at once
// (each thread gets its own Groonga context on the shared database); `apply`,
// `catch_up` and `rebuild` must not run concurrently with each other.
class Index {
 public:
  // Opens or creates the index in directory `dir`. When the index was not closed cleanly
  // (a marker file left behind), or its schema version differs, it is discarded and
  // recreated empty, so the next catch_up rebuilds it from the store: Groonga files are not
  // transactional and are never trusted after a crash.
  Index(const std::filesystem::path& dir, const text::Segmenter& segmenter);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // True when this process may change the index: the first process to open it (a server,
  // or a command run while no server is) maintains it; later ones only read it.
  bool writable() const;

  // Brings the index up to the store's last change sequence number: upserts changed
  // documents and removes soft-deleted ones. Returns the number of changes applied.
  std::int64_t catch_up(store::Store& store);

  // Both throw IndexError when !writable().
  // Drops everything and indexes every document of the store again (bulk load, then the
  // index columns are built). Returns the number of documents indexed.
  std::int64_t rebuild(store::Store& store);

  // The highest change sequence number reflected in the index.
  std::int64_t applied_seq() const;

  // Runs `q`. Ranking: title matches weigh above body matches, word-level matches (the
  // segmented words column) add to the score, ties go to newer documents. Every term is
  // escaped before it reaches Groonga: user text can never alter the command.
  IndexResult search(const IndexQuery& q) const;

  // Number of documents in the index.
  std::int64_t size() const;

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
