// store::Store on SQLite: one write connection behind a mutex (SQLite allows one writer at a
// time anyway) and a pool of read connections, which WAL lets run concurrently with the
// writer and with each other, each reading a consistent committed snapshot.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <mutex>
#include <utility>

#include "base/embedded.h"
#include "store/checks.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "text/utf8.h"

namespace wenku::store {

namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

// ---- SQL ----------------------------------------------------------------------------------
// Column order of kSelectDocument* matches read_document; parameters ?1..?11 of kInsert and
// kUpdate match bind_fields.

constexpr std::string_view kNextSeq =
    "UPDATE sequence SET value = value + 1 WHERE id = 1 RETURNING value";
constexpr std::string_view kLastSeq = "SELECT value FROM sequence WHERE id = 1";

constexpr std::string_view kInsert =
    "INSERT INTO documents (id, title, date, category, subcategory, source, url, content, seq,"
    " title_derived, source_note, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, datetime('now'), datetime('now'))"
    " ON CONFLICT (id) DO NOTHING";
// A new document gets the default visibility (006_accounts.sql). Replacing keeps created_at,
// views, the deleted flag and the visibility (only set_deleted and set_visibility change them).
constexpr std::string_view kUpdate =
    "UPDATE documents SET title = ?2, date = ?3, category = ?4, subcategory = ?5, source = ?6,"
    " url = ?7, content = ?8, seq = ?9, title_derived = ?10, source_note = ?11,"
    " updated_at = datetime('now') WHERE id = ?1";
constexpr std::string_view kUpsertFeatures =
    "INSERT INTO doc_features (id, simhash, analysis) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (id) DO UPDATE SET simhash = ?2, analysis = ?3";
constexpr std::string_view kUpsertKeywords =
    "INSERT INTO doc_keywords (id, keywords) VALUES (?1, ?2)"
    " ON CONFLICT (id) DO UPDATE SET keywords = ?2";
// Updates of one document that take a new change sequence number (update_document): ?1 the
// id, ?2 the new value, ?3 the number.
constexpr std::string_view kSetDeleted =
    "UPDATE documents SET deleted = ?2, seq = ?3, updated_at = datetime('now') WHERE id = ?1";
constexpr std::string_view kSetVisibility =
    "UPDATE documents SET visibility = ?2, seq = ?3, updated_at = datetime('now') WHERE id = ?1";

// The columns read_document_text reads, with `content` the expression of the text column.
#define WENKU_DOCUMENT_TEXT_COLUMNS(content)                        \
  "d.id, title, date, category, subcategory, source, url, " content \
  ", seq, views, deleted, created_at, updated_at, visibility, title_derived, source_note"
#define WENKU_SELECT_DOCUMENT \
  "SELECT " WENKU_DOCUMENT_TEXT_COLUMNS("content") \
  ", k.keywords, f.simhash, f.analysis"              \
  " FROM documents d LEFT JOIN doc_features f ON f.id = d.id"  \
  " LEFT JOIN doc_keywords k ON k.id = d.id"
constexpr std::string_view kSelectDocumentById = WENKU_SELECT_DOCUMENT " WHERE d.id = ?1";
constexpr std::string_view kSelectDocumentTextById =
    "SELECT " WENKU_DOCUMENT_TEXT_COLUMNS("content") " FROM documents d WHERE d.id = ?1";
// The same without the text and with the rowid last, for reading an opening of the text
// with Connection::read_prefix.
constexpr std::string_view kSelectDocumentButTextById =
    "SELECT " WENKU_DOCUMENT_TEXT_COLUMNS("''") ", d.rowid FROM documents d WHERE d.id = ?1";
constexpr int kRowidColumnOfButText = 16;
constexpr std::string_view kSelectDocumentsSince =
    WENKU_SELECT_DOCUMENT " WHERE seq > ?1 ORDER BY seq LIMIT ?2";
#undef WENKU_SELECT_DOCUMENT
#undef WENKU_DOCUMENT_TEXT_COLUMNS

// Columns before `content`, so the text's overflow pages are never read (001_init.sql).
constexpr std::string_view kStampById = "SELECT seq, views, deleted FROM documents WHERE id = ?1";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM documents WHERE deleted = 0";
constexpr std::string_view kCategories =
    "SELECT category, COUNT(*) AS n FROM documents WHERE deleted = 0"
    " GROUP BY category ORDER BY n DESC, category";

// list(): live or soft-deleted documents, all or of one category (?3), of any kind or one,
// newest or most viewed first. Each ORDER BY matches a partial index (001_init.sql; the
// 回收站's default order 004_site.sql), which a kind filter walks (on the corpus, the 范文 few
// among 19,541 新闻联播 items: 2 ms for the first page, 14 ms for the last); seq breaks ties so
// pages neither repeat nor skip rows.
std::string list_sql(bool deleted, bool by_category, std::optional<CategoryKind> kind,
                     bool by_views) {
  return fmt::format(
      "SELECT id, title, date, category, views, created_at, updated_at FROM documents"
      " WHERE deleted = {}{}{}"
      " ORDER BY {}, seq DESC LIMIT ?1 OFFSET ?2",
      deleted ? 1 : 0, by_category ? " AND category = ?3" : "", kind_condition("category", kind),
      by_views ? "views DESC" : "date DESC, created_at DESC");
}

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
    "SELECT d.id, d.title, d.date, d.category, d.views, d.created_at, d.updated_at, s.distance"
    " FROM (SELECT b AS other, distance FROM similar_docs WHERE a = ?1"
    "       UNION ALL SELECT a, distance FROM similar_docs WHERE b = ?1) s"
    " JOIN documents d ON d.id = s.other WHERE d.deleted = 0 ORDER BY s.distance, d.id";
// One statement, so the count and the rows come from one snapshot: the row with word ''
// (never a stored word) carries the number of documents.
constexpr std::string_view kWordFrequencies =
    "SELECT '', documents, version FROM word_df_documents"
    " UNION ALL SELECT word, df, 0 FROM word_df";
constexpr std::string_view kWordFrequencyStamp =
    "SELECT version, documents FROM word_df_documents WHERE id = 1";
constexpr std::string_view kClearWordCounts = "DELETE FROM word_df";
constexpr std::string_view kInsertWordCount = "INSERT INTO word_df (word, df) VALUES (?1, ?2)";
constexpr std::string_view kSetWordDocuments =
    "UPDATE word_df_documents SET documents = ?1, version = version + 1 WHERE id = 1";
constexpr std::string_view kSetKeywords = "UPDATE doc_keywords SET keywords = ?2 WHERE id = ?1";

// Views and hot lists (004_site.sql). An event counts when it adds its view_seen row, which
// it does only for an existing document.
constexpr std::string_view kSeeView =
    "INSERT OR IGNORE INTO view_seen (day, id, visitor) SELECT ?1, ?2, ?3"
    " WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?2)";
constexpr std::string_view kAddDayViews =
    "INSERT INTO view_days (day, id, views) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (day, id) DO UPDATE SET views = views + ?3";
constexpr std::string_view kAddViews = "UPDATE documents SET views = views + ?2 WHERE id = ?1";
// Keeps `day` (?1) and the two days before it.
constexpr std::string_view kPruneSeen = "DELETE FROM view_seen WHERE day < date(?1, '-2 days')";
// Sums the window's range of view_days's primary key (day, id) per document, then ranks the
// live ones. The unary + on the grouping term keeps the planner from grouping along
// view_days_id instead, which would read every row of all history plus a lookup for each;
// the range and its sort cost about 0.5 us per view row in the window.
// Documents of one kind only with `kind`.
std::string hot_sql(std::optional<CategoryKind> kind) {
  return fmt::format(
      "SELECT d.id, d.title, d.date, d.category, d.views, d.created_at, d.updated_at, v.n"
      " FROM (SELECT id, SUM(views) AS n FROM view_days WHERE day >= ?1 GROUP BY +id) v"
      " JOIN documents d ON d.id = v.id WHERE d.deleted = 0{}"
      " ORDER BY v.n DESC, d.views DESC, d.date DESC, d.created_at DESC, d.seq DESC LIMIT ?2",
      kind_condition("d.category", kind));
}
constexpr std::string_view kViewsPerDay =
    "SELECT day, SUM(views) FROM view_days WHERE day >= ?1 GROUP BY day ORDER BY day";
constexpr std::string_view kDocumentsPerDay =
    "SELECT substr(created_at, 1, 10) AS day, COUNT(*) FROM documents WHERE created_at >= ?1"
    " GROUP BY day ORDER BY day";

// Categories: defined ones (categories) and used ones (live documents), merged by name, with
// their kinds (none: 范文). A NULL position is a category never ordered.
constexpr std::string_view kCategoryList =
    "SELECT c.name, c.unordered, c.p, c.total, k.kind IS 'reference' FROM ("
    " SELECT name, MAX(position) IS NULL AS unordered, MAX(position) AS p, SUM(n) AS total"
    " FROM ("
    " SELECT name, position, 0 AS n FROM categories"
    " UNION ALL SELECT category, NULL, COUNT(*) FROM documents WHERE deleted = 0"
    " GROUP BY category)"
    " GROUP BY name) c LEFT JOIN category_kinds k ON k.name = c.name"
    " ORDER BY c.unordered, c.p, c.total DESC, c.name";
constexpr std::string_view kCreateCategory =
    "INSERT INTO categories (name, position)"
    " SELECT ?1, COALESCE(MAX(position) + 1, 0) FROM categories WHERE true"
    " ON CONFLICT (name) DO NOTHING";
// Moves the documents of ?1 to ?2, handing out the sequence numbers after the current one in
// the documents' previous order; kAdvanceSeq then takes those numbers.
constexpr std::string_view kMoveCategory =
    "UPDATE documents SET category = ?2, updated_at = datetime('now'),"
    " seq = (SELECT value FROM sequence WHERE id = 1) + m.r"
    " FROM (SELECT id, row_number() OVER (ORDER BY seq) AS r FROM documents"
    "       WHERE category = ?1) AS m"
    " WHERE documents.id = m.id";
constexpr std::string_view kAdvanceSeq = "UPDATE sequence SET value = value + ?1 WHERE id = 1";
constexpr std::string_view kInheritPosition =
    "INSERT INTO categories (name, position) SELECT ?2, position FROM categories WHERE name = ?1"
    " ON CONFLICT (name) DO NOTHING";
constexpr std::string_view kDropCategory = "DELETE FROM categories WHERE name = ?1";
// rename_category, before the documents move: a new name (no kind, not defined, no live
// documents) takes the kind of the old one, whose kind then goes.
constexpr std::string_view kInheritKind =
    "INSERT INTO category_kinds (name, kind) SELECT ?2, kind FROM category_kinds WHERE name = ?1"
    " AND NOT EXISTS (SELECT 1 FROM categories WHERE name = ?2)"
    " AND NOT EXISTS (SELECT 1 FROM documents WHERE category = ?2 AND deleted = 0)"
    " ON CONFLICT (name) DO NOTHING";
constexpr std::string_view kDropKind = "DELETE FROM category_kinds WHERE name = ?1";
constexpr std::string_view kSetKind =
    "INSERT INTO category_kinds (name, kind) VALUES (?1, ?2)"
    " ON CONFLICT (name) DO UPDATE SET kind = ?2";
constexpr std::string_view kReferenceCategories =
    "SELECT name FROM category_kinds WHERE kind = 'reference' ORDER BY name";
// set_category_order: unlisted categories move behind the listed ones, keeping their order;
// kCompactPositions then numbers every category 0, 1, 2, ...
constexpr std::string_view kShiftPositions = "UPDATE categories SET position = position + ?1";
constexpr std::string_view kSetPosition =
    "INSERT INTO categories (name, position) VALUES (?1, ?2)"
    " ON CONFLICT (name) DO UPDATE SET position = ?2";
constexpr std::string_view kCompactPositions =
    "UPDATE categories SET position = m.r - 1"
    " FROM (SELECT name, row_number() OVER (ORDER BY position, name) AS r FROM categories) AS m"
    " WHERE categories.name = m.name";

// 专题 collections. One statement reads collections with their live documents (so from one
// snapshot): a row per (collection, document), or one row with a NULL id for an empty one.
constexpr std::string_view kUpsertCollection =
    "INSERT INTO collections (slug, title, description, position) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (slug) DO UPDATE SET title = ?2, description = ?3, position = ?4";
constexpr std::string_view kClearCollection = "DELETE FROM collection_docs WHERE slug = ?1";
constexpr std::string_view kAddToCollection =
    "INSERT INTO collection_docs (slug, position, id) SELECT ?1, ?2, ?3"
    " WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?3) ON CONFLICT DO NOTHING";
constexpr std::string_view kDeleteCollection = "DELETE FROM collections WHERE slug = ?1";
#define WENKU_SELECT_COLLECTIONS                                               \
  "SELECT c.slug, c.title, c.description, c.position, x.id FROM collections c" \
  " LEFT JOIN (SELECT cd.slug, cd.position, cd.id FROM collection_docs cd"     \
  "            JOIN documents d ON d.id = cd.id WHERE d.deleted = 0) x ON x.slug = c.slug"
constexpr std::string_view kCollections =
    WENKU_SELECT_COLLECTIONS " ORDER BY c.position, c.slug, x.position";
constexpr std::string_view kCollectionBySlug =
    WENKU_SELECT_COLLECTIONS " WHERE c.slug = ?1 ORDER BY x.position";
#undef WENKU_SELECT_COLLECTIONS

// Feedback (联系客服); [unhandled_only].
constexpr std::string_view kAddFeedback =
    "INSERT INTO feedback (contact, message, created_at, client)"
    " VALUES (?1, ?2, datetime('now'), ?3) RETURNING id";
constexpr std::array<std::string_view, 2> kFeedback = {
    "SELECT id, contact, message, created_at, client, handled FROM feedback"
    " ORDER BY id DESC LIMIT ?1 OFFSET ?2",
    "SELECT id, contact, message, created_at, client, handled FROM feedback WHERE handled = 0"
    " ORDER BY id DESC LIMIT ?1 OFFSET ?2",
};
constexpr std::array<std::string_view, 2> kFeedbackCount = {
    "SELECT COUNT(*) FROM feedback",
    "SELECT COUNT(*) FROM feedback WHERE handled = 0",
};
constexpr std::string_view kFeedbackCountSince =
    "SELECT COUNT(*) FROM feedback WHERE client = ?1 AND created_at >= ?2";
constexpr std::string_view kSetFeedbackHandled = "UPDATE feedback SET handled = ?2 WHERE id = ?1";

// The near-duplicate review list: links whose documents are both live, closest first.
#define WENKU_LIVE_SIMILAR_PAIRS                                                           \
  " FROM similar_docs s JOIN documents da ON da.id = s.a JOIN documents db ON db.id = s.b" \
  " WHERE da.deleted = 0 AND db.deleted = 0"
// clang-format off
constexpr std::string_view kSimilarPairs =
    "SELECT da.id, da.title, da.date, da.category, da.views, da.created_at, da.updated_at,"
    " db.id, db.title, db.date, db.category, db.views, db.created_at, db.updated_at, s.distance"
    WENKU_LIVE_SIMILAR_PAIRS " ORDER BY s.distance, s.a, s.b LIMIT ?1 OFFSET ?2";
// clang-format on
constexpr std::string_view kSimilarPairCount = "SELECT COUNT(*)" WENKU_LIVE_SIMILAR_PAIRS;
#undef WENKU_LIVE_SIMILAR_PAIRS
constexpr std::string_view kUnlinkSimilar = "DELETE FROM similar_docs WHERE a = ?1 AND b = ?2";

// Settings and site files; each write bumps settings_version in its transaction.
constexpr std::string_view kSettings = "SELECT key, value FROM settings";
constexpr std::string_view kPutSetting =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2";
constexpr std::string_view kInitSetting =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING";
constexpr std::string_view kSetting = "SELECT value FROM settings WHERE key = ?1";
constexpr std::string_view kSettingsVersion = "SELECT value FROM settings_version WHERE id = 1";
constexpr std::string_view kBumpSettingsVersion =
    "UPDATE settings_version SET value = value + 1 WHERE id = 1";
constexpr std::string_view kPutSiteFile =
    "INSERT INTO site_files (name, content_type, data, updated_at)"
    " VALUES (?1, ?2, ?3, datetime('now')) ON CONFLICT (name) DO UPDATE"
    " SET content_type = ?2, data = ?3, updated_at = datetime('now')";
constexpr std::string_view kSiteFile =
    "SELECT name, content_type, data, updated_at FROM site_files WHERE name = ?1";

// Member accounts and sessions (006_accounts.sql). The columns of WENKU_USER_COLUMNS match
// read_user, those of WENKU_SESSION_COLUMNS read_session. A taken name makes kAddUser return
// no row (the upsert covers the name's uniqueness only: any other failure still fails).
#define WENKU_USER_COLUMNS \
  "u.id, u.name, u.password_hash, u.role, u.vip_until, u.disabled, u.created_at, u.last_login_at"
#define WENKU_SESSION_COLUMNS \
  "s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent"
constexpr std::string_view kAddUser =
    "INSERT INTO users (name, password_hash, role, vip_until, disabled, last_login_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, datetime('now')) ON CONFLICT (name) DO NOTHING RETURNING id";
constexpr std::string_view kUserById = "SELECT " WENKU_USER_COLUMNS " FROM users u WHERE u.id = ?1";
constexpr std::string_view kUserByName =
    "SELECT " WENKU_USER_COLUMNS " FROM users u WHERE u.name = ?1";
constexpr std::string_view kUsers =
    "SELECT " WENKU_USER_COLUMNS " FROM users u ORDER BY u.id LIMIT ?1 OFFSET ?2";
constexpr std::string_view kUserCount = "SELECT COUNT(*) FROM users";
constexpr std::string_view kAdminCount =
    "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0";
constexpr std::string_view kSetPasswordHash = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
constexpr std::string_view kSetRole = "UPDATE users SET role = ?2, vip_until = ?3 WHERE id = ?1";
constexpr std::string_view kSetDisabled = "UPDATE users SET disabled = ?2 WHERE id = ?1";
constexpr std::string_view kMarkLogin =
    "UPDATE users SET last_login_at = datetime('now') WHERE id = ?1";
// Only for an account that exists and is not disabled, so a login racing the account's
// disabling leaves no session behind.
constexpr std::string_view kAddSession =
    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6"
    " WHERE EXISTS (SELECT 1 FROM users WHERE id = ?2 AND disabled = 0)";
constexpr std::string_view kSession =
    "SELECT " WENKU_SESSION_COLUMNS ", " WENKU_USER_COLUMNS
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1";
constexpr int kUserColumnOfSession = 6;
// Never moves last_seen_at back (two server processes may touch a session at once).
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?2) WHERE token_hash = ?1";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = ?1";
// ?2 = '' keeps none: no stored token hash is empty.
constexpr std::string_view kDeleteSessionsOf =
    "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";
constexpr std::string_view kSessionsOf =
    "SELECT " WENKU_SESSION_COLUMNS
    " FROM sessions s WHERE s.user_id = ?1"
    " ORDER BY s.last_seen_at DESC, s.created_at DESC, s.token_hash";
constexpr std::string_view kDeleteExpiredSessions = "DELETE FROM sessions WHERE expires_at < ?1";
#undef WENKU_SESSION_COLUMNS
#undef WENKU_USER_COLUMNS

// Login throttling. Each new failure prunes every key's failures older than a day before it,
// so keys never seen again (one try per name or client) do not pile up.
constexpr std::string_view kAddLoginFailure =
    "INSERT INTO login_failures (key, at) VALUES (?1, ?2)";
constexpr std::string_view kPruneLoginFailures = "DELETE FROM login_failures WHERE at < ?1 - 86400";
constexpr std::string_view kLoginFailures =
    "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failures WHERE key = ?1 AND at >= ?2";
constexpr std::string_view kClearLoginFailures = "DELETE FROM login_failures WHERE key = ?1";

// 我的收藏 and 阅读历史: two tables of one shape (006_accounts.sql), so one set of statements
// per table. Adding needs the account and the document (soft-deleted ones included); lists
// and counts leave soft-deleted documents out, newest first with ties by document id (the
// order of the tables' *_newest indexes). A re-read never moves a history row back in time.
struct MemberDocSql {
  std::string_view add;
  std::string_view list;
  std::string_view count;
};
// clang-format off
#define WENKU_MEMBER_DOC_SQL(table, new_at)                                                 \
  MemberDocSql{                                                                             \
    "INSERT INTO " table " (user_id, doc_id, at) SELECT ?1, ?2, ?3"                         \
    " WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1)"                                     \
    " AND EXISTS (SELECT 1 FROM documents WHERE id = ?2)"                                   \
    " ON CONFLICT (user_id, doc_id) DO UPDATE SET at = " new_at,                            \
    "SELECT d.id, d.title, d.date, d.category, d.views, d.created_at, d.updated_at, m.at"   \
    " FROM " table " m JOIN documents d ON d.id = m.doc_id WHERE m.user_id = ?1"            \
    " AND d.deleted = 0 ORDER BY m.at DESC, m.doc_id LIMIT ?2 OFFSET ?3",                   \
    "SELECT COUNT(*) FROM " table " m JOIN documents d ON d.id = m.doc_id"                  \
    " WHERE m.user_id = ?1 AND d.deleted = 0"}
// clang-format on
constexpr MemberDocSql kFavoritesSql = WENKU_MEMBER_DOC_SQL("favorites", "excluded.at");
constexpr MemberDocSql kHistorySql = WENKU_MEMBER_DOC_SQL("history", "MAX(at, excluded.at)");
#undef WENKU_MEMBER_DOC_SQL
constexpr std::string_view kRemoveFavorite =
    "DELETE FROM favorites WHERE user_id = ?1 AND doc_id = ?2";
constexpr std::string_view kIsFavorite =
    "SELECT 1 FROM favorites WHERE user_id = ?1 AND doc_id = ?2";
// Deletes the history rows of ?1 after the newest ?2, in list order.
constexpr std::string_view kTrimHistory =
    "DELETE FROM history WHERE user_id = ?1 AND doc_id IN (SELECT doc_id FROM history"
    " WHERE user_id = ?1 ORDER BY at DESC, doc_id LIMIT -1 OFFSET ?2)";
constexpr std::string_view kClearHistory = "DELETE FROM history WHERE user_id = ?1";

// ---- helpers ------------------------------------------------------------------------------

void bind_fields(Statement::Use& q, const doc::Document& d, std::int64_t seq) {
  q.bind(1, d.id).bind(2, d.title).bind(3, d.date).bind(4, d.category).bind(5, d.subcategory);
  q.bind(6, d.source).bind(7, d.url).bind(8, d.content).bind(9, seq);
  q.bind(10, std::int64_t{d.title_derived}).bind(11, d.source_note);
}

// Reads the first 16 columns of kSelectDocument* (all but the derived features).
doc::Document read_document_text(const Statement::Use& row) {
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
  d.visibility = visibility_from_word(row.text(13));
  d.title_derived = row.integer(14) != 0;
  d.source_note = row.text(15);
  return d;
}

doc::Document read_document(const Statement::Use& row) {
  doc::Document d = read_document_text(row);
  if (auto keywords = row.text(16); !keywords.empty()) {
    d.keywords = nlohmann::json::parse(keywords).get<std::vector<std::string>>();
  }
  d.simhash = static_cast<std::uint64_t>(row.integer(17));
  d.analysis = row.text(18);
  return d;
}

// Reads the seven summary columns starting at column `first` (id, title, date, category,
// views, created_at, updated_at).
doc::Summary read_summary(const Statement::Use& row, int first = 0) {
  doc::Summary s;
  s.id = row.text(first);
  s.title = row.text(first + 1);
  s.date = row.text(first + 2);
  s.category = row.text(first + 3);
  s.views = row.integer(first + 4);
  s.created_at = row.text(first + 5);
  s.updated_at = row.text(first + 6);
  return s;
}

// Reads the eight columns of an account starting at column `first` (WENKU_USER_COLUMNS).
User read_user(const Statement::Use& row, int first = 0) {
  User u;
  u.id = row.integer(first);
  u.name = row.text(first + 1);
  u.password_hash = row.text(first + 2);
  u.role = row.text(first + 3);
  u.vip_until = row.text(first + 4);
  u.disabled = row.integer(first + 5) != 0;
  u.created_at = row.text(first + 6);
  u.last_login_at = row.text(first + 7);
  return u;
}

// Reads the six columns of a session (WENKU_SESSION_COLUMNS).
Session read_session(const Statement::Use& row) {
  return Session{row.text(0),    row.integer(1), row.integer(2),
                 row.integer(3), row.integer(4), row.text(5)};
}

// Collections from rows of kCollections / kCollectionBySlug (consecutive rows per slug).
std::vector<Collection> read_collections(Statement::Use& q) {
  std::vector<Collection> out;
  while (q.step()) {
    auto slug = q.text(0);
    if (out.empty() || out.back().slug != slug) {
      out.push_back(
          Collection{std::move(slug), q.text(1), q.text(2), static_cast<int>(q.integer(3)), {}});
    }
    if (auto id = q.text(4); !id.empty()) out.back().ids.push_back(std::move(id));
  }
  return out;
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
    for (std::size_t i = 0; i < docs.size(); ++i) require_storable(docs[i], i);
    std::vector<PutResult> results;
    results.reserve(docs.size());
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    for (const auto& d : docs) results.push_back(write(d));
    tx.commit();
    return results;
  }

  bool set_deleted(std::string_view id, bool deleted) override {
    return update_document(kSetDeleted, id, std::int64_t{deleted});
  }

  std::optional<doc::Document> get(std::string_view id) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSelectDocumentById).use();
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return read_document(q);
  }

  std::optional<doc::Document> get_text(std::string_view id,
                                        std::size_t max_content_bytes) override {
    const bool whole = max_content_bytes >= static_cast<std::size_t>(INT64_MAX);
    auto conn = readers_.borrow();
    auto q = conn->statement(whole ? kSelectDocumentTextById : kSelectDocumentButTextById).use();
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    auto d = read_document_text(q);
    if (!whole) {
      // While q still holds its row, so the opening comes from the same snapshot.
      d.content = conn->read_prefix("documents", "content", q.integer(kRowidColumnOfButText),
                                    max_content_bytes);
      d.content.resize(text::whole_code_points(d.content).size());
    }
    return d;
  }

  std::vector<std::optional<doc::Document>> get_texts(const std::vector<std::string>& ids,
                                                      std::size_t max_content_bytes) override {
    // One statement per document: each is microseconds in process, no round trip to save.
    std::vector<std::optional<doc::Document>> out;
    out.reserve(ids.size());
    for (const auto& id : ids) out.push_back(get_text(id, max_content_bytes));
    return out;
  }

  std::optional<DocStamp> stamp(std::string_view id) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kStampById).use();
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return DocStamp{q.integer(0), q.integer(1), q.integer(2) != 0};
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
    const bool by_category = query.category.has_value();
    const bool by_views = query.sort == SortOrder::kMostViewed;
    auto conn = readers_.borrow();
    auto q = conn->statement(list_sql(query.deleted, by_category, query.kind, by_views)).use();
    q.bind(1, sql_count(query.limit)).bind(2, sql_count(query.offset));
    if (by_category) q.bind(3, *query.category);
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
    while (q.step()) out.push_back(SimilarDoc{read_summary(q), static_cast<int>(q.integer(7))});
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
        out.version = q.integer(2);
      } else {
        out.counts.emplace_back(std::move(word), q.integer(1));
      }
    }
    return out;
  }

  WordFrequencyStamp word_frequencies_stamp() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kWordFrequencyStamp).use();
    WordFrequencyStamp out;
    if (q.step()) out = {q.integer(0), q.integer(1)};
    return out;
  }

  void replace_word_frequencies(const WordFrequencies& frequencies) override {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kClearWordCounts).use().step();
    // In key order, each row goes to the end of the table's B-tree: for the corpus's 600,000
    // words several times faster than inserting them in hash order.
    std::vector<const std::pair<std::string, std::int64_t>*> rows;
    rows.reserve(frequencies.counts.size());
    for (const auto& row : frequencies.counts) rows.push_back(&row);
    std::ranges::sort(rows, {}, [](const auto* row) -> const std::string& { return row->first; });
    for (const auto* row : rows) {
      auto q = writer_.statement(kInsertWordCount).use();
      q.bind(1, row->first).bind(2, row->second);
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

  std::int64_t add_views(const std::vector<ViewEvent>& events) override {
    require_days(events);
    if (events.empty()) return 0;
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    // Counted events are summed per (day, document) and per document first, so a batch
    // writes each view_days row and each document row once.
    std::map<std::pair<std::string_view, std::string_view>, std::int64_t> per_day;
    for (const auto& e : events) {
      auto q = writer_.statement(kSeeView).use();
      q.bind(1, e.day).bind(2, e.id).bind(3, e.visitor);
      q.step();
      if (writer_.changes() == 1) ++per_day[{e.day, e.id}];
    }
    std::map<std::string_view, std::int64_t> per_document;
    std::int64_t counted = 0;
    for (const auto& [key, n] : per_day) {
      auto q = writer_.statement(kAddDayViews).use();
      q.bind(1, key.first).bind(2, key.second).bind(3, n);
      q.step();
      per_document[key.second] += n;
      counted += n;
    }
    for (const auto& [id, n] : per_document) {
      auto q = writer_.statement(kAddViews).use();
      q.bind(1, id).bind(2, n);
      q.step();
    }
    const auto latest = std::max_element(
        events.begin(), events.end(), [](const auto& x, const auto& y) { return x.day < y.day; });
    writer_.statement(kPruneSeen).use().bind(1, latest->day).step();
    tx.commit();
    return counted;
  }

  std::vector<HotDoc> hot(std::string_view since_day, std::size_t limit,
                          std::optional<CategoryKind> kind) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(hot_sql(kind)).use();
    q.bind(1, since_day).bind(2, sql_count(limit));
    std::vector<HotDoc> out;
    while (q.step()) out.push_back(HotDoc{read_summary(q), q.integer(7)});
    return out;
  }

  std::vector<DayCount> views_per_day(std::string_view since_day) override {
    return day_counts(kViewsPerDay, since_day);
  }

  std::vector<DayCount> documents_per_day(std::string_view since_day) override {
    return day_counts(kDocumentsPerDay, since_day);
  }

  std::vector<Category> category_list() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kCategoryList).use();
    std::vector<Category> out;
    int next_position = 0;  // reported for categories never ordered: after every ordered one
    while (q.step()) {
      const bool ordered = q.integer(1) == 0;
      const int position = ordered ? static_cast<int>(q.integer(2)) : next_position;
      if (ordered) next_position = position + 1;
      out.push_back(Category{q.text(0), position, q.integer(3),
                             q.integer(4) != 0 ? CategoryKind::kReference : CategoryKind::kModel});
    }
    return out;
  }

  void create_category(std::string_view name) override {
    require_name("create_category", "the name", name);
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kCreateCategory).use().bind(1, name).step();
    tx.commit();
  }

  std::int64_t rename_category(std::string_view from, std::string_view to) override {
    require_name("rename_category", "the new name", to);
    require_text("rename_category", "the old name", from);
    if (from == to) return 0;
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kInheritKind).use().bind(1, from).bind(2, to).step();
    writer_.statement(kDropKind).use().bind(1, from).step();
    writer_.statement(kMoveCategory).use().bind(1, from).bind(2, to).step();
    const std::int64_t moved = writer_.changes();
    writer_.statement(kAdvanceSeq).use().bind(1, moved).step();
    writer_.statement(kInheritPosition).use().bind(1, from).bind(2, to).step();
    writer_.statement(kDropCategory).use().bind(1, from).step();
    tx.commit();
    return moved;
  }

  void set_category_order(const std::vector<std::string>& names) override {
    for (std::size_t i = 0; i < names.size(); ++i) {
      require_text("set_category_order", fmt::format("name #{}", i), names[i]);
    }
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kShiftPositions).use().bind(1, sql_count(names.size())).step();
    for (std::size_t i = 0; i < names.size(); ++i) {
      writer_.statement(kSetPosition).use().bind(1, names[i]).bind(2, sql_count(i)).step();
    }
    writer_.statement(kCompactPositions).use().step();
    tx.commit();
  }

  void set_category_kind(std::string_view name, CategoryKind kind) override {
    require_text("set_category_kind", "the name", name);
    std::lock_guard lock(write_mutex_);
    writer_.statement(kSetKind).use().bind(1, name).bind(2, kind_code(kind)).step();
  }

  std::vector<std::string> reference_categories() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kReferenceCategories).use();
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.text(0));
    return out;
  }

  void put_collection(const Collection& collection) override {
    require_collection(collection);
    const auto& slug = collection.slug;
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    {
      auto q = writer_.statement(kUpsertCollection).use();
      q.bind(1, slug).bind(2, collection.title).bind(3, collection.description);
      q.bind(4, std::int64_t{collection.position});
      q.step();
    }
    writer_.statement(kClearCollection).use().bind(1, slug).step();
    std::int64_t position = 0;  // counts only the documents kept, so positions have no gaps
    for (const auto& id : collection.ids) {
      writer_.statement(kAddToCollection).use().bind(1, slug).bind(2, position).bind(3, id).step();
      position += writer_.changes();
    }
    tx.commit();
  }

  bool delete_collection(std::string_view slug) override {
    return write_one_row(kDeleteCollection, [&](Statement::Use& q) { q.bind(1, slug); });
  }

  std::vector<Collection> collections() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kCollections).use();
    return read_collections(q);
  }

  std::optional<Collection> collection(std::string_view slug) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kCollectionBySlug).use();
    q.bind(1, slug);
    auto found = read_collections(q);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::int64_t add_feedback(const Feedback& feedback) override {
    require_texts("add_feedback", {{"the contact", feedback.contact},
                                   {"the message", feedback.message},
                                   {"the client key", feedback.client}});
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    std::int64_t id = 0;
    {
      auto q = writer_.statement(kAddFeedback).use();
      q.bind(1, feedback.contact).bind(2, feedback.message).bind(3, feedback.client);
      q.step_row();
      id = q.integer(0);
    }
    tx.commit();
    return id;
  }

  std::vector<Feedback> feedback(bool unhandled_only, std::size_t limit,
                                 std::size_t offset) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kFeedback[unhandled_only]).use();
    q.bind(1, sql_count(limit)).bind(2, sql_count(offset));
    std::vector<Feedback> out;
    while (q.step()) {
      out.push_back(
          Feedback{q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5) != 0});
    }
    return out;
  }

  std::int64_t feedback_count(bool unhandled_only) override {
    return single_integer(kFeedbackCount[unhandled_only]);
  }

  std::int64_t feedback_count_since(std::string_view client, std::string_view since) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kFeedbackCountSince).use();
    q.bind(1, client).bind(2, since);
    q.step_row();
    return q.integer(0);
  }

  bool set_feedback_handled(std::int64_t id, bool handled) override {
    return write_one_row(kSetFeedbackHandled,
                         [&](Statement::Use& q) { q.bind(1, id).bind(2, std::int64_t{handled}); });
  }

  std::vector<SimilarPairSummary> similar_pairs(std::size_t limit, std::size_t offset) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSimilarPairs).use();
    q.bind(1, sql_count(limit)).bind(2, sql_count(offset));
    std::vector<SimilarPairSummary> out;
    while (q.step()) {
      out.push_back(
          SimilarPairSummary{read_summary(q), read_summary(q, 7), static_cast<int>(q.integer(14))});
    }
    return out;
  }

  std::int64_t similar_pair_count() override { return single_integer(kSimilarPairCount); }

  bool unlink_similar(std::string_view a, std::string_view b) override {
    if (b < a) std::swap(a, b);  // stored with a < b
    return write_one_row(kUnlinkSimilar, [&](Statement::Use& q) { q.bind(1, a).bind(2, b); });
  }

  std::map<std::string, std::string> settings() override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSettings).use();
    std::map<std::string, std::string> out;
    while (q.step()) out.emplace(q.text(0), q.text(1));
    return out;
  }

  void set_settings(const std::map<std::string, std::string>& values) override {
    for (const auto& [key, value] : values) {
      require_text("set_settings", "a key", key);
      require_text("set_settings", fmt::format("the value of \"{}\"", key), value);
    }
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    for (const auto& [key, value] : values) {
      writer_.statement(kPutSetting).use().bind(1, key).bind(2, value).step();
    }
    writer_.statement(kBumpSettingsVersion).use().step();
    tx.commit();
  }

  std::int64_t settings_version() override { return single_integer(kSettingsVersion); }

  std::string ensure_setting(std::string_view key, std::string_view initial) override {
    require_texts("ensure_setting", {{"a key", key}, {"the initial value", initial}});
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kInitSetting).use().bind(1, key).bind(2, initial).step();
    auto q = writer_.statement(kSetting).use();
    q.bind(1, key);
    q.step();
    std::string value = q.text(0);
    tx.commit();
    return value;
  }

  void put_site_file(const SiteFile& file) override {
    require_name("put_site_file", "the name", file.name);
    require_text("put_site_file", "the content type", file.content_type);
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    {
      auto q = writer_.statement(kPutSiteFile).use();
      q.bind(1, file.name).bind(2, file.content_type).bind_blob(3, file.data);
      q.step();
    }
    writer_.statement(kBumpSettingsVersion).use().step();
    tx.commit();
  }

  std::optional<SiteFile> site_file(std::string_view name) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSiteFile).use();
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    return SiteFile{q.text(0), q.text(1), q.text(2), q.text(3)};
  }

  bool set_visibility(std::string_view id, doc::Visibility visibility) override {
    return update_document(kSetVisibility, id, doc::visibility_name(visibility));
  }

  std::optional<std::int64_t> add_user(const User& user) override {
    require_texts("add_user", {{"the name", user.name},
                               {"the password hash", user.password_hash},
                               {"last_login_at", user.last_login_at}});
    require_role("add_user", user.role, user.vip_until);
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    std::int64_t id = 0;
    {
      auto q = writer_.statement(kAddUser).use();
      q.bind(1, user.name).bind(2, user.password_hash).bind(3, user.role).bind(4, user.vip_until);
      q.bind(5, std::int64_t{user.disabled}).bind(6, user.last_login_at);
      if (!q.step()) return std::nullopt;  // the name is taken
      id = q.integer(0);
    }
    tx.commit();
    return id;
  }

  std::optional<User> user(std::int64_t id) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kUserById).use();
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return read_user(q);
  }

  std::optional<User> user_by_name(std::string_view name) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kUserByName).use();
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    return read_user(q);
  }

  std::vector<User> users(std::size_t limit, std::size_t offset) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kUsers).use();
    q.bind(1, sql_count(limit)).bind(2, sql_count(offset));
    std::vector<User> out;
    while (q.step()) out.push_back(read_user(q));
    return out;
  }

  std::int64_t user_count() override { return single_integer(kUserCount); }

  std::int64_t admin_count() override { return single_integer(kAdminCount); }

  bool set_password_hash(std::int64_t id, std::string_view hash) override {
    require_text("set_password_hash", "the hash", hash);
    return write_one_row(kSetPasswordHash, [&](Statement::Use& q) { q.bind(1, id).bind(2, hash); });
  }

  bool set_role(std::int64_t id, std::string_view role, std::string_view vip_until) override {
    require_role("set_role", role, vip_until);
    return write_one_row(
        kSetRole, [&](Statement::Use& q) { q.bind(1, id).bind(2, role).bind(3, vip_until); });
  }

  bool set_disabled(std::int64_t id, bool disabled) override {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kSetDisabled).use().bind(1, id).bind(2, std::int64_t{disabled}).step();
    if (writer_.changes() == 0) return false;
    if (disabled) {
      writer_.statement(kDeleteSessionsOf).use().bind(1, id).bind(2, std::string_view()).step();
    }
    tx.commit();
    return true;
  }

  bool mark_login(std::int64_t id) override {
    return write_one_row(kMarkLogin, [&](Statement::Use& q) { q.bind(1, id); });
  }

  void add_session(const Session& session) override {
    require_texts("add_session",
                  {{"the token hash", session.token_hash}, {"the user agent", session.user_agent}});
    const bool added = write_one_row(kAddSession, [&](Statement::Use& q) {
      q.bind(1, session.token_hash).bind(2, session.user_id).bind(3, session.created_at);
      q.bind(4, session.last_seen_at).bind(5, session.expires_at).bind(6, session.user_agent);
    });
    if (!added) {
      throw StoreError(
          fmt::format("store add_session: no account {} that may log in", session.user_id));
    }
  }

  std::optional<SessionUser> session(std::string_view token_hash) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSession).use();
    q.bind(1, token_hash);
    if (!q.step()) return std::nullopt;
    return SessionUser{read_session(q), read_user(q, kUserColumnOfSession)};
  }

  void touch_session(std::string_view token_hash, std::int64_t last_seen_at) override {
    write_one_row(kTouchSession,
                  [&](Statement::Use& q) { q.bind(1, token_hash).bind(2, last_seen_at); });
  }

  bool delete_session(std::string_view token_hash) override {
    return write_one_row(kDeleteSession, [&](Statement::Use& q) { q.bind(1, token_hash); });
  }

  std::int64_t delete_sessions_of(std::int64_t user_id, std::string_view keep_token_hash) override {
    return write_rows(kDeleteSessionsOf,
                      [&](Statement::Use& q) { q.bind(1, user_id).bind(2, keep_token_hash); });
  }

  std::vector<Session> sessions_of(std::int64_t user_id) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kSessionsOf).use();
    q.bind(1, user_id);
    std::vector<Session> out;
    while (q.step()) out.push_back(read_session(q));
    return out;
  }

  std::int64_t delete_expired_sessions(std::int64_t now) override {
    return write_rows(kDeleteExpiredSessions, [&](Statement::Use& q) { q.bind(1, now); });
  }

  void add_login_failure(std::string_view key, std::int64_t at) override {
    require_text("add_login_failure", "the key", key);
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kAddLoginFailure).use().bind(1, key).bind(2, at).step();
    writer_.statement(kPruneLoginFailures).use().bind(1, at).step();
    tx.commit();
  }

  LoginFailures login_failures(std::string_view key, std::int64_t since) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kLoginFailures).use();
    q.bind(1, key).bind(2, since);
    q.step_row();
    return LoginFailures{q.integer(0), q.integer(1)};
  }

  void clear_login_failures(std::string_view key) override {
    write_rows(kClearLoginFailures, [&](Statement::Use& q) { q.bind(1, key); });
  }

  bool add_favorite(std::int64_t user_id, std::string_view doc_id, std::int64_t at) override {
    return write_one_row(kFavoritesSql.add, [&](Statement::Use& q) {
      q.bind(1, user_id).bind(2, doc_id).bind(3, at);
    });
  }

  bool remove_favorite(std::int64_t user_id, std::string_view doc_id) override {
    return write_one_row(kRemoveFavorite,
                         [&](Statement::Use& q) { q.bind(1, user_id).bind(2, doc_id); });
  }

  bool is_favorite(std::int64_t user_id, std::string_view doc_id) override {
    auto conn = readers_.borrow();
    auto q = conn->statement(kIsFavorite).use();
    q.bind(1, user_id).bind(2, doc_id);
    return q.step();
  }

  std::vector<MemberDoc> favorites(std::int64_t user_id, std::size_t limit,
                                   std::size_t offset) override {
    return member_docs(kFavoritesSql, user_id, limit, offset);
  }

  std::int64_t favorite_count(std::int64_t user_id) override {
    return member_doc_count(kFavoritesSql, user_id);
  }

  bool add_history(std::int64_t user_id, std::string_view doc_id, std::int64_t at) override {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    writer_.statement(kHistorySql.add).use().bind(1, user_id).bind(2, doc_id).bind(3, at).step();
    if (writer_.changes() == 0) return false;
    writer_.statement(kTrimHistory).use().bind(1, user_id).bind(2, kMaxHistory).step();
    tx.commit();
    return true;
  }

  std::vector<MemberDoc> history(std::int64_t user_id, std::size_t limit,
                                 std::size_t offset) override {
    return member_docs(kHistorySql, user_id, limit, offset);
  }

  std::int64_t history_count(std::int64_t user_id) override {
    return member_doc_count(kHistorySql, user_id);
  }

  std::int64_t clear_history(std::int64_t user_id) override {
    return write_rows(kClearHistory, [&](Statement::Use& q) { q.bind(1, user_id); });
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
    features.bind(1, d.id).bind(2, static_cast<std::int64_t>(d.simhash)).bind(3, d.analysis);
    features.step();
    auto keywords = writer_.statement(kUpsertKeywords).use();
    keywords.bind(1, d.id).bind(2, nlohmann::json(d.keywords).dump());
    keywords.step();
    return PutResult{d.id, inserted, seq};
  }

  // Runs the update `sql` of document `id` (?1), setting `value` (?2) and a new change
  // sequence number (?3), in its own transaction; false when no document has `id`.
  template <typename Value>
  bool update_document(std::string_view sql, std::string_view id, const Value& value) {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    const std::int64_t seq = next_seq();
    {
      auto update = writer_.statement(sql).use();
      update.bind(1, id).bind(2, value).bind(3, seq);
      update.step();
    }
    if (writer_.changes() == 0) return false;  // the rollback returns the unused number
    tx.commit();
    return true;
  }

  // Runs the write `sql` (parameters bound by `bind`) in its own transaction and returns the
  // number of rows it changed.
  template <typename Bind>
  std::int64_t write_rows(std::string_view sql, const Bind& bind) {
    std::lock_guard lock(write_mutex_);
    Transaction tx(writer_);
    {
      auto q = writer_.statement(sql).use();
      bind(q);
      q.step();
    }
    const std::int64_t changed = writer_.changes();
    tx.commit();
    return changed;
  }

  // As write_rows; true when `sql` changed a row.
  template <typename Bind>
  bool write_one_row(std::string_view sql, const Bind& bind) {
    return write_rows(sql, bind) != 0;
  }

  // A page of the favorites or history (`sql`) of `user_id`.
  std::vector<MemberDoc> member_docs(const MemberDocSql& sql, std::int64_t user_id,
                                     std::size_t limit, std::size_t offset) {
    auto conn = readers_.borrow();
    auto q = conn->statement(sql.list).use();
    q.bind(1, user_id).bind(2, sql_count(limit)).bind(3, sql_count(offset));
    std::vector<MemberDoc> out;
    while (q.step()) out.push_back(MemberDoc{read_summary(q), q.integer(7)});
    return out;
  }

  std::int64_t member_doc_count(const MemberDocSql& sql, std::int64_t user_id) {
    auto conn = readers_.borrow();
    auto q = conn->statement(sql.count).use();
    q.bind(1, user_id);
    q.step_row();
    return q.integer(0);
  }

  // Rows (day, count) of `sql` for days >= `since_day` (?1).
  std::vector<DayCount> day_counts(std::string_view sql, std::string_view since_day) {
    auto conn = readers_.borrow();
    auto q = conn->statement(sql).use();
    q.bind(1, since_day);
    std::vector<DayCount> out;
    while (q.step()) out.push_back(DayCount{q.text(0), q.integer(1)});
    return out;
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
