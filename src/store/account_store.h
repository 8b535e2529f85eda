// Member accounts in the store: users, login sessions, login failures (throttling), and each
// member's 收藏 and 阅读历史.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "store/store_error.h"

namespace wenku::store {

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

// Reading-history rows kept per account (AccountStore::add_history).
inline constexpr std::int64_t kMaxHistory = 500;

// Every method is safe to call from several threads at once.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

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

}  // namespace wenku::store
