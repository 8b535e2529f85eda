// The documents of the store and their change sequence: what the search index follows. The
// part of store::Store (store.h) every backend implements for documents, their derived
// features (SimHash links, keywords, word frequencies), categories and visibility.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doc/document.h"
#include "store/store_error.h"

namespace wenku::store {

// What changes when a document is written, viewed or deleted: enough for a cache to tell
// whether what it rendered of the document is still current.
struct DocStamp {
  std::int64_t seq = 0;    // change sequence number of the latest write
  std::int64_t views = 0;  // total view count
  bool deleted = false;
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
  std::int64_t version = 0;  // WordFrequencyStamp::version of these (ignored when stored)
};

// Which word document frequencies are stored, without reading them.
struct WordFrequencyStamp {
  std::int64_t version = 0;    // raised by every replace_word_frequencies; 0: never stored
  std::int64_t documents = 0;  // documents they count
};

enum class SortOrder { kNewest, kMostViewed };

// What a category holds, as the admin sets it (008_category_kind.sql): 范文, model texts a
// writer imitates, or 资料, reference material (news, laws, cases). A category whose kind was
// never set is 范文; 新闻联播, 典型案例 and the laws (法律, 行政法规, 地方性法规, 司法解释,
// 部门规章) start as 资料.
enum class CategoryKind { kModel, kReference };

struct ListQuery {
  std::optional<std::string> category;  // nullopt: all categories; "": 未分类 only
  SortOrder sort = SortOrder::kNewest;
  std::size_t limit = 20;
  std::size_t offset = 0;
  bool deleted = false;  // true: only soft-deleted documents (the admin's 回收站) instead
  std::optional<CategoryKind> kind{};  // nullopt: any; else only documents of that kind
};

// A category as the admin arranges it: defined ones (created, possibly still empty) and
// ones only used by documents both appear.
struct Category {
  std::string name;  // "" is 未分类
  // Display order, ascending. Categories never ordered (only used by documents) come last,
  // all reported with the position after the last ordered one.
  int position = 0;
  std::int64_t count = 0;  // live documents in it
  CategoryKind kind = CategoryKind::kModel;
};

// A near-duplicate link with both documents' summaries, for the admin's review list.
struct SimilarPairSummary {
  doc::Summary a;
  doc::Summary b;
  int distance = 0;
};

// A registration made by DocumentStore::watch_changes; destroying it ends the calls (the
// destructor waits for a call in progress).
class ChangeWatch {
 public:
  virtual ~ChangeWatch() = default;
};

// Every method is safe to call from several threads at once.
class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // Inserts or replaces (by id) every document of `docs` in ONE transaction: either all
  // are committed or none is. Each written document gets the next change sequence number,
  // strictly greater than any number handed out before (never reused, even after a
  // rollback or delete; the numbers of a rolled-back batch were never handed out, as no
  // reader could see them). Writes the document's own fields (title … content,
  // source_note, title_derived) and its derived ones; replacing keeps `created_at`,
  // `views` and `deleted` (only set_deleted changes that). Documents must already be
  // validated (non-empty id and title, valid UTF-8); violations throw StoreError and write
  // nothing.
  virtual std::vector<PutResult> put(const std::vector<doc::Document>& docs) = 0;

  // Soft-deletes (`deleted`=true) or restores the document with `id`; bumps its change
  // sequence number. Returns false when no such document exists.
  virtual bool set_deleted(std::string_view id, bool deleted) = 0;

  // Returns the document with `id`, including soft-deleted ones (check `deleted`).
  virtual std::optional<doc::Document> get(std::string_view id) = 0;
  // As `get`, without the derived features (keywords, simhash and analysis left empty), and
  // with `content` cut to at most `max_content_bytes` bytes of the text, back to a code
  // point boundary (SIZE_MAX: the whole text). For lists of hits, which show the text only,
  // often just its opening (access::text_bytes_needed): the rest of a long text is never
  // read (a 300 KB law costs what a short text costs).
  virtual std::optional<doc::Document> get_text(std::string_view id,
                                                std::size_t max_content_bytes) = 0;
  // get_text of each of `ids`, in one read where the backend can (a page of hits costs one
  // round trip to a database server, not one per hit): element i is get_text(ids[i], …).
  virtual std::vector<std::optional<doc::Document>> get_texts(const std::vector<std::string>& ids,
                                                              std::size_t max_content_bytes) = 0;

  // The stamp of document `id` (soft-deleted ones included) without reading its text; cheap.
  virtual std::optional<DocStamp> stamp(std::string_view id) = 0;

  // Returns up to `limit` documents whose change sequence number is greater than `after`,
  // in ascending sequence order, soft-deleted ones included (so followers can drop them).
  virtual std::vector<doc::Document> changes_since(std::int64_t after, std::size_t limit) = 0;

  // The highest change sequence number handed out so far (0 for an empty store).
  virtual std::int64_t last_seq() = 0;

  // Calls `changed` from a thread of the store's soon after any process commits a change that
  // takes a sequence number, and once whenever it may have missed some (when it starts
  // watching, after a lost connection), until the returned watch is destroyed. nullptr when the
  // backend cannot tell (SQLite, whose readers poll last_seq()): the caller polls instead.
  virtual std::unique_ptr<ChangeWatch> watch_changes(std::function<void()> changed) {
    (void)changed;
    return nullptr;
  }

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

  // The version and number of documents word_frequencies() would return, from one row:
  // cheap enough to ask before every batch of keywords.
  virtual WordFrequencyStamp word_frequencies_stamp() = 0;

  // Replaces all stored word document frequencies in one transaction and raises their
  // version (`frequencies.version` is not read).
  virtual void replace_word_frequencies(const WordFrequencies& frequencies) = 0;

  // Sets the keywords of existing documents (id, keywords best first) in one transaction,
  // leaving everything else, including the change sequence and `analysis`, as it is:
  // keywords are shown with a document but not indexed. Unknown ids are ignored.
  virtual void set_keywords(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& keywords) = 0;

  // ---- near-duplicate review ----

  // Near-duplicate links between live documents, smallest distance first, then by ids.
  virtual std::vector<SimilarPairSummary> similar_pairs(std::size_t limit, std::size_t offset) = 0;
  virtual std::int64_t similar_pair_count() = 0;
  // Removes the link between `a` and `b` (either order): the admin judged them different.
  // Returns false when there was no such link.
  virtual bool unlink_similar(std::string_view a, std::string_view b) = 0;

  // ---- categories ----

  // Every defined or used category with its live document count and kind, by position
  // (ordered ones first), then count descending, then name.
  virtual std::vector<Category> category_list() = 0;

  // Defines an empty category `name` at the end of the order; no-op when it exists.
  // Throws StoreError for an empty name.
  virtual void create_category(std::string_view name) = 0;

  // Moves every document of category `from` to `to` (a rename; a merge when `to` already
  // has documents), in one transaction, giving each moved document a new change sequence
  // number so the index follows; `to` keeps its position if defined, else takes `from`'s, and
  // its kind likewise (see set_category_kind). Returns the number of documents moved. Throws
  // StoreError when `to` is empty.
  virtual std::int64_t rename_category(std::string_view from, std::string_view to) = 0;

  // Sets the display order: `names[i]` gets position i (names not yet defined are defined).
  virtual void set_category_order(const std::vector<std::string>& names) = 0;

  // Sets the kind of category `name` ("" is 未分类). Defines no category: the kind is kept
  // for a name no document uses yet and applies when documents come. rename_category gives
  // the new name the old one's kind unless the new name is a category already or has a kind
  // set (then it keeps its own).
  virtual void set_category_kind(std::string_view name, CategoryKind kind) = 0;

  // The names set to 资料 (used by documents or not), in name order; cheap (no document is read).
  virtual std::vector<std::string> reference_categories() = 0;

  // ---- per-document visibility ----

  // Sets who may read document `id` in full and bumps its change sequence number (caches of
  // its pages follow). Returns false when no such document exists. `put` keeps it.
  virtual bool set_visibility(std::string_view id, doc::Visibility visibility) = 0;
};

}  // namespace wenku::store
