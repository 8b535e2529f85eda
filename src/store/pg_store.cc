// store::Store on PostgreSQL (libpqxx): a pool of connections to the primary for writes and
// reads, and optionally one to a hot standby that serves the reads while the primary cannot be
// reached. Concurrency is PostgreSQL's (MVCC, row locks): no lock is held in this process.
//
// The change sequence (sql/pg/001_init.sql): a writer of documents takes its numbers from the
// one row of `sequence` at the start of its transaction and holds the row's lock until it
// commits, so writers of documents on every node commit in the order of their numbers, and a
// follower that has read every change up to N never sees a number below N appear later. Each
// such transaction also sends NOTIFY wenku_changes, which PostgreSQL delivers at commit, so the
// other nodes' indexes follow within milliseconds (watch_changes) and poll as a fallback.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <map>
#include <thread>
#include <type_traits>
#include <utility>

#include "base/embedded.h"
#include "store/checks.h"
#include "store/pg_db.h"
#include "store/store.h"
#include "text/utf8.h"

namespace wenku::store {

namespace {

using pg::Connection;
using pg::Pool;

constexpr std::string_view kChangesChannel = "wenku_changes";
// How long reads skip a primary that could not be reached and go to the standby directly.
constexpr auto kPrimaryRetryAfter = std::chrono::seconds(2);
// Seconds libpq waits for a connection before giving up.
constexpr int kConnectTimeoutSeconds = 3;
// Runs of a write transaction that met a deadlock or serialization failure, at most.
constexpr int kWriteAttempts = 4;

// ---- SQL ----------------------------------------------------------------------------------
// Column order of the document selects matches read_document.

#define WENKU_DOCUMENT_TEXT_COLUMNS(content)                                                \
  "d.id, d.title, d.date, d.category, d.subcategory, d.source, d.url, " content             \
  ", d.seq, d.views, d.deleted, d.created_at, d.updated_at, d.visibility, d.title_derived," \
  " d.source_note"
#define WENKU_SELECT_DOCUMENT \
  "SELECT " WENKU_DOCUMENT_TEXT_COLUMNS("d.content")             \
  ", k.keywords, f.simhash, f.analysis"                          \
  " FROM documents d LEFT JOIN doc_features f ON f.id = d.id" \
  " LEFT JOIN doc_keywords k ON k.id = d.id"
constexpr std::string_view kSelectDocumentById = WENKU_SELECT_DOCUMENT " WHERE d.id = $1";
constexpr std::string_view kSelectDocumentsSince =
    WENKU_SELECT_DOCUMENT " WHERE d.seq > $1 ORDER BY d.seq LIMIT $2";
constexpr std::string_view kSelectDocumentTextById =
    "SELECT " WENKU_DOCUMENT_TEXT_COLUMNS("d.content") " FROM documents d WHERE d.id = $1";
// left() counts characters; at most $2 characters hold at least $2 bytes when the text has
// them, and the caller cuts the bytes. With the column's EXTERNAL storage only the slice of
// the text that holds them is read.
constexpr std::string_view kSelectDocumentOpeningById = "SELECT " WENKU_DOCUMENT_TEXT_COLUMNS(
    "left(d.content, $2)") " FROM documents d WHERE d.id = $1";
// get_texts: the documents of the ids in $1, in the order of $1 (absent ones missing); the
// text whole, or its opening of at most $2 characters.
#define WENKU_SELECT_TEXTS(content) \
  "SELECT " WENKU_DOCUMENT_TEXT_COLUMNS(content) ", i.n"                       \
  " FROM unnest($1::text[]) WITH ORDINALITY AS i(id, n)"                      \
  " JOIN documents d ON d.id = i.id ORDER BY i.n"
constexpr std::string_view kSelectTexts = WENKU_SELECT_TEXTS("d.content");
constexpr std::string_view kSelectOpenings = WENKU_SELECT_TEXTS("left(d.content, $2)");
constexpr int kOrdinalColumnOfTexts = 16;
#undef WENKU_SELECT_TEXTS
#undef WENKU_SELECT_DOCUMENT
#undef WENKU_DOCUMENT_TEXT_COLUMNS

constexpr std::string_view kTakeSeq =
    "UPDATE sequence SET value = value + $1 WHERE id = 1 RETURNING value";
constexpr std::string_view kLockSeq = "SELECT value FROM sequence WHERE id = 1 FOR UPDATE";
constexpr std::string_view kLastSeq = "SELECT value FROM sequence WHERE id = 1";
constexpr std::string_view kNotify = "SELECT pg_notify($1, $2)";
// One statement per document: the row (replacing keeps created_at, views, deleted and
// visibility), its features and keywords; returns whether the row is new.
constexpr std::string_view kWriteDocument =
    "WITH d AS (INSERT INTO documents (id, title, date, category, subcategory, source, url,"
    " content, seq, title_derived, source_note, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, wenku_now(), wenku_now())"
    " ON CONFLICT (id) DO UPDATE SET title = excluded.title, date = excluded.date,"
    " category = excluded.category, subcategory = excluded.subcategory,"
    " source = excluded.source, url = excluded.url, content = excluded.content,"
    " seq = excluded.seq, title_derived = excluded.title_derived,"
    " source_note = excluded.source_note, updated_at = excluded.updated_at"
    " RETURNING (xmax = 0) AS inserted),"
    " f AS (INSERT INTO doc_features (id, simhash, analysis) VALUES ($1, $12, $13)"
    " ON CONFLICT (id) DO UPDATE SET simhash = excluded.simhash, analysis = excluded.analysis),"
    " k AS (INSERT INTO doc_keywords (id, keywords) VALUES ($1, $14)"
    " ON CONFLICT (id) DO UPDATE SET keywords = excluded.keywords)"
    " SELECT inserted FROM d";
// Updates of one document that take a new change sequence number, only when it exists: $1 the
// id, $2 the new value.
#define WENKU_UPDATE_DOCUMENT(column, type)                              \
  "WITH s AS (UPDATE sequence SET value = value + 1 WHERE id = 1"        \
  " AND EXISTS (SELECT 1 FROM documents WHERE id = $1) RETURNING value)" \
  " UPDATE documents SET " column " = $2::" type                         \
  ", seq = s.value, updated_at = wenku_now()"                            \
  " FROM s WHERE documents.id = $1 RETURNING documents.seq"
constexpr std::string_view kSetDeleted = WENKU_UPDATE_DOCUMENT("deleted", "boolean");
constexpr std::string_view kSetVisibility = WENKU_UPDATE_DOCUMENT("visibility", "text");
#undef WENKU_UPDATE_DOCUMENT

constexpr std::string_view kStampById = "SELECT seq, views, deleted FROM documents WHERE id = $1";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM documents WHERE NOT deleted";
constexpr std::string_view kCategories =
    "SELECT category, COUNT(*) AS n FROM documents WHERE NOT deleted"
    " GROUP BY category ORDER BY n DESC, category";

// list(): as SqliteStore's, each ORDER BY matching a partial index of 001_init.sql.
std::string list_sql(bool deleted, bool by_category, std::optional<CategoryKind> kind,
                     bool by_views) {
  return fmt::format(
      "SELECT id, title, date, category, views, created_at, updated_at FROM documents"
      " WHERE {}deleted{}{}"
      " ORDER BY {}, seq DESC LIMIT $1 OFFSET $2",
      deleted ? "" : "NOT ", by_category ? " AND category = $3" : "",
      kind_condition("category", kind), by_views ? "views DESC" : "date DESC, created_at DESC");
}

constexpr std::string_view kSimHashes =
    "SELECT f.id, f.simhash FROM doc_features f JOIN documents d ON d.id = f.id"
    " WHERE NOT d.deleted AND f.simhash <> 0";
// A batch of links ($1 a, $2 b, $3 distances, with a < b and no pair twice).
constexpr std::string_view kLinkSimilar =
    "INSERT INTO similar_docs (a, b, distance)"
    " SELECT p.a, p.b, p.d FROM unnest($1::text[], $2::text[], $3::int[]) AS p(a, b, d)"
    " WHERE EXISTS (SELECT 1 FROM documents WHERE id = p.a)"
    " AND EXISTS (SELECT 1 FROM documents WHERE id = p.b)"
    " ON CONFLICT (a, b) DO UPDATE SET distance = excluded.distance";
constexpr std::string_view kSimilar =
    "SELECT d.id, d.title, d.date, d.category, d.views, d.created_at, d.updated_at, s.distance"
    " FROM (SELECT b AS other, distance FROM similar_docs WHERE a = $1"
    "       UNION ALL SELECT a, distance FROM similar_docs WHERE b = $1) s"
    " JOIN documents d ON d.id = s.other WHERE NOT d.deleted ORDER BY s.distance, d.id";
constexpr std::string_view kWordFrequencies =
    "SELECT '', documents, version FROM word_df_documents"
    " UNION ALL SELECT word, df, 0 FROM word_df";
constexpr std::string_view kWordFrequencyStamp =
    "SELECT version, documents FROM word_df_documents WHERE id = 1";
constexpr std::string_view kClearWordCounts = "DELETE FROM word_df";
constexpr std::string_view kSetWordDocuments =
    "UPDATE word_df_documents SET documents = $1, version = version + 1 WHERE id = 1";
// A batch ($1 ids, $2 JSON keyword lists, no id twice).
constexpr std::string_view kSetKeywords =
    "UPDATE doc_keywords k SET keywords = v.keywords"
    " FROM unnest($1::text[], $2::text[]) AS v(id, keywords) WHERE k.id = v.id";

// add_views in one statement: the batch's distinct (day, id, visitor) events of existing
// documents not counted before add their view_seen rows; those counted add to view_days and to
// the documents' views. Returns the number counted.
constexpr std::string_view kAddViews =
    "WITH e AS (SELECT DISTINCT day, id, visitor"
    "           FROM unnest($1::text[], $2::text[], $3::text[]) AS e(day, id, visitor)),"
    " seen AS (INSERT INTO view_seen (day, id, visitor) SELECT e.day, e.id, e.visitor FROM e"
    "          WHERE EXISTS (SELECT 1 FROM documents d WHERE d.id = e.id)"
    "          ON CONFLICT DO NOTHING RETURNING day, id),"
    " per_day AS (INSERT INTO view_days (day, id, views)"
    "             SELECT day, id, COUNT(*) FROM seen GROUP BY day, id"
    "             ON CONFLICT (day, id) DO UPDATE SET views = view_days.views + excluded.views),"
    " per_doc AS (UPDATE documents d SET views = d.views + n.n"
    "             FROM (SELECT id, COUNT(*) AS n FROM seen GROUP BY id) n WHERE d.id = n.id)"
    " SELECT COUNT(*) FROM seen";
// Keeps `day` ($1) and the two days before it.
constexpr std::string_view kPruneSeen =
    "DELETE FROM view_seen WHERE day < to_char($1::date - 2, 'YYYY-MM-DD')";
std::string hot_sql(std::optional<CategoryKind> kind) {
  return fmt::format(
      "SELECT d.id, d.title, d.date, d.category, d.views, d.created_at, d.updated_at, v.n"
      " FROM (SELECT id, SUM(views) AS n FROM view_days WHERE day >= $1 GROUP BY id) v"
      " JOIN documents d ON d.id = v.id WHERE NOT d.deleted{}"
      " ORDER BY v.n DESC, d.views DESC, d.date DESC, d.created_at DESC, d.seq DESC LIMIT $2",
      kind_condition("d.category", kind));
}
constexpr std::string_view kViewsPerDay =
    "SELECT day, SUM(views) FROM view_days WHERE day >= $1 GROUP BY day ORDER BY day";
constexpr std::string_view kDocumentsPerDay =
    "SELECT substr(created_at, 1, 10) AS day, COUNT(*) FROM documents WHERE created_at >= $1"
    " GROUP BY day ORDER BY day";

constexpr std::string_view kCategoryList =
    "SELECT c.name, c.unordered, c.p, c.total, COALESCE(k.kind = 'reference', false) FROM ("
    " SELECT name, MAX(position) IS NULL AS unordered, MAX(position) AS p, SUM(n) AS total"
    " FROM ("
    " SELECT name, position, 0::bigint AS n FROM categories"
    " UNION ALL SELECT category, NULL::integer, COUNT(*) FROM documents WHERE NOT deleted"
    " GROUP BY category) u"
    " GROUP BY name) c LEFT JOIN category_kinds k ON k.name = c.name"
    " ORDER BY c.unordered, c.p, c.total DESC, c.name";
constexpr std::string_view kCreateCategory =
    "INSERT INTO categories (name, position)"
    " SELECT $1::text, COALESCE(MAX(position) + 1, 0) FROM categories"
    " ON CONFLICT (name) DO NOTHING";
// Moves the documents of $1 to $2, numbering them after $3 (the locked sequence value) in
// their previous order.
constexpr std::string_view kMoveCategory =
    "UPDATE documents SET category = $2, updated_at = wenku_now(), seq = $3 + m.r"
    " FROM (SELECT id, row_number() OVER (ORDER BY seq) AS r FROM documents"
    "       WHERE category = $1) AS m"
    " WHERE documents.id = m.id";
constexpr std::string_view kAdvanceSeq = "UPDATE sequence SET value = value + $1 WHERE id = 1";
constexpr std::string_view kInheritPosition =
    "INSERT INTO categories (name, position) SELECT $2::text, position FROM categories"
    " WHERE name = $1 ON CONFLICT (name) DO NOTHING";
constexpr std::string_view kDropCategory = "DELETE FROM categories WHERE name = $1";
constexpr std::string_view kInheritKind =
    "INSERT INTO category_kinds (name, kind) SELECT $2::text, kind FROM category_kinds"
    " WHERE name = $1"
    " AND NOT EXISTS (SELECT 1 FROM categories WHERE name = $2)"
    " AND NOT EXISTS (SELECT 1 FROM documents WHERE category = $2 AND NOT deleted)"
    " ON CONFLICT (name) DO NOTHING";
constexpr std::string_view kDropKind = "DELETE FROM category_kinds WHERE name = $1";
constexpr std::string_view kSetKind =
    "INSERT INTO category_kinds (name, kind) VALUES ($1, $2)"
    " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind";
constexpr std::string_view kReferenceCategories =
    "SELECT name FROM category_kinds WHERE kind = 'reference' ORDER BY name";
constexpr std::string_view kShiftPositions = "UPDATE categories SET position = position + $1";
constexpr std::string_view kSetPosition =
    "INSERT INTO categories (name, position) VALUES ($1, $2)"
    " ON CONFLICT (name) DO UPDATE SET position = excluded.position";
constexpr std::string_view kCompactPositions =
    "UPDATE categories SET position = m.r - 1"
    " FROM (SELECT name, row_number() OVER (ORDER BY position, name) AS r FROM categories) AS m"
    " WHERE categories.name = m.name";

constexpr std::string_view kUpsertCollection =
    "INSERT INTO collections (slug, title, description, position) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
    " description = excluded.description, position = excluded.position";
constexpr std::string_view kClearCollection = "DELETE FROM collection_docs WHERE slug = $1";
constexpr std::string_view kAddToCollection =
    "INSERT INTO collection_docs (slug, position, id) SELECT $1::text, $2::integer, $3::text"
    " WHERE EXISTS (SELECT 1 FROM documents WHERE id = $3) ON CONFLICT DO NOTHING";
constexpr std::string_view kDeleteCollection = "DELETE FROM collections WHERE slug = $1";
#define WENKU_SELECT_COLLECTIONS                                               \
  "SELECT c.slug, c.title, c.description, c.position, x.id FROM collections c" \
  " LEFT JOIN (SELECT cd.slug, cd.position, cd.id FROM collection_docs cd"     \
  "            JOIN documents d ON d.id = cd.id WHERE NOT d.deleted) x ON x.slug = c.slug"
constexpr std::string_view kCollections =
    WENKU_SELECT_COLLECTIONS " ORDER BY c.position, c.slug, x.position";
constexpr std::string_view kCollectionBySlug =
    WENKU_SELECT_COLLECTIONS " WHERE c.slug = $1 ORDER BY x.position";
#undef WENKU_SELECT_COLLECTIONS

constexpr std::string_view kAddFeedback =
    "INSERT INTO feedback (contact, message, created_at, client)"
    " VALUES ($1, $2, wenku_now(), $3) RETURNING id";
constexpr std::array<std::string_view, 2> kFeedback = {
    "SELECT id, contact, message, created_at, client, handled FROM feedback"
    " ORDER BY id DESC LIMIT $1 OFFSET $2",
    "SELECT id, contact, message, created_at, client, handled FROM feedback WHERE NOT handled"
    " ORDER BY id DESC LIMIT $1 OFFSET $2",
};
constexpr std::array<std::string_view, 2> kFeedbackCount = {
    "SELECT COUNT(*) FROM feedback",
    "SELECT COUNT(*) FROM feedback WHERE NOT handled",
};
constexpr std::string_view kFeedbackCountSince =
    "SELECT COUNT(*) FROM feedback WHERE client = $1 AND created_at >= $2";
constexpr std::string_view kSetFeedbackHandled = "UPDATE feedback SET handled = $2 WHERE id = $1";

#define WENKU_LIVE_SIMILAR_PAIRS                                                           \
  " FROM similar_docs s JOIN documents da ON da.id = s.a JOIN documents db ON db.id = s.b" \
  " WHERE NOT da.deleted AND NOT db.deleted"
// clang-format off
constexpr std::string_view kSimilarPairs =
    "SELECT da.id, da.title, da.date, da.category, da.views, da.created_at, da.updated_at,"
    " db.id, db.title, db.date, db.category, db.views, db.created_at, db.updated_at, s.distance"
    WENKU_LIVE_SIMILAR_PAIRS " ORDER BY s.distance, s.a, s.b LIMIT $1 OFFSET $2";
// clang-format on
constexpr std::string_view kSimilarPairCount = "SELECT COUNT(*)" WENKU_LIVE_SIMILAR_PAIRS;
#undef WENKU_LIVE_SIMILAR_PAIRS
constexpr std::string_view kUnlinkSimilar = "DELETE FROM similar_docs WHERE a = $1 AND b = $2";

constexpr std::string_view kSettings = "SELECT key, value FROM settings";
constexpr std::string_view kPutSetting =
    "INSERT INTO settings (key, value) VALUES ($1, $2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
// Returns the value stored (the existing one, or $2 when there was none), in one statement.
constexpr std::string_view kEnsureSetting =
    "WITH ins AS (INSERT INTO settings (key, value) VALUES ($1, $2)"
    " ON CONFLICT (key) DO NOTHING RETURNING value)"
    " SELECT value FROM ins UNION ALL SELECT value FROM settings WHERE key = $1";
constexpr std::string_view kSetting = "SELECT value FROM settings WHERE key = $1";
constexpr std::string_view kSettingsVersion = "SELECT value FROM settings_version WHERE id = 1";
constexpr std::string_view kBumpSettingsVersion =
    "UPDATE settings_version SET value = value + 1 WHERE id = 1";
constexpr std::string_view kPutSiteFile =
    "INSERT INTO site_files (name, content_type, data, updated_at)"
    " VALUES ($1, $2, $3, wenku_now()) ON CONFLICT (name) DO UPDATE"
    " SET content_type = excluded.content_type, data = excluded.data,"
    " updated_at = excluded.updated_at";
constexpr std::string_view kSiteFile =
    "SELECT name, content_type, data, updated_at FROM site_files WHERE name = $1";

#define WENKU_USER_COLUMNS \
  "u.id, u.name, u.password_hash, u.role, u.vip_until, u.disabled, u.created_at, u.last_login_at"
#define WENKU_SESSION_COLUMNS \
  "s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent"
constexpr std::string_view kAddUser =
    "INSERT INTO users (name, password_hash, role, vip_until, disabled, last_login_at, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, wenku_now()) ON CONFLICT (name) DO NOTHING RETURNING id";
constexpr std::string_view kUserById = "SELECT " WENKU_USER_COLUMNS " FROM users u WHERE u.id = $1";
constexpr std::string_view kUserByName =
    "SELECT " WENKU_USER_COLUMNS " FROM users u WHERE u.name = $1";
constexpr std::string_view kUsers =
    "SELECT " WENKU_USER_COLUMNS " FROM users u ORDER BY u.id LIMIT $1 OFFSET $2";
constexpr std::string_view kUserCount = "SELECT COUNT(*) FROM users";
constexpr std::string_view kAdminCount =
    "SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled";
constexpr std::string_view kSetPasswordHash = "UPDATE users SET password_hash = $2 WHERE id = $1";
constexpr std::string_view kSetRole = "UPDATE users SET role = $2, vip_until = $3 WHERE id = $1";
constexpr std::string_view kSetDisabled = "UPDATE users SET disabled = $2 WHERE id = $1";
constexpr std::string_view kMarkLogin =
    "UPDATE users SET last_login_at = wenku_now() WHERE id = $1";
constexpr std::string_view kAddSession =
    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent)"
    " SELECT $1::text, $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6::text"
    " WHERE EXISTS (SELECT 1 FROM users WHERE id = $2 AND NOT disabled)";
constexpr std::string_view kSession =
    "SELECT " WENKU_SESSION_COLUMNS ", " WENKU_USER_COLUMNS
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
constexpr int kUserColumnOfSession = 6;
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE token_hash = $1";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = $1";
constexpr std::string_view kDeleteSessionsOf =
    "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";
constexpr std::string_view kSessionsOf =
    "SELECT " WENKU_SESSION_COLUMNS
    " FROM sessions s WHERE s.user_id = $1"
    " ORDER BY s.last_seen_at DESC, s.created_at DESC, s.token_hash";
constexpr std::string_view kDeleteExpiredSessions = "DELETE FROM sessions WHERE expires_at < $1";
#undef WENKU_SESSION_COLUMNS
#undef WENKU_USER_COLUMNS

constexpr std::string_view kAddLoginFailure =
    "INSERT INTO login_failures (key, at) VALUES ($1, $2)";
constexpr std::string_view kPruneLoginFailures =
    "DELETE FROM login_failures WHERE at < $1::bigint - 86400";
constexpr std::string_view kLoginFailures =
    "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failures WHERE key = $1 AND at >= $2";
constexpr std::string_view kClearLoginFailures = "DELETE FROM login_failures WHERE key = $1";

// 我的收藏 and 阅读历史, as in SqliteStore.
struct MemberDocSql {
  std::string_view add;
  std::string_view list;
  std::string_view count;
};
// clang-format off
#define WENKU_MEMBER_DOC_SQL(table, new_at)                                                 \
  MemberDocSql{                                                                             \
    "INSERT INTO " table " (user_id, doc_id, at) SELECT $1::bigint, $2::text, $3::bigint"   \
    " WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)"                                     \
    " AND EXISTS (SELECT 1 FROM documents WHERE id = $2)"                                   \
    " ON CONFLICT (user_id, doc_id) DO UPDATE SET at = " new_at,                            \
    "SELECT d.id, d.title, d.date, d.category, d.views, d.created_at, d.updated_at, m.at"   \
    " FROM " table " m JOIN documents d ON d.id = m.doc_id WHERE m.user_id = $1"            \
    " AND NOT d.deleted ORDER BY m.at DESC, m.doc_id LIMIT $2 OFFSET $3",                   \
    "SELECT COUNT(*) FROM " table " m JOIN documents d ON d.id = m.doc_id"                  \
    " WHERE m.user_id = $1 AND NOT d.deleted"}
// clang-format on
constexpr MemberDocSql kFavoritesSql = WENKU_MEMBER_DOC_SQL("favorites", "excluded.at");
constexpr MemberDocSql kHistorySql =
    WENKU_MEMBER_DOC_SQL("history", "GREATEST(history.at, excluded.at)");
#undef WENKU_MEMBER_DOC_SQL
constexpr std::string_view kRemoveFavorite =
    "DELETE FROM favorites WHERE user_id = $1 AND doc_id = $2";
constexpr std::string_view kIsFavorite =
    "SELECT 1 FROM favorites WHERE user_id = $1 AND doc_id = $2";
constexpr std::string_view kTrimHistory =
    "DELETE FROM history WHERE user_id = $1 AND doc_id IN (SELECT doc_id FROM history"
    " WHERE user_id = $1 ORDER BY at DESC, doc_id OFFSET $2)";
constexpr std::string_view kClearHistory = "DELETE FROM history WHERE user_id = $1";

// ---- reading rows -------------------------------------------------------------------------

std::string text_of(const pqxx::field& f) {
  return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
}
std::int64_t integer_of(const pqxx::field& f) { return f.is_null() ? 0 : f.as<std::int64_t>(); }
bool flag_of(const pqxx::field& f) { return !f.is_null() && f.as<bool>(); }

// The first 16 columns of the document selects (all but the derived features).
doc::Document read_document_text(const pqxx::row& row) {
  doc::Document d;
  d.id = text_of(row[0]);
  d.title = text_of(row[1]);
  d.date = text_of(row[2]);
  d.category = text_of(row[3]);
  d.subcategory = text_of(row[4]);
  d.source = text_of(row[5]);
  d.url = text_of(row[6]);
  d.content = text_of(row[7]);
  d.seq = integer_of(row[8]);
  d.views = integer_of(row[9]);
  d.deleted = flag_of(row[10]);
  d.created_at = text_of(row[11]);
  d.updated_at = text_of(row[12]);
  d.visibility = visibility_from_word(text_of(row[13]));
  d.title_derived = flag_of(row[14]);
  d.source_note = text_of(row[15]);
  return d;
}

doc::Document read_document(const pqxx::row& row) {
  doc::Document d = read_document_text(row);
  if (auto keywords = text_of(row[16]); !keywords.empty()) {
    d.keywords = nlohmann::json::parse(keywords).get<std::vector<std::string>>();
  }
  d.simhash = static_cast<std::uint64_t>(integer_of(row[17]));
  d.analysis = text_of(row[18]);
  return d;
}

// The seven summary columns starting at column `first`.
doc::Summary read_summary(const pqxx::row& row, int first = 0) {
  return doc::Summary{text_of(row[first]),     text_of(row[first + 1]),    text_of(row[first + 2]),
                      text_of(row[first + 3]), integer_of(row[first + 4]), text_of(row[first + 5]),
                      text_of(row[first + 6])};
}

User read_user(const pqxx::row& row, int first = 0) {
  User u;
  u.id = integer_of(row[first]);
  u.name = text_of(row[first + 1]);
  u.password_hash = text_of(row[first + 2]);
  u.role = text_of(row[first + 3]);
  u.vip_until = text_of(row[first + 4]);
  u.disabled = flag_of(row[first + 5]);
  u.created_at = text_of(row[first + 6]);
  u.last_login_at = text_of(row[first + 7]);
  return u;
}

Session read_session(const pqxx::row& row) {
  return Session{text_of(row[0]),    integer_of(row[1]), integer_of(row[2]),
                 integer_of(row[3]), integer_of(row[4]), text_of(row[5])};
}

std::vector<Collection> read_collections(const pqxx::result& rows) {
  std::vector<Collection> out;
  for (const auto& row : rows) {
    auto slug = text_of(row[0]);
    if (out.empty() || out.back().slug != slug) {
      out.push_back(Collection{std::move(slug),
                               text_of(row[1]),
                               text_of(row[2]),
                               static_cast<int>(integer_of(row[3])),
                               {}});
    }
    if (!row[4].is_null()) out.back().ids.push_back(text_of(row[4]));
  }
  return out;
}

std::string str(std::string_view s) { return std::string(s); }

// Cuts `text` to at most `max_bytes` bytes, back to a code point boundary.
void cut_to_bytes(std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return;
  text.resize(max_bytes);
  text.resize(text::whole_code_points(text).size());
}

// ---- change notifications -----------------------------------------------------------------

// LISTENs on its own connection in a thread of its own and calls `changed` for each
// notification, once on every (re)connection, and never after its destructor returns.
class PgChangeWatch final : public ChangeWatch {
 public:
  PgChangeWatch(std::string url, std::function<void()> changed)
      : url_(std::move(url)), changed_(std::move(changed)), thread_([this] { loop(); }) {}

  ~PgChangeWatch() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  class Receiver final : public pqxx::notification_receiver {
   public:
    Receiver(pqxx::connection_base& conn, const std::function<void()>& changed)
        : pqxx::notification_receiver(conn, std::string(kChangesChannel)), changed_(changed) {}
    void operator()(const std::string&, int) override { changed_(); }

   private:
    const std::function<void()>& changed_;
  };

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stop_;
  }

  void loop() {
    constexpr long kPollMicroseconds = 200'000;  // how soon the destructor is noticed
    constexpr auto kReconnectAfter = std::chrono::seconds(1);
    while (!stopping()) {
      try {
        pqxx::connection conn(url_);
        Receiver receiver(conn, changed_);
        changed_();  // whatever was committed while nobody listened
        while (!stopping()) conn.await_notification(0, kPollMicroseconds);
      } catch (const std::exception&) {
        // The connection is lost or refused; the caller's polling covers the gap.
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, kReconnectAfter, [this] { return stop_; });
      }
    }
  }

  std::string url_;
  std::function<void()> changed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

// ---- the store ----------------------------------------------------------------------------

class PgStore final : public Store {
 public:
  PgStore(const std::string& url, const std::string& read_url)
      : primary_(pg::with_connect_timeout(url, kConnectTimeoutSeconds)) {
    if (!read_url.empty()) {
      standby_.emplace(pg::with_connect_timeout(read_url, kConnectTimeoutSeconds));
    }
    auto conn = primary_.borrow();
    pg::migrate(*conn, embedded::pg_migrations());
  }

  std::vector<PutResult> put(const std::vector<doc::Document>& docs) override {
    for (std::size_t i = 0; i < docs.size(); ++i) require_storable(docs[i], i);
    if (docs.empty()) return {};
    return write("put", [&](pqxx::work& tx, Connection& conn) {
      const auto n = static_cast<std::int64_t>(docs.size());
      std::int64_t seq = pg::run(tx, conn, kTakeSeq, n)[0][0].as<std::int64_t>() - n;
      std::vector<PutResult> results;
      results.reserve(docs.size());
      for (const auto& d : docs) {
        ++seq;
        auto row = pg::run(tx, conn, kWriteDocument, d.id, d.title, d.date, d.category,
                           d.subcategory, d.source, d.url, d.content, seq, d.title_derived,
                           d.source_note, static_cast<std::int64_t>(d.simhash), d.analysis,
                           nlohmann::json(d.keywords).dump())[0];
        results.push_back(PutResult{d.id, flag_of(row[0]), seq});
      }
      notify(tx, conn, seq);
      return results;
    });
  }

  bool set_deleted(std::string_view id, bool deleted) override {
    return update_document("set_deleted", kSetDeleted, id, deleted ? "true" : "false");
  }

  bool set_visibility(std::string_view id, doc::Visibility visibility) override {
    return update_document("set_visibility", kSetVisibility, id,
                           str(doc::visibility_name(visibility)));
  }

  std::optional<doc::Document> get(std::string_view id) override {
    return read("get", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto rows = pg::run(tx, conn, kSelectDocumentById, str(id));
      return rows.empty() ? std::nullopt : std::optional(read_document(rows[0]));
    });
  }

  std::optional<doc::Document> get_text(std::string_view id,
                                        std::size_t max_content_bytes) override {
    const bool whole = max_content_bytes >= static_cast<std::size_t>(INT_MAX);
    return read("get_text", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto rows = whole ? pg::run(tx, conn, kSelectDocumentTextById, str(id))
                        : pg::run(tx, conn, kSelectDocumentOpeningById, str(id),
                                  static_cast<int>(max_content_bytes));
      if (rows.empty()) return std::optional<doc::Document>();
      auto d = read_document_text(rows[0]);
      if (!whole) cut_to_bytes(d.content, max_content_bytes);
      return std::optional(std::move(d));
    });
  }

  std::vector<std::optional<doc::Document>> get_texts(const std::vector<std::string>& ids,
                                                      std::size_t max_content_bytes) override {
    std::vector<std::optional<doc::Document>> out(ids.size());
    if (ids.empty()) return out;
    const bool whole = max_content_bytes >= static_cast<std::size_t>(INT_MAX);
    const auto id_array = pg::text_array({ids.begin(), ids.end()});
    auto rows = read("get_texts", [&](pqxx::nontransaction& tx, Connection& conn) {
      return whole ? pg::run(tx, conn, kSelectTexts, id_array)
                   : pg::run(tx, conn, kSelectOpenings, id_array,
                             static_cast<int>(max_content_bytes));
    });
    for (const auto& row : rows) {
      auto d = read_document_text(row);
      if (!whole) cut_to_bytes(d.content, max_content_bytes);
      out.at(static_cast<std::size_t>(integer_of(row[kOrdinalColumnOfTexts]) - 1)) = std::move(d);
    }
    return out;
  }

  std::optional<DocStamp> stamp(std::string_view id) override {
    return read("stamp", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto rows = pg::run(tx, conn, kStampById, str(id));
      if (rows.empty()) return std::optional<DocStamp>();
      return std::optional(
          DocStamp{integer_of(rows[0][0]), integer_of(rows[0][1]), flag_of(rows[0][2])});
    });
  }

  std::vector<doc::Document> changes_since(std::int64_t after, std::size_t limit) override {
    return read("changes_since", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<doc::Document> out;
      for (const auto& row : pg::run(tx, conn, kSelectDocumentsSince, after, sql_count(limit))) {
        out.push_back(read_document(row));
      }
      return out;
    });
  }

  std::int64_t last_seq() override { return single_integer("last_seq", kLastSeq); }

  std::unique_ptr<ChangeWatch> watch_changes(std::function<void()> changed) override {
    return std::make_unique<PgChangeWatch>(primary_.url(), std::move(changed));
  }

  std::int64_t count() override { return single_integer("count", kCount); }

  std::vector<CategoryCount> categories() override {
    return read("categories", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<CategoryCount> out;
      for (const auto& row : pg::run(tx, conn, kCategories)) {
        out.push_back(CategoryCount{text_of(row[0]), integer_of(row[1])});
      }
      return out;
    });
  }

  std::vector<doc::Summary> list(const ListQuery& query) override {
    const bool by_category = query.category.has_value();
    const auto sql =
        list_sql(query.deleted, by_category, query.kind, query.sort == SortOrder::kMostViewed);
    return read("list", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto rows = by_category
                      ? pg::run(tx, conn, sql, sql_count(query.limit), sql_count(query.offset),
                                *query.category)
                      : pg::run(tx, conn, sql, sql_count(query.limit), sql_count(query.offset));
      return summaries(rows);
    });
  }

  std::vector<SimHashEntry> simhashes() override {
    return read("simhashes", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<SimHashEntry> out;
      for (const auto& row : pg::run(tx, conn, kSimHashes)) {
        out.push_back(
            SimHashEntry{text_of(row[0]), static_cast<std::uint64_t>(integer_of(row[1]))});
      }
      return out;
    });
  }

  void link_similar(const std::vector<SimilarPair>& pairs) override {
    // One row per link (a < b), the last distance written for it winning, as row by row.
    std::map<std::pair<std::string_view, std::string_view>, int> links;
    for (const auto& p : pairs) {
      if (p.a == p.b) continue;
      const bool ordered = p.a < p.b;
      links[{ordered ? p.a : p.b, ordered ? p.b : p.a}] = p.distance;
    }
    if (links.empty()) return;
    std::vector<std::string_view> a, b;
    std::vector<std::string> distances;
    for (const auto& [key, distance] : links) {
      a.push_back(key.first);
      b.push_back(key.second);
      distances.push_back(std::to_string(distance));
    }
    std::vector<std::string_view> distance_views(distances.begin(), distances.end());
    write("link_similar", [&](pqxx::work& tx, Connection& conn) {
      pg::run(tx, conn, kLinkSimilar, pg::text_array(a), pg::text_array(b),
              pg::text_array(distance_views));
      return true;
    });
  }

  std::vector<SimilarDoc> similar(std::string_view id) override {
    return read("similar", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<SimilarDoc> out;
      for (const auto& row : pg::run(tx, conn, kSimilar, str(id))) {
        out.push_back(SimilarDoc{read_summary(row), static_cast<int>(integer_of(row[7]))});
      }
      return out;
    });
  }

  WordFrequencies word_frequencies() override {
    return read("word_frequencies", [&](pqxx::nontransaction& tx, Connection& conn) {
      WordFrequencies out;
      for (const auto& row : pg::run(tx, conn, kWordFrequencies)) {
        auto word = text_of(row[0]);
        if (word.empty()) {
          out.documents = integer_of(row[1]);
          out.version = integer_of(row[2]);
        } else {
          out.counts.emplace_back(std::move(word), integer_of(row[1]));
        }
      }
      return out;
    });
  }

  WordFrequencyStamp word_frequencies_stamp() override {
    return read("word_frequencies_stamp", [&](pqxx::nontransaction& tx, Connection& conn) {
      WordFrequencyStamp out;
      auto rows = pg::run(tx, conn, kWordFrequencyStamp);
      if (!rows.empty()) out = {integer_of(rows[0][0]), integer_of(rows[0][1])};
      return out;
    });
  }

  void replace_word_frequencies(const WordFrequencies& frequencies) override {
    write("replace_word_frequencies", [&](pqxx::work& tx, Connection& conn) {
      pg::run(tx, conn, kClearWordCounts);
      // COPY: the corpus's 600,000 words in one stream instead of a statement each.
      pqxx::stream_to copy(tx, "word_df", std::vector<std::string>{"word", "df"});
      for (const auto& [word, df] : frequencies.counts) copy << std::make_tuple(word, df);
      copy.complete();
      pg::run(tx, conn, kSetWordDocuments, frequencies.documents);
      return true;
    });
  }

  void set_keywords(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& keywords) override {
    std::map<std::string_view, std::string> latest;  // the last list given for an id wins
    for (const auto& [id, words] : keywords) latest[id] = nlohmann::json(words).dump();
    if (latest.empty()) return;
    std::vector<std::string_view> ids, lists;
    for (const auto& [id, list] : latest) {
      ids.push_back(id);
      lists.push_back(list);
    }
    write("set_keywords", [&](pqxx::work& tx, Connection& conn) {
      pg::run(tx, conn, kSetKeywords, pg::text_array(ids), pg::text_array(lists));
      return true;
    });
  }

  std::vector<SimilarPairSummary> similar_pairs(std::size_t limit, std::size_t offset) override {
    return read("similar_pairs", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<SimilarPairSummary> out;
      for (const auto& row :
           pg::run(tx, conn, kSimilarPairs, sql_count(limit), sql_count(offset))) {
        out.push_back(SimilarPairSummary{read_summary(row), read_summary(row, 7),
                                         static_cast<int>(integer_of(row[14]))});
      }
      return out;
    });
  }

  std::int64_t similar_pair_count() override {
    return single_integer("similar_pair_count", kSimilarPairCount);
  }

  bool unlink_similar(std::string_view a, std::string_view b) override {
    if (b < a) std::swap(a, b);  // stored with a < b
    return write_rows("unlink_similar", kUnlinkSimilar, str(a), str(b)) != 0;
  }

  std::vector<Category> category_list() override {
    return read("category_list", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<Category> out;
      int next_position = 0;  // reported for categories never ordered: after every ordered one
      for (const auto& row : pg::run(tx, conn, kCategoryList)) {
        const bool ordered = !flag_of(row[1]);
        const int position = ordered ? static_cast<int>(integer_of(row[2])) : next_position;
        if (ordered) next_position = position + 1;
        out.push_back(Category{text_of(row[0]), position, integer_of(row[3]),
                               flag_of(row[4]) ? CategoryKind::kReference : CategoryKind::kModel});
      }
      return out;
    });
  }

  void create_category(std::string_view name) override {
    require_name("create_category", "the name", name);
    write_rows("create_category", kCreateCategory, str(name));
  }

  std::int64_t rename_category(std::string_view from, std::string_view to) override {
    require_name("rename_category", "the new name", to);
    require_text("rename_category", "the old name", from);
    if (from == to) return 0;
    return write("rename_category", [&](pqxx::work& tx, Connection& conn) {
      const auto base = pg::run(tx, conn, kLockSeq)[0][0].as<std::int64_t>();
      pg::run(tx, conn, kInheritKind, str(from), str(to));
      pg::run(tx, conn, kDropKind, str(from));
      const auto moved = static_cast<std::int64_t>(
          pg::run(tx, conn, kMoveCategory, str(from), str(to), base).affected_rows());
      pg::run(tx, conn, kAdvanceSeq, moved);
      pg::run(tx, conn, kInheritPosition, str(from), str(to));
      pg::run(tx, conn, kDropCategory, str(from));
      if (moved > 0) notify(tx, conn, base + moved);
      return moved;
    });
  }

  void set_category_order(const std::vector<std::string>& names) override {
    for (std::size_t i = 0; i < names.size(); ++i) {
      require_text("set_category_order", fmt::format("name #{}", i), names[i]);
    }
    write("set_category_order", [&](pqxx::work& tx, Connection& conn) {
      pg::run(tx, conn, kShiftPositions, sql_count(names.size()));
      for (std::size_t i = 0; i < names.size(); ++i) {
        pg::run(tx, conn, kSetPosition, names[i], sql_count(i));
      }
      pg::run(tx, conn, kCompactPositions);
      return true;
    });
  }

  void set_category_kind(std::string_view name, CategoryKind kind) override {
    require_text("set_category_kind", "the name", name);
    write_rows("set_category_kind", kSetKind, str(name), str(kind_code(kind)));
  }

  std::vector<std::string> reference_categories() override {
    return read("reference_categories", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<std::string> out;
      for (const auto& row : pg::run(tx, conn, kReferenceCategories)) {
        out.push_back(text_of(row[0]));
      }
      return out;
    });
  }

  std::int64_t add_views(const std::vector<ViewEvent>& events) override {
    require_days(events);
    if (events.empty()) return 0;
    std::vector<std::string_view> days, ids, visitors;
    for (const auto& e : events) {
      days.push_back(e.day);
      ids.push_back(e.id);
      visitors.push_back(e.visitor);
    }
    const auto latest = std::max_element(
        events.begin(), events.end(), [](const auto& x, const auto& y) { return x.day < y.day; });
    return write("add_views", [&](pqxx::work& tx, Connection& conn) {
      const auto counted = pg::run(tx, conn, kAddViews, pg::text_array(days), pg::text_array(ids),
                                   pg::text_array(visitors))[0][0]
                               .as<std::int64_t>();
      pg::run(tx, conn, kPruneSeen, latest->day);
      return counted;
    });
  }

  std::vector<HotDoc> hot(std::string_view since_day, std::size_t limit,
                          std::optional<CategoryKind> kind) override {
    const auto sql = hot_sql(kind);
    return read("hot", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<HotDoc> out;
      for (const auto& row : pg::run(tx, conn, sql, str(since_day), sql_count(limit))) {
        out.push_back(HotDoc{read_summary(row), integer_of(row[7])});
      }
      return out;
    });
  }

  std::vector<DayCount> views_per_day(std::string_view since_day) override {
    return day_counts("views_per_day", kViewsPerDay, since_day);
  }

  std::vector<DayCount> documents_per_day(std::string_view since_day) override {
    return day_counts("documents_per_day", kDocumentsPerDay, since_day);
  }

  void put_collection(const Collection& collection) override {
    require_collection(collection);
    write("put_collection", [&](pqxx::work& tx, Connection& conn) {
      pg::run(tx, conn, kUpsertCollection, collection.slug, collection.title,
              collection.description, collection.position);
      pg::run(tx, conn, kClearCollection, collection.slug);
      int position = 0;  // counts only the documents kept, so positions have no gaps
      for (const auto& id : collection.ids) {
        position += static_cast<int>(
            pg::run(tx, conn, kAddToCollection, collection.slug, position, id).affected_rows());
      }
      return true;
    });
  }

  bool delete_collection(std::string_view slug) override {
    return write_rows("delete_collection", kDeleteCollection, str(slug)) != 0;
  }

  std::vector<Collection> collections() override {
    return read("collections", [&](pqxx::nontransaction& tx, Connection& conn) {
      return read_collections(pg::run(tx, conn, kCollections));
    });
  }

  std::optional<Collection> collection(std::string_view slug) override {
    return read("collection", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto found = read_collections(pg::run(tx, conn, kCollectionBySlug, str(slug)));
      return found.empty() ? std::nullopt : std::optional(std::move(found.front()));
    });
  }

  std::int64_t add_feedback(const Feedback& feedback) override {
    require_texts("add_feedback", {{"the contact", feedback.contact},
                                   {"the message", feedback.message},
                                   {"the client key", feedback.client}});
    return write("add_feedback", [&](pqxx::work& tx, Connection& conn) {
      return pg::run(tx, conn, kAddFeedback, feedback.contact, feedback.message,
                     feedback.client)[0][0]
          .as<std::int64_t>();
    });
  }

  std::vector<Feedback> feedback(bool unhandled_only, std::size_t limit,
                                 std::size_t offset) override {
    return read("feedback", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<Feedback> out;
      for (const auto& row :
           pg::run(tx, conn, kFeedback[unhandled_only], sql_count(limit), sql_count(offset))) {
        out.push_back(Feedback{integer_of(row[0]), text_of(row[1]), text_of(row[2]),
                               text_of(row[3]), text_of(row[4]), flag_of(row[5])});
      }
      return out;
    });
  }

  std::int64_t feedback_count(bool unhandled_only) override {
    return single_integer("feedback_count", kFeedbackCount[unhandled_only]);
  }

  std::int64_t feedback_count_since(std::string_view client, std::string_view since) override {
    return single_integer("feedback_count_since", kFeedbackCountSince, str(client), str(since));
  }

  bool set_feedback_handled(std::int64_t id, bool handled) override {
    return write_rows("set_feedback_handled", kSetFeedbackHandled, id, handled) != 0;
  }

  std::map<std::string, std::string> settings() override {
    return read("settings", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::map<std::string, std::string> out;
      for (const auto& row : pg::run(tx, conn, kSettings)) {
        out.emplace(text_of(row[0]), text_of(row[1]));
      }
      return out;
    });
  }

  void set_settings(const std::map<std::string, std::string>& values) override {
    for (const auto& [key, value] : values) {
      require_text("set_settings", "a key", key);
      require_text("set_settings", fmt::format("the value of \"{}\"", key), value);
    }
    write("set_settings", [&](pqxx::work& tx, Connection& conn) {
      for (const auto& [key, value] : values) pg::run(tx, conn, kPutSetting, key, value);
      pg::run(tx, conn, kBumpSettingsVersion);
      return true;
    });
  }

  std::string ensure_setting(std::string_view key, std::string_view initial) override {
    require_texts("ensure_setting", {{"a key", key}, {"the initial value", initial}});
    return write("ensure_setting", [&](pqxx::work& tx, Connection& conn) {
      auto rows = pg::run(tx, conn, kEnsureSetting, str(key), str(initial));
      // Empty when another node stored the key after this statement's snapshot was taken: a
      // new statement sees its value.
      if (rows.empty()) rows = pg::run(tx, conn, kSetting, str(key));
      return text_of(rows.at(0)[0]);
    });
  }

  std::int64_t settings_version() override {
    return single_integer("settings_version", kSettingsVersion);
  }

  void put_site_file(const SiteFile& file) override {
    require_name("put_site_file", "the name", file.name);
    require_text("put_site_file", "the content type", file.content_type);
    write("put_site_file", [&](pqxx::work& tx, Connection& conn) {
      pg::run(tx, conn, kPutSiteFile, file.name, file.content_type, pqxx::binarystring(file.data));
      pg::run(tx, conn, kBumpSettingsVersion);
      return true;
    });
  }

  std::optional<SiteFile> site_file(std::string_view name) override {
    return read("site_file", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto rows = pg::run(tx, conn, kSiteFile, str(name));
      if (rows.empty()) return std::optional<SiteFile>();
      const auto& row = rows[0];
      return std::optional(SiteFile{text_of(row[0]), text_of(row[1]),
                                    pqxx::binarystring(row[2]).str(), text_of(row[3])});
    });
  }

  std::optional<std::int64_t> add_user(const User& user) override {
    require_texts("add_user", {{"the name", user.name},
                               {"the password hash", user.password_hash},
                               {"last_login_at", user.last_login_at}});
    require_role("add_user", user.role, user.vip_until);
    return write("add_user", [&](pqxx::work& tx, Connection& conn) {
      auto rows = pg::run(tx, conn, kAddUser, user.name, user.password_hash, user.role,
                          user.vip_until, user.disabled, user.last_login_at);
      if (rows.empty()) return std::optional<std::int64_t>();  // the name is taken
      return std::optional(integer_of(rows[0][0]));
    });
  }

  std::optional<User> user(std::int64_t id) override {
    return read("user", [&](pqxx::nontransaction& tx, Connection& conn) {
      return first_user(pg::run(tx, conn, kUserById, id));
    });
  }

  std::optional<User> user_by_name(std::string_view name) override {
    return read("user_by_name", [&](pqxx::nontransaction& tx, Connection& conn) {
      return first_user(pg::run(tx, conn, kUserByName, str(name)));
    });
  }

  std::vector<User> users(std::size_t limit, std::size_t offset) override {
    return read("users", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<User> out;
      for (const auto& row : pg::run(tx, conn, kUsers, sql_count(limit), sql_count(offset))) {
        out.push_back(read_user(row));
      }
      return out;
    });
  }

  std::int64_t user_count() override { return single_integer("user_count", kUserCount); }

  std::int64_t admin_count() override { return single_integer("admin_count", kAdminCount); }

  bool set_password_hash(std::int64_t id, std::string_view hash) override {
    require_text("set_password_hash", "the hash", hash);
    return write_rows("set_password_hash", kSetPasswordHash, id, str(hash)) != 0;
  }

  bool set_role(std::int64_t id, std::string_view role, std::string_view vip_until) override {
    require_role("set_role", role, vip_until);
    return write_rows("set_role", kSetRole, id, str(role), str(vip_until)) != 0;
  }

  bool set_disabled(std::int64_t id, bool disabled) override {
    return write("set_disabled", [&](pqxx::work& tx, Connection& conn) {
      if (pg::run(tx, conn, kSetDisabled, id, disabled).affected_rows() == 0) return false;
      if (disabled) pg::run(tx, conn, kDeleteSessionsOf, id, std::string());
      return true;
    });
  }

  bool mark_login(std::int64_t id) override {
    return write_rows("mark_login", kMarkLogin, id) != 0;
  }

  void add_session(const Session& session) override {
    require_texts("add_session",
                  {{"the token hash", session.token_hash}, {"the user agent", session.user_agent}});
    const auto added = write_rows("add_session", kAddSession, session.token_hash, session.user_id,
                                  session.created_at, session.last_seen_at, session.expires_at,
                                  session.user_agent);
    if (added == 0) {
      throw StoreError(
          fmt::format("store add_session: no account {} that may log in", session.user_id));
    }
  }

  std::optional<SessionUser> session(std::string_view token_hash) override {
    return read("session", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto rows = pg::run(tx, conn, kSession, str(token_hash));
      if (rows.empty()) return std::optional<SessionUser>();
      return std::optional(
          SessionUser{read_session(rows[0]), read_user(rows[0], kUserColumnOfSession)});
    });
  }

  void touch_session(std::string_view token_hash, std::int64_t last_seen_at) override {
    write_rows("touch_session", kTouchSession, str(token_hash), last_seen_at);
  }

  bool delete_session(std::string_view token_hash) override {
    return write_rows("delete_session", kDeleteSession, str(token_hash)) != 0;
  }

  std::int64_t delete_sessions_of(std::int64_t user_id, std::string_view keep_token_hash) override {
    return write_rows("delete_sessions_of", kDeleteSessionsOf, user_id, str(keep_token_hash));
  }

  std::vector<Session> sessions_of(std::int64_t user_id) override {
    return read("sessions_of", [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<Session> out;
      for (const auto& row : pg::run(tx, conn, kSessionsOf, user_id)) {
        out.push_back(read_session(row));
      }
      return out;
    });
  }

  std::int64_t delete_expired_sessions(std::int64_t now) override {
    return write_rows("delete_expired_sessions", kDeleteExpiredSessions, now);
  }

  void add_login_failure(std::string_view key, std::int64_t at) override {
    require_text("add_login_failure", "the key", key);
    write("add_login_failure", [&](pqxx::work& tx, Connection& conn) {
      pg::run(tx, conn, kAddLoginFailure, str(key), at);
      pg::run(tx, conn, kPruneLoginFailures, at);
      return true;
    });
  }

  LoginFailures login_failures(std::string_view key, std::int64_t since) override {
    return read("login_failures", [&](pqxx::nontransaction& tx, Connection& conn) {
      auto row = pg::run(tx, conn, kLoginFailures, str(key), since)[0];
      return LoginFailures{integer_of(row[0]), integer_of(row[1])};
    });
  }

  void clear_login_failures(std::string_view key) override {
    write_rows("clear_login_failures", kClearLoginFailures, str(key));
  }

  bool add_favorite(std::int64_t user_id, std::string_view doc_id, std::int64_t at) override {
    return write_rows("add_favorite", kFavoritesSql.add, user_id, str(doc_id), at) != 0;
  }

  bool remove_favorite(std::int64_t user_id, std::string_view doc_id) override {
    return write_rows("remove_favorite", kRemoveFavorite, user_id, str(doc_id)) != 0;
  }

  bool is_favorite(std::int64_t user_id, std::string_view doc_id) override {
    return read("is_favorite", [&](pqxx::nontransaction& tx, Connection& conn) {
      return !pg::run(tx, conn, kIsFavorite, user_id, str(doc_id)).empty();
    });
  }

  std::vector<MemberDoc> favorites(std::int64_t user_id, std::size_t limit,
                                   std::size_t offset) override {
    return member_docs("favorites", kFavoritesSql, user_id, limit, offset);
  }

  std::int64_t favorite_count(std::int64_t user_id) override {
    return single_integer("favorite_count", kFavoritesSql.count, user_id);
  }

  bool add_history(std::int64_t user_id, std::string_view doc_id, std::int64_t at) override {
    return write("add_history", [&](pqxx::work& tx, Connection& conn) {
      if (pg::run(tx, conn, kHistorySql.add, user_id, str(doc_id), at).affected_rows() == 0) {
        return false;
      }
      pg::run(tx, conn, kTrimHistory, user_id, kMaxHistory);
      return true;
    });
  }

  std::vector<MemberDoc> history(std::int64_t user_id, std::size_t limit,
                                 std::size_t offset) override {
    return member_docs("history", kHistorySql, user_id, limit, offset);
  }

  std::int64_t history_count(std::int64_t user_id) override {
    return single_integer("history_count", kHistorySql.count, user_id);
  }

  std::int64_t clear_history(std::int64_t user_id) override {
    return write_rows("clear_history", kClearHistory, user_id);
  }

 private:
  // Runs `f(tx, conn)` in a read on the primary, or on the standby while the primary cannot
  // be reached. Throws StoreError naming `operation`.
  template <typename F>
  std::invoke_result_t<F&, pqxx::nontransaction&, Connection&> read(std::string_view operation,
                                                                    F&& f) {
    if (standby_ && primary_unreachable()) return read_on(*standby_, operation, f);
    try {
      return read_on(primary_, operation, f);
    } catch (const StoreUnavailable&) {
      if (!standby_) throw;
      mark_primary_unreachable();
      return read_on(*standby_, operation, f);
    }
  }

  template <typename F>
  std::invoke_result_t<F&, pqxx::nontransaction&, Connection&> read_on(Pool& pool,
                                                                       std::string_view operation,
                                                                       F& f) {
    for (int attempt = 0;; ++attempt) {
      auto lease = pool.borrow();
      try {
        pqxx::nontransaction tx(lease->raw());
        return f(tx, *lease);
      } catch (const pqxx::broken_connection&) {
        lease.discard();
        // An idle connection may have been closed by the server (a restart): once more on a
        // new one.
        if (attempt == 0 && lease.reused()) continue;
        pg::rethrow_as_store_error(operation);
      } catch (...) {
        pg::rethrow_as_store_error(operation);
      }
    }
  }

  // Runs `f(tx, conn)` in a transaction on the primary and commits it, running it again (a
  // few times at most) after a deadlock or serialization failure, or once more when an idle
  // connection turned out to be closed (nothing was committed then). Throws StoreError naming
  // `operation`; StoreUnavailable when the primary cannot be reached or is read-only.
  template <typename F>
  std::invoke_result_t<F&, pqxx::work&, Connection&> write(std::string_view operation, F&& f) {
    for (int attempt = 1;; ++attempt) {
      auto lease = primary_.borrow();
      try {
        pqxx::work tx(lease->raw());
        auto result = f(tx, *lease);
        tx.commit();
        return result;
      } catch (const StoreError&) {
        throw;
      } catch (const pqxx::broken_connection&) {
        lease.discard();
        if (attempt == 1 && lease.reused()) continue;
        pg::rethrow_as_store_error(operation);
      } catch (...) {
        if (attempt < kWriteAttempts && pg::is_transient_conflict()) continue;
        pg::rethrow_as_store_error(operation);
      }
    }
  }

  // Runs one write statement in its own transaction; the number of rows it changed.
  template <typename... Args>
  std::int64_t write_rows(std::string_view operation, std::string_view sql, Args&&... args) {
    return write(operation, [&](pqxx::work& tx, Connection& conn) {
      return static_cast<std::int64_t>(pg::run(tx, conn, sql, args...).affected_rows());
    });
  }

  template <typename... Args>
  std::int64_t single_integer(std::string_view operation, std::string_view sql, Args&&... args) {
    return read(operation, [&](pqxx::nontransaction& tx, Connection& conn) {
      return integer_of(pg::run(tx, conn, sql, args...)[0][0]);
    });
  }

  // Runs kSetDeleted / kSetVisibility on document `id` with `value`; false when there is no
  // such document (and no number is taken).
  bool update_document(std::string_view operation, std::string_view sql, std::string_view id,
                       const std::string& value) {
    return write(operation, [&](pqxx::work& tx, Connection& conn) {
      auto rows = pg::run(tx, conn, sql, str(id), value);
      if (rows.empty()) return false;
      notify(tx, conn, integer_of(rows[0][0]));
      return true;
    });
  }

  // Tells the listening nodes, at commit, that the sequence reached `seq`.
  static void notify(pqxx::work& tx, Connection& conn, std::int64_t seq) {
    pg::run(tx, conn, kNotify, str(kChangesChannel), std::to_string(seq));
  }

  static std::vector<doc::Summary> summaries(const pqxx::result& rows) {
    std::vector<doc::Summary> out;
    for (const auto& row : rows) out.push_back(read_summary(row));
    return out;
  }

  static std::optional<User> first_user(const pqxx::result& rows) {
    return rows.empty() ? std::nullopt : std::optional(read_user(rows[0]));
  }

  std::vector<MemberDoc> member_docs(std::string_view operation, const MemberDocSql& sql,
                                     std::int64_t user_id, std::size_t limit, std::size_t offset) {
    return read(operation, [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<MemberDoc> out;
      for (const auto& row :
           pg::run(tx, conn, sql.list, user_id, sql_count(limit), sql_count(offset))) {
        out.push_back(MemberDoc{read_summary(row), integer_of(row[7])});
      }
      return out;
    });
  }

  std::vector<DayCount> day_counts(std::string_view operation, std::string_view sql,
                                   std::string_view since_day) {
    return read(operation, [&](pqxx::nontransaction& tx, Connection& conn) {
      std::vector<DayCount> out;
      for (const auto& row : pg::run(tx, conn, sql, str(since_day))) {
        out.push_back(DayCount{text_of(row[0]), integer_of(row[1])});
      }
      return out;
    });
  }

  bool primary_unreachable() const {
    return std::chrono::steady_clock::now().time_since_epoch().count() <
           primary_retry_at_.load(std::memory_order_relaxed);
  }

  void mark_primary_unreachable() {
    primary_retry_at_.store(
        (std::chrono::steady_clock::now() + kPrimaryRetryAfter).time_since_epoch().count(),
        std::memory_order_relaxed);
  }

  Pool primary_;
  std::optional<Pool> standby_;
  // steady_clock ticks before which reads go straight to the standby.
  std::atomic<std::chrono::steady_clock::rep> primary_retry_at_{0};
};

}  // namespace

std::unique_ptr<Store> open_postgres(const std::string& url, const std::string& read_url) {
  return std::make_unique<PgStore>(url, read_url);
}

}  // namespace wenku::store
