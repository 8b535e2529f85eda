// The store: the single source of truth for documents. The search index and every other
// derived structure can be rebuilt from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
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

// ---- site data (issue 6) ----

// One counted view: `visitor` (an opaque key: cookie id or IP+UA hash) read document `id`
// on `day` ("YYYY-MM-DD", the server's local calendar day).
struct ViewEvent {
  std::string id;
  std::string day;
  std::string visitor;
};

// A document with its views over some period (hot lists).
struct HotDoc {
  doc::Summary doc;
  std::int64_t period_views = 0;
};

// A count for one calendar day ("YYYY-MM-DD"), for the admin dashboard charts.
struct DayCount {
  std::string day;
  std::int64_t count = 0;
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

// A 专题 collection: an ordered, curated list of documents.
struct Collection {
  std::string slug;  // [a-z0-9-]+, the address /topic/{slug}
  std::string title;
  std::string description;
  int position = 0;  // display order on the home page, ascending
  // Document ids in the curated order. Reads leave out soft-deleted documents (they come
  // back when restored).
  std::vector<std::string> ids;
};

// A message left through 联系客服.
struct Feedback {
  std::int64_t id = 0;  // assigned by add_feedback
  std::string contact;
  std::string message;
  std::string created_at;  // "YYYY-MM-DD HH:MM:SS" UTC, set by add_feedback
  std::string client;      // opaque client key (IP hash) for rate limiting; never shown
  bool handled = false;
};

// A near-duplicate link with both documents' summaries, for the admin's review list.
struct SimilarPairSummary {
  doc::Summary a;
  doc::Summary b;
  int distance = 0;
};

// A file the admin uploaded for the site (e.g. the 微信订阅号 QR image).
struct SiteFile {
  std::string name;  // key, e.g. "wechat-qr"
  std::string content_type;
  std::string data;  // raw bytes
  std::string updated_at;
};

// ---- member accounts (issue 17) ----

// A site account. Names are stored as given: callers validate and normalise them first.
struct User {
  std::int64_t id = 0;        // assigned by add_user
  std::string name;           // unique
  std::string password_hash;  // crypto_pwhash_str output ("$argon2id$…"); never a password
  std::string role;           // "member", "vip" or "admin"
  std::string vip_until;      // "YYYY-MM-DD": a vip role lapses after that day; "": no expiry
  bool disabled = false;      // a disabled account cannot log in; its sessions are revoked
  std::string created_at;     // "YYYY-MM-DD HH:MM:SS" UTC, set by add_user
  std::string last_login_at;  // same format; "" before the first login
};

// A login session. The cookie carries a random token; only its hash is stored.
struct Session {
  std::string token_hash;  // lower-case hex digest of the cookie token
  std::int64_t user_id = 0;
  std::int64_t created_at = 0;    // Unix seconds
  std::int64_t last_seen_at = 0;  // Unix seconds, moved forward by touch_session
  std::int64_t expires_at = 0;    // Unix seconds: absolute end, whatever the activity
  std::string user_agent;         // as sent at login (cut by the caller), shown on /me
};

// A session with the account it belongs to.
struct SessionUser {
  Session session;
  User user;
};

// Failed logins recorded for one throttle key since some time.
struct LoginFailures {
  std::int64_t count = 0;
  std::int64_t last_at = 0;  // Unix seconds of the latest one; 0 when count is 0
};

// A document in a member's 收藏 or 阅读历史, with when it was added or last read.
struct MemberDoc {
  doc::Summary doc;
  std::int64_t at = 0;  // Unix seconds
};

// Every method is safe to call from several threads at once.
class Store {
 public:
  virtual ~Store() = default;

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

  // The stamp of document `id` (soft-deleted ones included) without reading its text; cheap.
  virtual std::optional<DocStamp> stamp(std::string_view id) = 0;

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

  // ---- views and hot lists (no change sequence number) ----

  // Counts `events` in one transaction: an event counts only when the same (id, day,
  // visitor) was not counted before (so several server processes and restarts never count a
  // visitor twice per document per day); a counted event adds one to the document's daily
  // total for `day` and to its `views`. Events naming unknown documents are ignored. Returns
  // the number of events counted. Dedupe records older than `day` minus 2 days may be pruned.
  virtual std::int64_t add_views(const std::vector<ViewEvent>& events) = 0;

  // The `limit` live documents with the most views on days >= `since_day`, most first (ties:
  // total views, then newest); documents without views in the period are not listed. With
  // `kind`, only documents of categories of that kind.
  virtual std::vector<HotDoc> hot(std::string_view since_day, std::size_t limit,
                                  std::optional<CategoryKind> kind) = 0;

  // Views per day on days >= `since_day`, ascending by day; days without views omitted.
  virtual std::vector<DayCount> views_per_day(std::string_view since_day) = 0;

  // Documents created (first inserted) per day on days >= `since_day` (UTC created_at),
  // ascending; days without new documents omitted. Soft-deleted ones included.
  virtual std::vector<DayCount> documents_per_day(std::string_view since_day) = 0;

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

  // ---- 专题 collections ----

  // Inserts or replaces (by slug) a collection; unknown document ids are kept out.
  virtual void put_collection(const Collection& collection) = 0;
  // Returns false when no collection has `slug`.
  virtual bool delete_collection(std::string_view slug) = 0;
  // All collections by position, then slug.
  virtual std::vector<Collection> collections() = 0;
  virtual std::optional<Collection> collection(std::string_view slug) = 0;

  // ---- feedback (联系客服) ----

  // Stores `feedback` (id, created_at and handled are set here) and returns its id.
  virtual std::int64_t add_feedback(const Feedback& feedback) = 0;
  // Newest first; `unhandled_only` limits to those not yet handled.
  virtual std::vector<Feedback> feedback(bool unhandled_only, std::size_t limit,
                                         std::size_t offset) = 0;
  virtual std::int64_t feedback_count(bool unhandled_only) = 0;
  // Messages from `client` created at or after `since` ("YYYY-MM-DD HH:MM:SS" UTC).
  virtual std::int64_t feedback_count_since(std::string_view client, std::string_view since) = 0;
  // Returns false when no message has `id`.
  virtual bool set_feedback_handled(std::int64_t id, bool handled) = 0;

  // ---- near-duplicate review ----

  // Near-duplicate links between live documents, smallest distance first, then by ids.
  virtual std::vector<SimilarPairSummary> similar_pairs(std::size_t limit, std::size_t offset) = 0;
  virtual std::int64_t similar_pair_count() = 0;
  // Removes the link between `a` and `b` (either order): the admin judged them different.
  // Returns false when there was no such link.
  virtual bool unlink_similar(std::string_view a, std::string_view b) = 0;

  // ---- site settings and files ----

  // Every stored setting (key -> value); keys are chosen by the web layer.
  virtual std::map<std::string, std::string> settings() = 0;
  // Stores every entry of `values` in one transaction (other keys unchanged); bumps
  // settings_version.
  virtual void set_settings(const std::map<std::string, std::string>& values) = 0;
  // Returns the value of setting `key`, first storing `initial` when the key has none, in one
  // transaction: concurrent callers (several server processes) all get the same value.
  // Does not bump settings_version.
  virtual std::string ensure_setting(std::string_view key, std::string_view initial) = 0;
  // Increases on every set_settings/put_site_file, so server processes can tell their cached
  // settings are stale with one cheap read.
  virtual std::int64_t settings_version() = 0;
  virtual void put_site_file(const SiteFile& file) = 0;  // sets updated_at
  virtual std::optional<SiteFile> site_file(std::string_view name) = 0;

  // ---- per-document visibility ----

  // Sets who may read document `id` in full and bumps its change sequence number (caches of
  // its pages follow). Returns false when no such document exists. `put` keeps it.
  virtual bool set_visibility(std::string_view id, doc::Visibility visibility) = 0;

  // ---- member accounts (issue 17) ----

  // Stores a new account (id and created_at are set here) and returns its id; nullopt when
  // the name is taken (names compare exactly, byte for byte).
  virtual std::optional<std::int64_t> add_user(const User& user) = 0;
  virtual std::optional<User> user(std::int64_t id) = 0;
  virtual std::optional<User> user_by_name(std::string_view name) = 0;
  // Accounts by id (oldest first).
  virtual std::vector<User> users(std::size_t limit, std::size_t offset) = 0;
  virtual std::int64_t user_count() = 0;
  // The number of accounts with role "admin" that are not disabled.
  virtual std::int64_t admin_count() = 0;
  // Each returns false when no account has `id`.
  virtual bool set_password_hash(std::int64_t id, std::string_view hash) = 0;
  virtual bool set_role(std::int64_t id, std::string_view role, std::string_view vip_until) = 0;
  // Disabling also deletes every session of the account, in the same transaction.
  virtual bool set_disabled(std::int64_t id, bool disabled) = 0;
  // Sets last_login_at to now (UTC).
  virtual bool mark_login(std::int64_t id) = 0;

  // Stores a session; a token_hash already stored throws StoreError.
  virtual void add_session(const Session& session) = 0;
  // The session with `token_hash` and its account, if both exist (expiry is the caller's
  // check; a disabled account's sessions are gone).
  virtual std::optional<SessionUser> session(std::string_view token_hash) = 0;
  // Sets last_seen_at of the session (no-op when it is gone).
  virtual void touch_session(std::string_view token_hash, std::int64_t last_seen_at) = 0;
  // Returns false when no session has `token_hash`.
  virtual bool delete_session(std::string_view token_hash) = 0;
  // Deletes every session of account `user_id` except `keep_token_hash` ("" keeps none);
  // returns how many were deleted.
  virtual std::int64_t delete_sessions_of(std::int64_t user_id,
                                          std::string_view keep_token_hash) = 0;
  // The sessions of `user_id`, most recently seen first.
  virtual std::vector<Session> sessions_of(std::int64_t user_id) = 0;
  // Deletes sessions whose expires_at is before `now`; returns how many.
  virtual std::int64_t delete_expired_sessions(std::int64_t now) = 0;

  // Login throttling, shared by every server process through the store. `key` is opaque
  // (e.g. "user:NAME" or "client:HASH").
  virtual void add_login_failure(std::string_view key, std::int64_t at) = 0;
  // Failures of `key` at or after `since` (older ones may be pruned by add_login_failure).
  virtual LoginFailures login_failures(std::string_view key, std::int64_t since) = 0;
  virtual void clear_login_failures(std::string_view key) = 0;

  // 我的收藏: adds (or re-dates) document `doc_id` for `user_id` at `at`; false when the
  // account or the document does not exist. Lists leave out soft-deleted documents.
  virtual bool add_favorite(std::int64_t user_id, std::string_view doc_id, std::int64_t at) = 0;
  virtual bool remove_favorite(std::int64_t user_id, std::string_view doc_id) = 0;
  virtual bool is_favorite(std::int64_t user_id, std::string_view doc_id) = 0;
  // Newest first.
  virtual std::vector<MemberDoc> favorites(std::int64_t user_id, std::size_t limit,
                                           std::size_t offset) = 0;
  virtual std::int64_t favorite_count(std::int64_t user_id) = 0;

  // 阅读历史: records that `user_id` read `doc_id` at `at` (one row per document, moved to
  // the latest read); false when the account or document does not exist. At most
  // kMaxHistory rows are kept per account (the oldest go).
  virtual bool add_history(std::int64_t user_id, std::string_view doc_id, std::int64_t at) = 0;
  // Most recently read first; soft-deleted documents left out.
  virtual std::vector<MemberDoc> history(std::int64_t user_id, std::size_t limit,
                                         std::size_t offset) = 0;
  virtual std::int64_t history_count(std::int64_t user_id) = 0;
  // Returns how many rows were deleted.
  virtual std::int64_t clear_history(std::int64_t user_id) = 0;
};

// Reading-history rows kept per account (Store::add_history).
inline constexpr std::int64_t kMaxHistory = 500;

// Opens (creating when absent) the SQLite database at `path` with WAL journaling, foreign
// keys on and a busy timeout, and applies pending migrations from src/store/sql/ in
// version order, each in its own transaction. Throws StoreError on failure.
std::unique_ptr<Store> open_sqlite(const std::filesystem::path& path);

}  // namespace wenku::store
