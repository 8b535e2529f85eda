// The store: the single source of truth for documents. The search index and every other
// derived structure can be rebuilt from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doc/document.h"

namespace wenku::store {

// Thrown for any failure of the underlying database; the message names the operation.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PutResult {
  std::string id;
  bool inserted = false;  // false when an existing document with this id was replaced
  std::int64_t seq = 0;   // the change sequence number this write received
};

struct CategoryCount {
  std::string category;
  std::int64_t count = 0;
};

// A document's SimHash (doc::Document::simhash), for near-duplicate lookups.
struct SimHashEntry {
  std::string id;
  std::uint64_t simhash = 0;
};

// Two near-duplicate documents (相似文档) and the Hamming distance of their SimHashes.
struct SimilarPair {
  std::string a;
  std::string b;
  int distance = 0;
};

struct SimilarDoc {
  doc::Summary doc;
  int distance = 0;
};

// Document frequencies of word keys over the library (text::DocumentFrequencies as rows).
struct WordFrequencies {
  std::int64_t documents = 0;                                // documents counted
  std::vector<std::pair<std::string, std::int64_t>> counts;  // word key, documents with it
};

enum class SortOrder { kNewest, kMostViewed };

struct ListQuery {
  std::string category;  // empty: all categories
  SortOrder sort = SortOrder::kNewest;
  std::size_t limit = 20;
  std::size_t offset = 0;
};

// Every method is safe to call from several threads at once.
class Store {
 public:
  virtual ~Store() = default;

  // Inserts or replaces (by id) every document of `docs` in ONE transaction: either all
  // are committed or none is. Each written document gets the next change sequence number,
  // strictly greater than any number handed out before (never reused, even after a
  // rollback or delete; the numbers of a rolled-back batch were never handed out, as no
  // reader could see them). Replacing keeps `created_at`, `views` and `deleted` (only
  // set_deleted changes that). Documents must already be validated (non-empty id and
  // title, valid UTF-8); violations throw StoreError and write nothing.
  virtual std::vector<PutResult> put(const std::vector<doc::Document>& docs) = 0;

  // Soft-deletes (`deleted`=true) or restores the document with `id`; bumps its change
  // sequence number. Returns false when no such document exists.
  virtual bool set_deleted(std::string_view id, bool deleted) = 0;

  // Returns the document with `id`, including soft-deleted ones (check `deleted`).
  virtual std::optional<doc::Document> get(std::string_view id) = 0;

  // Returns up to `limit` documents whose change sequence number is greater than `after`,
  // in ascending sequence order, soft-deleted ones included (so followers can drop them).
  virtual std::vector<doc::Document> changes_since(std::int64_t after, std::size_t limit) = 0;

  // The highest change sequence number handed out so far (0 for an empty store).
  virtual std::int64_t last_seq() = 0;

  // Number of documents that are not soft-deleted.
  virtual std::int64_t count() = 0;

  // Non-deleted documents by category (empty category shown as ""), largest first.
  virtual std::vector<CategoryCount> categories() = 0;

  // A page of non-deleted document summaries. kNewest orders by date, then created_at,
  // descending; kMostViewed by views descending.
  virtual std::vector<doc::Summary> list(const ListQuery& query) = 0;

  // ---- near-duplicates and keywords (derived features; no change sequence number) ----

  // The SimHash of every non-deleted document that has one (simhash != 0), in no order.
  virtual std::vector<SimHashEntry> simhashes() = 0;

  // Records near-duplicate links in one transaction. A pair is undirected ((a, b) and (b, a)
  // are one link; writing it again updates the distance); pairs naming the same document
  // twice or a document that does not exist are ignored.
  virtual void link_similar(const std::vector<SimilarPair>& pairs) = 0;

  // The non-deleted documents linked to `id` as near-duplicates, nearest first (ties: id).
  virtual std::vector<SimilarDoc> similar(std::string_view id) = 0;

  // The stored word document frequencies (documents = 0 and no counts before the first
  // replace_word_frequencies).
  virtual WordFrequencies word_frequencies() = 0;

  // Replaces all stored word document frequencies in one transaction.
  virtual void replace_word_frequencies(const WordFrequencies& frequencies) = 0;

  // Sets the keywords of existing documents (id, keywords best first) in one transaction,
  // in doc_features and in the "keywords" member of a non-empty `analysis` JSON, leaving
  // everything else, including the change sequence, as it is: keywords are shown with a
  // document but not indexed. Unknown ids are ignored.
  virtual void set_keywords(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& keywords) = 0;
};

// Opens (creating when absent) the SQLite database at `path` with WAL journaling, foreign
// keys on and a busy timeout, and applies pending migrations from src/store/sql/ in
// version order, each in its own transaction. Throws StoreError on failure.
std::unique_ptr<Store> open_sqlite(const std::filesystem::path& path);

}  // namespace wenku::store
