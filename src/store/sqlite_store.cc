// store::Store on SQLite: one write connection behind a mutex (SQLite allows one writer at a
// time anyway) and a pool of read connections, which WAL lets run concurrently with the
// writer and with each other, each reading a consistent committed snapshot.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <array>
#include <limits>
#include <mutex>
#include <utility>

#include "base/embedded.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "text/utf8.h"

namespace wenku::store {

namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

// ---- SQL ----------------------------------------------------------------------------------
// Column order of kSelectDocument* matches read_document; parameters ?1..?9 of kInsert and
// kUpdate match bind_fields.

constexpr std::string_view kNextSeq =
    "UPDATE sequence SET value = value + 1 WHERE id = 1 RETURNING value";
constexpr std::string_view kLastSeq = "SELECT value FROM sequence WHERE id = 1";

constexpr std::string_view kInsert =
    "INSERT INTO documents (id, title, date, category, subcategory, source, url, content, seq,"
    " created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, datetime('now'), datetime('now'))"
    " ON CONFLICT (id) DO NOTHING";
// Replacing keeps created_at, views and the deleted flag (only set_deleted changes it).
constexpr std::string_view kUpdate =
    "UPDATE documents SET title = ?2, date = ?3, category = ?4, subcategory = ?5, source = ?6,"
    " url = ?7, content = ?8, seq = ?9, updated_at = datetime('now') WHERE id = ?1";
constexpr std::string_view kUpsertFeatures =
    "INSERT INTO doc_features (id, keywords, simhash, analysis) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (id) DO UPDATE SET keywords = ?2, simhash = ?3, analysis = ?4";
constexpr std::string_view kSetDeleted =
    "UPDATE documents SET deleted = ?2, seq = ?3, updated_at = datetime('now') WHERE id = ?1";

#define WENKU_SELECT_DOCUMENT                                                                   \
  "SELECT d.id, title, date, category, subcategory, source, url, content, seq, views, deleted," \
  " created_at, updated_at, f.keywords, f.simhash, f.analysis"                                  \
  " FROM documents d LEFT JOIN doc_features f ON f.id = d.id"
constexpr std::string_view kSelectDocumentById = WENKU_SELECT_DOCUMENT " WHERE d.id = ?1";
constexpr std::string_view kSelectDocumentsSince =
    WENKU_SELECT_DOCUMENT " WHERE seq > ?1 ORDER BY seq LIMIT ?2";
#undef WENKU_SELECT_DOCUMENT

constexpr std::string_view kCount = "SELECT COUNT(*) FROM documents WHERE deleted = 0";
constexpr std::string_view kCategories =
    "SELECT category, COUNT(*) AS n FROM documents WHERE deleted = 0"
    " GROUP BY category ORDER BY n DESC, category";

// list(): [by category][sort order]. Each ORDER BY matches a partial index of 001_init.sql;
// seq breaks ties so pages neither repeat nor skip rows.
constexpr std::array<std::array<std::string_view, 2>, 2> kList = {{
    {"SELECT id, title, date, category, views, created_at FROM documents WHERE deleted = 0"
     " ORDER BY date DESC, created_at DESC, seq DESC LIMIT ?1 OFFSET ?2",
     "SELECT id, title, date, category, views, created_at FROM documents WHERE deleted = 0"
     " ORDER BY views DESC, seq DESC LIMIT ?1 OFFSET ?2"},
    {"SELECT id, title, date, category, views, created_at FROM documents"
     " WHERE deleted = 0 AND category = ?3"
     " ORDER BY date DESC, created_at DESC, seq DESC LIMIT ?1 OFFSET ?2",
     "SELECT id, title, date, category, views, created_at FROM documents"
     " WHERE deleted = 0 AND category = ?3 ORDER BY views DESC, seq DESC LIMIT ?1 OFFSET ?2"},
}};

// Near-duplicates and word frequencies (003_similar.sql). A link is stored with a < b and
// only when both documents exist.
constexpr std::string_view kSimHashes =
    "SELECT f.id, f.simhash FROM doc_features f JOIN documents d ON d.id = f.id"
    " WHERE d.deleted = 0 AND f.simhash <> 0";
constexpr std::string_view kLinkSimilar =
    "INSERT INTO similar_docs (a, b, distance) SELECT ?1, ?2, ?3"
    " WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?1)"
    " AND EXISTS (SELECT 1 FROM documents WHERE id = ?2)"
    " ON CONFLICT (a, b) DO UPDATE SET distance = ?3";
constexpr std::string_view kSimilar =
    "SELECT d.id, d.title, d.date, d.category, d.views, d.created_at, s.distance"
    " FROM (SELECT b AS other, distance FROM similar_docs WHERE a = ?1"
    "       UNION ALL SELECT a, distance FROM similar_docs WHERE b = ?1) s"
    " JOIN documents d ON d.id = s.other WHERE d.deleted = 0 ORDER BY s.distance, d.id";
// One statement, so the count and the rows come from one snapshot: the row with word ''
// (never a stored word) carries the number of documents.
constexpr std::string_view kWordFrequencies =
    "SELECT '', documents FROM word_df_documents UNION ALL SELECT word, df FROM word_df";
constexpr std::string_view kClearWordCounts = "DELETE FROM word_df";
constexpr std::string_view kInsertWordCount = "INSERT INTO word_df (word, df) VALUES (?1, ?2)";
constexpr std::string_view kSetWordDocuments =
    "UPDATE word_df_documents SET documents = ?1 WHERE id = 1";
// The analysis JSON repeats the keywords (doc::analysis_to_json); keep the copies equal.
constexpr std::string_view kSetKeywords =
    "UPDATE doc_features SET keywords = ?2, analysis = CASE WHEN analysis = '' THEN ''"
    " ELSE json_set(analysis, '$.keywords', json(?2)) END WHERE id = ?1";

// ---- helpers ------------------------------------------------------------------------------

// A LIMIT or OFFSET value; SQLite takes signed 64-bit integers.
std::int64_t sql_count(std::size_t n) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(std::min(n, kMax));
}

// Throws StoreError unless `d` may be stored: non-empty id and title, every text field
// valid UTF-8 without NUL bytes. `index` is the document's position in its batch.
void validate(const doc::Document& d, std::size_t index) {
  static constexpr std::array<std::pair<const char*, std::string doc::Document::*>, 8> kFields = {{
      {"id", &doc::Document::id},
      {"title", &doc::Document::title},
      {"date", &doc::Document::date},
      {"category", &doc::Document::category},
      {"subcategory", &doc::Document::subcategory},
      {"source", &doc::Document::source},
      {"url", &doc::Document::url},
      {"content", &doc::Document::content},
  }};
  auto reject = [index](const std::string& why) {
    throw StoreError(fmt::format("store put: document #{} of the batch: {}", index, why));
  };
  for (const auto& [name, member] : kFields) {
    if (auto bad = text::find_invalid_utf8(d.*member)) {
      reject(fmt::format("{} is not valid UTF-8 (byte {})", name, *bad));
    }
  }
  if (d.id.empty()) reject("id is empty");
  if (d.title.empty()) reject(fmt::format("title of \"{}\" is empty", d.id));
}

void bind_fields(Statement::Use& q, const doc::Document& d, std::int64_t seq) {
  q.bind(1, d.id).bind(2, d.title).bind(3, d.date).bind(4, d.category).bind(5, d.subcategory);
  q.bind(6, d.source).bind(7, d.url).bind(8, d.content).bind(9, seq);
}

doc::Document read_document(const Statement::Use& row) {
  doc::Document d;
  d.id = row.text(0);
  d.title = row.text(1);
  d.date = row.text(2);
  d.category = row.text(3);
  d.subcategory = row.text(4);
  d.source = row.text(5);
  d.url = row.text(6);
  d.content = row.text(7);
  d.seq = row.integer(8);
  d.views = row.integer(9);
  d.deleted = row.integer(10) != 0;
  d.created_at = row.text(11);
  d.updated_at = row.text(12);
  if (auto keywords = row.text(13); !keywords.empty()) {
    d.keywords = nlohmann::json::parse(keywords).get<std::vector<std::string>>();
  }
  d.simhash = static_cast<std::uint64_t>(row.integer(14));
  d.analysis = row.text(15);
  return d;
}

doc::Summary read_summary(const Statement::Use& row) {
  doc::Summary s;
  s.id = row.text(0);
  s.title = row.text(1);
  s.date = row.text(2);
  s.category = row.text(3);
  s.views = row.integer(4);
  s.created_at = row.text(5);
  return s;
}

// Idle read connections, opened on demand: at most one per concurrently reading thread.
class ReadPool {
 public:
  explicit ReadPool(std::filesystem::path path) : path_(std::move(path)) {}

  // A connection borrowed from the pool for one read; given back on destruction.
  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~Lease() { pool_.give_back(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection* operator->() const { return conn_.get(); }

   private:
    ReadPool& pool_;
    std::unique_ptr<Connection> conn_;
  };

  Lease borrow() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(conn));
      }
    }
    return Lease(*this, std::make_unique<Connection>(path_, /*read_only=*/true));
  }

 private:
  void give_back(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
  }

  std::filesystem::path path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// ---- the store ----------------------------------------------------------------------------

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::filesystem::path& path)
      : writer_(path, /*read_only=*/false), readers_(path) {
    sqlite::migrate(writer_, embedded::migrations());
  }

  std::vector<PutResult> put(const std::vector<doc::Document>& docs) override {
    for (std::size_t i = 0; i < docs.size(); ++i) validate(docs[i], i);
    std::vector<PutResult> results;
    results.reserve(docs.size());
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    for (const auto& d : docs) results.push_back(write(d));
    tx.commit();
    return results;
  }

  bool set_deleted(std::string_view id, bool deleted) override {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    const std::int64_t seq = next_seq();
    {
      auto update = writer_.statement(kSetDeleted).use();
      update.bind(1, id).bind(2, std::int64_t{deleted}).bind(3, seq);
      update.step();
    }
    if (writer_.changes() == 0) return false;  // the rollback returns the unused number
    tx.commit();
    return true;
  }

  std::optional<doc::Document> get(std::string_view id) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSelectDocumentById).use();
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return read_document(q);
  }

  std::vector<doc::Document> changes_since(std::int64_t after, std::size_t limit) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSelectDocumentsSince).use();
    q.bind(1, after).bind(2, sql_count(limit));
    std::vector<doc::Document> out;
    while (q.step()) out.push_back(read_document(q));
    return out;
  }

  std::int64_t last_seq() override { return single_integer(kLastSeq); }

  std::int64_t count() override { return single_integer(kCount); }

  std::vector<CategoryCount> categories() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kCategories).use();
    std::vector<CategoryCount> out;
    while (q.step()) out.push_back(CategoryCount{q.text(0), q.integer(1)});
    return out;
  }

  std::vector<doc::Summary> list(const ListQuery& query) override {
    const bool by_category = !query.category.empty();
    const bool by_views = query.sort == SortOrder::kMostViewed;
    auto conn = readers_.borrow();
    auto q = conn->statement(kList[by_category][by_views]).use();
    q.bind(1, sql_count(query.limit)).bind(2, sql_count(query.offset));
    if (by_category) q.bind(3, query.category);
    std::vector<doc::Summary> out;
    while (q.step()) out.push_back(read_summary(q));
    return out;
  }

  std::vector<SimHashEntry> simhashes() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSimHashes).use();
    std::vector<SimHashEntry> out;
    while (q.step())
      out.push_back(SimHashEntry{q.text(0), static_cast<std::uint64_t>(q.integer(1))});
    return out;
  }

  void link_similar(const std::vector<SimilarPair>& pairs) override {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    for (const auto& p : pairs) {
      if (p.a == p.b) continue;
      const bool ordered = p.a < p.b;
      auto q = writer_.statement(kLinkSimilar).use();
      q.bind(1, ordered ? p.a : p.b).bind(2, ordered ? p.b : p.a).bind(3, std::int64_t{p.distance});
      q.step();
    }
    tx.commit();
  }

  std::vector<SimilarDoc> similar(std::string_view id) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSimilar).use();
    q.bind(1, id);
    std::vector<SimilarDoc> out;
    while (q.step()) out.push_back(SimilarDoc{read_summary(q), static_cast<int>(q.integer(6))});
    return out;
  }

  WordFrequencies word_frequencies() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kWordFrequencies).use();
    WordFrequencies out;
    while (q.step()) {
      auto word = q.text(0);
      if (word.empty()) {
        out.documents = q.integer(1);
      } else {
        out.counts.emplace_back(std::move(word), q.integer(1));
      }
    }
    return out;
  }

  void replace_word_frequencies(const WordFrequencies& frequencies) override {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kClearWordCounts).use().step();
    for (const auto& [word, df] : frequencies.counts) {
      auto q = writer_.statement(kInsertWordCount).use();
      q.bind(1, word).bind(2, df);
      q.step();
    }
    auto q = writer_.statement(kSetWordDocuments).use();
    q.bind(1, frequencies.documents);
    q.step();
    tx.commit();
  }

  void set_keywords(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& keywords) override {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    for (const auto& [id, words] : keywords) {
      auto q = writer_.statement(kSetKeywords).use();
      q.bind(1, id).bind(2, nlohmann::json(words).dump());
      q.step();
    }
    tx.commit();
  }

 private:
  // Takes the next change sequence number; only inside a write transaction.
  std::int64_t next_seq() {
    auto q = writer_.statement(kNextSeq).use();
    q.step_row();
    return q.integer(0);
  }

  // Inserts or replaces one document inside the current write transaction.
  PutResult write(const doc::Document& d) {
    const std::int64_t seq = next_seq();
    {
      auto insert = writer_.statement(kInsert).use();
      bind_fields(insert, d, seq);
      insert.step();
    }
    const bool inserted = writer_.changes() == 1;
    if (!inserted) {
      auto update = writer_.statement(kUpdate).use();
      bind_fields(update, d, seq);
      update.step();
    }
    auto features = writer_.statement(kUpsertFeatures).use();
    features.bind(1, d.id).bind(2, nlohmann::json(d.keywords).dump());
    features.bind(3, static_cast<std::int64_t>(d.simhash)).bind(4, d.analysis);
    features.step();
    return PutResult{d.id, inserted, seq};
  }

  std::int64_t single_integer(std::string_view sql) {
    auto conn = readers_.borrow();
    auto q = conn->statement(sql).use();
    q.step_row();
    return q.integer(0);
  }

  std::mutex write_mutex_;  // guards writer_
  Connection writer_;
  ReadPool readers_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const std::filesystem::path& path) {
  return std::make_unique<SqliteStore>(path);
}

}  // namespace wenku::store
