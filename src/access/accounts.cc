#include "access/accounts.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <ctime>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "access/passwords.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace wenku::access {

namespace {

constexpr std::size_t kTokenBytes = 32;  // 256 bits
constexpr std::size_t kMaxUserAgentBytes = 200;
constexpr std::string_view kWrongCredentials = "用户名或密码错误。";

std::string utc_day(std::int64_t unix_seconds) {
  const std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

// Days since 1970-01-01 of `unix_seconds`: utc_day changes exactly when this does.
std::int64_t unix_day(std::int64_t unix_seconds) {
  constexpr std::int64_t kDay = 86400;
  return unix_seconds / kDay - (unix_seconds % kDay < 0 ? 1 : 0);
}

// True when `session` has ended at `now`: idle too long or past its absolute end.
bool expired(const store::Session& session, std::int64_t now) {
  return now >= session.expires_at || now >= session.last_seen_at + kSessionIdleSeconds;
}

bool is_token(std::string_view token) {
  return token.size() == 2 * kTokenBytes && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string client_key(std::string_view client) { return "client:" + std::string(client); }
std::string account_key(std::string_view name) { return "user:" + std::string(name); }

// The seconds still to wait at `now` after `failures`, when `free` of them cost nothing.
std::int64_t wait_after(const store::LoginFailures& failures, std::int64_t free, std::int64_t now) {
  if (failures.count < free) return 0;
  const std::int64_t doublings = std::min<std::int64_t>(failures.count - free, 16);
  const std::int64_t backoff = std::min(kMaxBackoffSeconds, kFirstBackoffSeconds << doublings);
  return std::max<std::int64_t>(0, failures.last_at + backoff - now);
}

}  // namespace

std::string normalize_username(std::string_view raw) {
  const std::string_view trimmed = text::trim(raw);
  if (!text::is_valid_utf8(trimmed)) return std::string(raw);
  return text::normalize_key(trimmed);
}

std::optional<std::string> username_problem(std::string_view name) {
  if (!text::is_valid_utf8(name)) return "用户名含有无法识别的字符。";
  const std::size_t chars = text::count_code_points(name);
  if (chars < kMinUsernameChars || chars > kMaxUsernameChars) {
    return fmt::format("用户名须为 {}–{} 个字符。", kMinUsernameChars, kMaxUsernameChars);
  }
  for (std::size_t pos = 0; pos < name.size();) {
    const char32_t c = text::decode_at(name, pos);
    if (c != '_' && c != '-' && !u_isalpha(static_cast<UChar32>(c)) &&
        !u_isdigit(static_cast<UChar32>(c))) {
      return "用户名只能包含汉字、字母、数字、下划线（_）和连字符（-）。";
    }
  }
  return std::nullopt;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view name) {
  if (password.size() > kMaxPasswordBytes) {
    return fmt::format("密码过长（最多 {} 字节）。", kMaxPasswordBytes);
  }
  if (!text::is_valid_utf8(password)) return "密码含有无法识别的字符。";
  const std::size_t chars = text::count_code_points(password);
  if (chars < kMinPasswordChars) return fmt::format("密码至少 {} 个字符。", kMinPasswordChars);
  for (std::size_t pos = 0; pos < password.size();) {
    const char32_t c = text::decode_at(password, pos);
    if (c < 0x20 || c == 0x7f) return "密码不能包含控制字符。";
  }
  if (normalize_username(password) == name) return "密码不能与用户名相同。";
  std::size_t first_end = 0;
  text::decode_at(password, first_end);
  const std::string_view first = password.substr(0, first_end);
  bool repeated = true;
  for (std::size_t pos = 0; pos < password.size() && repeated; pos += first.size()) {
    repeated = password.substr(pos, first.size()) == first;
  }
  if (repeated) return "密码不能是同一个字符的重复。";
  return std::nullopt;
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "member") return Role::kMember;
  if (name == "vip") return Role::kVip;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kGuest:
      return "guest";
    case Role::kMember:
      return "member";
    case Role::kVip:
      return "vip";
    case Role::kAdmin:
      return "admin";
  }
  return "guest";
}

std::string_view role_label(Role role) {
  switch (role) {
    case Role::kGuest:
      return "游客";
    case Role::kMember:
      return "会员";
    case Role::kVip:
      return "VIP会员";
    case Role::kAdmin:
      return "管理员";
  }
  return "游客";
}

Role effective_role(const store::User& user, std::string_view today) {
  const Role role = parse_role(user.role).value_or(Role::kMember);
  if (role == Role::kVip && !user.vip_until.empty() && user.vip_until < today) {
    return Role::kMember;
  }
  return role;
}

Accounts::Accounts(store::AccountStore& store, std::string_view secret, SessionCacheLimits cache)
    : store_(store),
      csrf_key_("wenku-csrf-key!!", secret),
      cache_seconds_(std::max<std::int64_t>(cache.seconds, 0)),
      cache_(cache.seconds > 0 ? cache.entries : 0) {}

std::int64_t Accounts::create(std::string_view raw_name, std::string_view password, Role role) {
  if (role == Role::kGuest) throw std::invalid_argument("an account cannot have the guest role");
  const std::string name = normalize_username(raw_name);
  if (auto problem = username_problem(name)) throw AccountError(*problem);
  if (auto problem = password_problem(password, name)) throw AccountError(*problem);
  store::User user;
  user.name = name;
  user.password_hash = hash_password(password);
  user.role = std::string(role_name(role));
  auto id = store_.add_user(user);
  if (!id) throw AccountError("该用户名已被注册。");
  return *id;
}

NewSession Accounts::register_member(std::string_view name, std::string_view password,
                                     std::int64_t now, std::string_view user_agent) {
  const std::int64_t id = create(name, password, Role::kMember);
  auto user = store_.user(id);
  if (!user) throw store::StoreError("register: the new account is gone");
  store_.mark_login(id);
  return start_session(*user, now, user_agent);
}

std::int64_t Accounts::login_wait(std::string_view account, std::string_view client,
                                  std::int64_t now) const {
  const std::int64_t since = now - kFailureWindowSeconds;
  const auto by_client = store_.login_failures(client_key(client), since);
  std::int64_t wait = wait_after(by_client, kClientFreeFailures, now);
  if (by_client.count > 0) {
    wait = std::max(wait,
                    wait_after(store_.login_failures(account, since), kAccountFreeFailures, now));
  }
  return wait;
}

void Accounts::login_failed(std::string_view account, std::string_view client, std::int64_t now) {
  store_.add_login_failure(client_key(client), now);
  store_.add_login_failure(account, now);
}

void Accounts::login_succeeded(std::string_view account) { store_.clear_login_failures(account); }

std::string Accounts::throttle_message(std::int64_t seconds) {
  return fmt::format("登录失败次数过多，请 {} 分钟后再试。", (seconds + 59) / 60);
}

LoginOutcome Accounts::login(std::string_view raw_name, std::string_view password,
                             std::string_view client, std::int64_t now,
                             std::string_view user_agent) {
  const std::string name = normalize_username(raw_name);
  // A name that is not text cannot be an account: its failures count under one key.
  const std::string account =
      account_key(text::is_valid_utf8(name) ? std::string_view(name) : "\uFFFD");
  if (const std::int64_t wait = login_wait(account, client, now); wait > 0) {
    return {LoginResult::kThrottled, std::nullopt, throttle_message(wait), wait};
  }
  auto user = password.size() <= kMaxPasswordBytes ? store_.user_by_name(name) : std::nullopt;
  const bool right =
      user ? verify_password(user->password_hash, password) : (spend_verify_time(password), false);
  if (!right) {
    login_failed(account, client, now);
    return {LoginResult::kWrong, std::nullopt, std::string(kWrongCredentials), 0};
  }
  if (user->disabled) {
    return {LoginResult::kDisabled, std::nullopt, "该账号已被停用，请联系网站管理员。", 0};
  }
  login_succeeded(account);
  if (password_needs_rehash(user->password_hash)) {
    store_.set_password_hash(user->id, hash_password(password));
    forget_account(user->id);  // cached copies hold the old hash
  }
  store_.mark_login(user->id);
  return {LoginResult::kOk, start_session(*user, now, user_agent), "", 0};
}

void Accounts::touch_session(const std::string& token_hash, std::int64_t now) {
  try {
    store_.touch_session(token_hash, now);
  } catch (const store::StoreUnavailable& e) {
    spdlog::debug("session not touched: {}", e.what());
  }
}

NewSession Accounts::start_session(const store::User& user, std::int64_t now,
                                   std::string_view user_agent) {
  store::Session session;
  std::string token = random_hex(kTokenBytes);
  session.token_hash = token_hash(token);
  session.user_id = user.id;
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + kSessionMaxSeconds;
  session.user_agent = std::string(text::whole_code_points(
      text::is_valid_utf8(user_agent) ? user_agent.substr(0, kMaxUserAgentBytes) : ""));
  store_.add_session(session);
  const Viewer viewer{effective_role(user, utc_day(now)), user.name, user.id};
  return {std::move(token), Member{viewer, user, std::move(session)}};
}

std::optional<Member> Accounts::member(std::string_view token, std::int64_t now) {
  if (!is_token(token)) return std::nullopt;
  const std::string hash = token_hash(token);
  std::uint64_t forgets = 0;
  {
    std::unique_lock lock(cache_mutex_);
    if (CachedSession* cached = cache_.find(hash)) {
      store::Session& session = cached->member.session;
      if (now < cached->read_at || now >= cached->read_at + cache_seconds_ ||
          expired(session, now)) {
        // Too old to answer, or ended: the store decides (another process may have moved
        // last_seen_at since).
        cache_.erase(hash);
      } else {
        const bool touch = now - session.last_seen_at >= kTouchEverySeconds;
        if (touch) session.last_seen_at = now;
        if (const std::int64_t day = unix_day(now); day != cached->day) {
          cached->member.viewer.role = effective_role(cached->member.user, utc_day(now));
          cached->day = day;
        }
        Member member = cached->member;
        lock.unlock();
        if (touch) touch_session(hash, now);
        return member;
      }
    }
    forgets = forgets_;
  }
  auto found = store_.session(hash);
  if (!found) return std::nullopt;
  auto& [session, user] = *found;
  if (expired(session, now) || user.disabled) {
    store_.delete_session(hash);
    return std::nullopt;
  }
  if (now - session.last_seen_at >= kTouchEverySeconds) {
    touch_session(hash, now);
    session.last_seen_at = now;
  }
  const Viewer viewer{effective_role(user, utc_day(now)), user.name, user.id};
  Member member{viewer, std::move(user), std::move(session)};
  if (cache_.capacity() > 0) {
    std::lock_guard lock(cache_mutex_);
    // A forget_* since the read began may have ended what was read: answer, do not keep.
    if (forgets_ == forgets) cache_.put(hash, CachedSession{member, now, unix_day(now)});
  }
  return member;
}

void Accounts::logout(std::string_view token) {
  if (!is_token(token)) return;
  const std::string hash = token_hash(token);
  store_.delete_session(hash);
  forget_session(hash);
}

void Accounts::change_password(const Member& member, std::string_view old_password,
                               std::string_view new_password) {
  auto user = store_.user(member.user.id);
  if (!user || !verify_password(user->password_hash, old_password)) {
    throw AccountError("当前密码不正确。");
  }
  if (auto problem = password_problem(new_password, user->name)) throw AccountError(*problem);
  store_.set_password_hash(user->id, hash_password(new_password));
  store_.delete_sessions_of(user->id, member.session.token_hash);
  forget_account(user->id);
}

void Accounts::set_password(std::string_view raw_name, std::string_view password) {
  const std::string name = normalize_username(raw_name);
  auto user = store_.user_by_name(name);
  if (!user) throw AccountError("没有这个用户：" + name);
  if (auto problem = password_problem(password, name)) throw AccountError(*problem);
  store_.set_password_hash(user->id, hash_password(password));
  store_.delete_sessions_of(user->id, "");
  forget_account(user->id);
}

bool Accounts::set_role(std::int64_t id, std::string_view role, std::string_view vip_until) {
  const bool found = store_.set_role(id, role, vip_until);
  forget_account(id);
  return found;
}

bool Accounts::set_disabled(std::int64_t id, bool disabled) {
  const bool found = store_.set_disabled(id, disabled);
  forget_account(id);
  return found;
}

std::int64_t Accounts::end_other_sessions(const Member& member) {
  const std::int64_t ended = store_.delete_sessions_of(member.user.id, member.session.token_hash);
  forget_account(member.user.id);
  return ended;
}

std::size_t Accounts::cached_sessions() const {
  std::lock_guard lock(cache_mutex_);
  return cache_.size();
}

void Accounts::forget_session(std::string_view token_hash) {
  std::lock_guard lock(cache_mutex_);
  cache_.erase(token_hash);
  ++forgets_;
}

void Accounts::forget_account(std::int64_t user_id) {
  std::lock_guard lock(cache_mutex_);
  cache_.erase_if([user_id](const CachedSession& s) { return s.member.user.id == user_id; });
  ++forgets_;
}

std::string Accounts::csrf_token(std::string_view binding) const {
  return csrf_key_.mac("csrf", binding);
}

bool Accounts::csrf_valid(std::string_view binding, std::string_view token) const {
  return !binding.empty() && csrf_key_.verify("csrf", binding, token);
}

}  // namespace wenku::access
