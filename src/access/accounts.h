// Member accounts over the store: name and password rules, registration, login with
// throttling shared by every server process, sessions (with a short-lived per-process cache),
// password changes and CSRF tokens. Times are Unix seconds passed in by the caller, so tests
// choose the clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "access/lru_map.h"
#include "access/tokens.h"
#include "access/visible.h"
#include "store/account_store.h"

namespace wenku::access {

inline constexpr std::size_t kMinUsernameChars = 2;  // 张三
inline constexpr std::size_t kMaxUsernameChars = 20;
inline constexpr std::size_t kMinPasswordChars = 8;
// A session ends after this long without a request, and this long after login whatever the
// activity; its last_seen_at is written at most once per kTouchEverySeconds.
inline constexpr std::int64_t kSessionIdleSeconds = 30 * 86400;
inline constexpr std::int64_t kSessionMaxSeconds = 90 * 86400;
inline constexpr std::int64_t kTouchEverySeconds = 300;
// Each Accounts object keeps the sessions it read from the store (never unknown tokens) for
// kSessionCacheSeconds, at most kSessionCacheEntries of them, least recently used out first.
// So a change made elsewhere (another server process, the CLI, the store directly) reaches
// member() within kSessionCacheSeconds; one made through the same object, at once.
inline constexpr std::int64_t kSessionCacheSeconds = 1;
inline constexpr std::size_t kSessionCacheEntries = 1024;
// Login throttling: failures count within kFailureWindowSeconds. From the kClientFreeFailures-th
// failure of a client, or the kAccountFreeFailures-th of an account (for clients that failed
// too), the next try must wait kFirstBackoffSeconds doubling per further failure, up to
// kMaxBackoffSeconds, counted from the latest failure.
inline constexpr std::int64_t kFailureWindowSeconds = 15 * 60;
inline constexpr std::int64_t kClientFreeFailures = 10;
inline constexpr std::int64_t kAccountFreeFailures = 5;
inline constexpr std::int64_t kFirstBackoffSeconds = 30;
inline constexpr std::int64_t kMaxBackoffSeconds = 15 * 60;

// A refusal whose message (zh-CN) is shown to the user as it is.
class AccountError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The stored form of a typed user name: trimmed, NFKC with case folding and Traditional to
// Simplified (text::normalize_key), so "ＺhangSan" and "zhangsan" are one name. Invalid UTF-8
// comes back unchanged (username_problem refuses it).
std::string normalize_username(std::string_view raw);

// Why `name` (normalised) cannot be a user name, in Chinese, or nullopt when it can: 2–20
// characters, each a letter of any script (张三), a digit, '_' or '-'.
std::optional<std::string> username_problem(std::string_view name);

// Why `password` cannot be the password of `name`, in Chinese, or nullopt: at least 8
// characters, at most kMaxPasswordBytes bytes, valid UTF-8 without control characters, not
// the user name, not one character repeated.
std::optional<std::string> password_problem(std::string_view password, std::string_view name);

// "member", "vip" and "admin" (the store's role names) and back; nullopt for other names
// ("guest" is not an account role).
std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);
// 游客, 会员, VIP会员, 管理员.
std::string_view role_label(Role role);

// The role `user` acts with on `today` ("YYYY-MM-DD"): a vip whose vip_until is before
// `today` acts as a member.
Role effective_role(const store::User& user, std::string_view today);

// A logged-in request's account and session.
struct Member {
  Viewer viewer;  // the account's effective role, name and id
  store::User user;
  store::Session session;
};

// A session just started: the cookie token (64 hex digits: 256 random bits; only its hash is
// stored) and whose it is.
struct NewSession {
  std::string token;
  Member member;
};

enum class LoginResult { kOk, kWrong, kThrottled, kDisabled };

// The session cache of one Accounts object; either field 0 turns it off (every member() call
// reads the store).
struct SessionCacheLimits {
  std::size_t entries = kSessionCacheEntries;
  // A session read from the store at `now` = t answers the calls with t <= now < t + seconds.
  std::int64_t seconds = kSessionCacheSeconds;
};

struct LoginOutcome {
  LoginResult result = LoginResult::kWrong;
  std::optional<NewSession> session;  // kOk only
  std::string message;                // zh-CN, for the refusals
  std::int64_t retry_after = 0;       // kThrottled: seconds to wait
};

// Thread-safe: any method may be called from several threads at once (the store is, and
// the session cache has its own lock). `store` must outlive the object. Every method that
// reads or writes the store throws store::StoreError when the store fails.
class Accounts {
 public:
  // `secret` keys the CSRF tokens: every server process of a site must pass the same one.
  // `cache` bounds the session cache (member()).
  Accounts(store::AccountStore& store, std::string_view secret, SessionCacheLimits cache = {});
  Accounts(const Accounts&) = delete;
  Accounts& operator=(const Accounts&) = delete;

  // Creates an account of `role` (not kGuest) and returns its id. Throws AccountError for a
  // bad or taken name (normalised first) or a bad password.
  std::int64_t create(std::string_view name, std::string_view password, Role role);

  // create(name, password, kMember), then a session as `login` starts one.
  NewSession register_member(std::string_view name, std::string_view password, std::int64_t now,
                             std::string_view user_agent);

  // Checks `password` for account `name` from `client` (an opaque client key). Unknown names
  // and wrong passwords get the same answer after the same work; failures count against
  // the client and the account (see the throttling constants), a success clears the
  // account's. A correct password of a disabled account gets kDisabled. Rehashes a password
  // stored with weaker limits. `user_agent` is kept with the session, cut to 200 bytes.
  LoginOutcome login(std::string_view name, std::string_view password, std::string_view client,
                     std::int64_t now, std::string_view user_agent);

  // The member holding session `token` at `now`, or nullopt when the token is malformed,
  // unknown, idle for kSessionIdleSeconds or more, older than kSessionMaxSeconds (such a
  // session is deleted) or its account is disabled. Expiry is judged at `now` on every call,
  // cached or not. Moves last_seen_at forward (in the store too) at most once per
  // kTouchEverySeconds. The answer may come from the session cache: a session read from the
  // store at t answers the calls with t <= now < t + the cache's seconds, so a session ended
  // or an account changed in second t by anything but this object's own methods is seen by
  // every call with now >= t + seconds (kSessionCacheSeconds: in under one second). Tokens
  // the store does not know are never cached.
  std::optional<Member> member(std::string_view token, std::int64_t now);

  // Ends session `token` (no-op when unknown), for member() at once.
  void logout(std::string_view token);

  // Sets a new password after checking `old_password`; every other session of the account
  // ends, for member() at once. Throws AccountError (wrong old password, bad new one).
  void change_password(const Member& member, std::string_view old_password,
                       std::string_view new_password);

  // Sets the password of account `name` (CLI) and ends all its sessions, for member() at
  // once. Throws AccountError for an unknown name or a bad password.
  void set_password(std::string_view name, std::string_view password);

  // Store::set_role and Store::set_disabled (disabling ends the account's sessions), seen by
  // this object's member() at once. Each returns false when no account has `id`.
  bool set_role(std::int64_t id, std::string_view role, std::string_view vip_until);
  bool set_disabled(std::int64_t id, bool disabled);

  // Login throttling for any credential, shared by every process through the store:
  // `account` names what is tried (e.g. "user:NAME", "admin-token"), `client` who tries
  // (an opaque client key). The seconds `client` must wait before trying `account` at `now`,
  // 0 when it may try: from the client's kClientFreeFailures-th failure, or the account's
  // kAccountFreeFailures-th when this client failed too (a client with a clean record is never
  // locked out by others' failures), kFirstBackoffSeconds doubling per further failure up to
  // kMaxBackoffSeconds after the latest one.
  std::int64_t login_wait(std::string_view account, std::string_view client,
                          std::int64_t now) const;
  // Counts a failed try of `account` by `client` at `now`.
  void login_failed(std::string_view account, std::string_view client, std::int64_t now);
  // A correct credential: forgets the account's failures.
  void login_succeeded(std::string_view account);
  // "登录失败次数过多，请 N 分钟后再试。" for a wait of `seconds`.
  static std::string throttle_message(std::int64_t seconds);

  // Ends every session of the member's account but the current one, for member() at once;
  // returns how many.
  std::int64_t end_other_sessions(const Member& member);

  // How many sessions the cache holds now: at most the limits' entries.
  std::size_t cached_sessions() const;

  // The CSRF token of forms shown to whoever holds `binding` (a session token, or for guests
  // their anonymous form cookie): 64 hex digits, a MAC of it, so nothing is stored.
  std::string csrf_token(std::string_view binding) const;
  // True when `token` is csrf_token(binding), compared in constant time; false for an empty
  // binding.
  bool csrf_valid(std::string_view binding, std::string_view token) const;

 private:
  // A session as read from the store at `read_at`, with the viewer of UTC day `day`.
  struct CachedSession {
    Member member;
    std::int64_t read_at = 0;
    std::int64_t day = 0;  // Unix days
  };

  NewSession start_session(const store::User& user, std::int64_t now, std::string_view user_agent);
  // Moves the session's last_seen_at forward; a database that takes no writes now (primary
  // down, reads from a standby) leaves it as it is: the member still reads.
  void touch_session(const std::string& token_hash, std::int64_t now);
  // Drop the cached session `token_hash` / every cached session of account `user_id`
  // after the store changed them, and keep member() calls whose store read began before
  // from caching what they read. Called after the store write.
  void forget_session(std::string_view token_hash);
  void forget_account(std::int64_t user_id);

  store::AccountStore& store_;
  MacKey csrf_key_;
  const std::int64_t cache_seconds_;
  mutable std::mutex cache_mutex_;
  LruMap<CachedSession> cache_;  // by token hash; guarded by cache_mutex_
  std::uint64_t forgets_ = 0;    // forget_* calls so far; guarded by cache_mutex_
};

}  // namespace wenku::access
