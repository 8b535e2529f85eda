// Member accounts (access/accounts.h) over a real SQLite store, with the clock passed in:
// name and password rules, registration, login and its throttling, sessions, password
// changes, CSRF tokens and roles; and what each role reads of a document of each visibility.
#include "access/accounts.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "access/lru_map.h"
#include "access/passwords.h"
#include "access/visible.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::access {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;  // 2023-11-14 22:13:20 UTC

bool is_token(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// True when `s` holds a CJK ideograph (a message in Chinese).
bool has_han(const std::string& s) {
  for (std::size_t pos = 0; pos < s.size();) {
    if (text::is_han(text::decode_at(s, pos))) return true;
  }
  return false;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

class AccountsTest : public ::testing::Test {
 protected:
  // Registers `name` at kT0 and returns its session.
  NewSession register_at(const std::string& name, const std::string& password,
                         std::int64_t now = kT0) {
    return accounts_.register_member(name, password, now, "Mozilla/5.0 测试");
  }

  LoginOutcome login(const std::string& name, const std::string& password,
                     const std::string& client, std::int64_t now = kT0) {
    return accounts_.login(name, password, client, now, "Mozilla/5.0");
  }

  // The stored last_seen_at of session `token`; -1 when it is gone.
  std::int64_t last_seen(const std::string& token) {
    auto found = store_->session(token_hash(token));
    return found ? found->session.last_seen_at : -1;
  }

  bool stored(const std::string& token) { return store_->session(token_hash(token)).has_value(); }

  // Session `token`, started at kT0, is used every half idle period: it holds until exactly
  // kSessionMaxSeconds after kT0 in `accounts`, then ends and leaves the store.
  void expect_absolute_expiry(Accounts& accounts, const std::string& token) {
    std::int64_t now = kT0;
    while (now + kSessionIdleSeconds / 2 < kT0 + kSessionMaxSeconds) {
      now += kSessionIdleSeconds / 2;
      ASSERT_TRUE(accounts.member(token, now)) << now - kT0;
    }
    EXPECT_TRUE(accounts.member(token, kT0 + kSessionMaxSeconds - 1));
    EXPECT_FALSE(accounts.member(token, kT0 + kSessionMaxSeconds));
    EXPECT_FALSE(stored(token));
  }

  // Another session of `name` (password "right-password-1"), started at kT0.
  std::string another_session(const std::string& name) {
    auto out = login(name, "right-password-1", "client");
    if (!out.session) ADD_FAILURE() << "login of " << name << " failed";
    return out.session ? out.session->token : std::string();
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_ = store::open_sqlite(dir_.path() / "wenku.sqlite");
  Accounts accounts_{*store_, "the site secret"};
};

// ---- names and passwords --------------------------------------------------------------------

TEST(Usernames, NormalizingFoldsWidthCaseAndScriptAndTrims) {
  EXPECT_EQ(normalize_username("ＺhangSan"), "zhangsan");
  EXPECT_EQ(normalize_username("ZHANGSAN"), "zhangsan");
  EXPECT_EQ(normalize_username("ｚｈａｎｇｓａｎ"), "zhangsan");
  EXPECT_EQ(normalize_username("  zhangsan\t"), "zhangsan");
  EXPECT_EQ(normalize_username("\u3000张三\u3000"), "张三");
  EXPECT_EQ(normalize_username("張三"), "张三");
  EXPECT_EQ(normalize_username("张三"), "张三");
  EXPECT_EQ(normalize_username("\xff\xfe"), "\xff\xfe");  // invalid UTF-8 comes back as it is
}

TEST(Usernames, LettersOfAnyScriptDigitsUnderscoreAndHyphenFrom2To20Characters) {
  for (const std::string& name : std::vector<std::string>{
           "张三", "zhangsan", "li_hua-2024", "ab", "a1", "алиса",
           "一二三四五六七八九十一二三四五六七八九十", std::string(20, 'x'), "__", "王-5"}) {
    EXPECT_EQ(username_problem(name), std::nullopt) << name;
  }
}

TEST(Usernames, OtherNamesAreRefusedInChinese) {
  for (const std::string& name : std::vector<std::string>{
           "", "张", "a", std::string(21, 'x'), repeat("张", 21), "zhang san", "zhang.san",
           "zhang@san", "张三！", "li,hua", "a'b", "<script>", "张三😀", "ab\n", "\xff\xfe"}) {
    const auto problem = username_problem(name);
    ASSERT_TRUE(problem.has_value()) << name;
    EXPECT_TRUE(has_han(*problem)) << *problem;
    EXPECT_NE(problem->find("用户名"), std::string::npos) << *problem;
  }
  // The length message names the bounds.
  EXPECT_NE(username_problem("张")->find("2"), std::string::npos);
  EXPECT_NE(username_problem("张")->find("20"), std::string::npos);
}

TEST(PasswordRules, AcceptOrdinaryPasswords) {
  for (const std::string& password : std::vector<std::string>{
           "abcdefg1", "我的密码很难猜到", "abababab", "aaaaaaab", "correct horse battery",
           repeat("ab", kMaxPasswordBytes / 2), "Zhangsan1"}) {
    EXPECT_EQ(password_problem(password, "zhangsan"), std::nullopt) << password;
  }
}

TEST(PasswordRules, RefuseWeakOrOddPasswordsInChinese) {
  const std::vector<std::string> refused = {
      "",
      "short1",
      "密码密码",                                 // 4 characters, though 12 bytes
      "zhangsan",                                 // the user name
      "ZhangSan",                                 // the user name, another case
      " zhangsan ",                               // the user name, padded
      "aaaaaaaa",                                 // one character repeated
      "一一一一一一一一",                         // one character repeated
      "abc\tdefgh",                               // control characters
      "abcdefgh\n",                               //
      "abcd\177efgh",                             // DEL
      std::string("abcd\0efgh", 9),               //
      "abcdefgh\xff",                             // invalid UTF-8
      repeat("ab", kMaxPasswordBytes / 2) + "c",  // kMaxPasswordBytes + 1 bytes
      repeat("我的密码", 22),                     // 88 characters, 264 bytes
  };
  for (const auto& password : refused) {
    const auto problem = password_problem(password, "zhangsan");
    ASSERT_TRUE(problem.has_value()) << password;
    EXPECT_TRUE(has_han(*problem)) << *problem;
    EXPECT_NE(problem->find("密码"), std::string::npos) << *problem;
  }
  EXPECT_NE(password_problem("short1", "zhangsan")->find("8"), std::string::npos);
  EXPECT_NE(password_problem("abc\tdefgh", "zhangsan")->find("控制字符"), std::string::npos);
  EXPECT_NE(password_problem("aaaaaaaa", "zhangsan")->find("重复"), std::string::npos);
  EXPECT_NE(password_problem("zhangsan", "zhangsan")->find("用户名"), std::string::npos);
}

TEST_F(AccountsTest, CreateStoresTheNormalisedNameAndAnArgon2idHash) {
  const auto id = accounts_.create("ＺhangSan", "good-password-1", Role::kMember);
  const auto user = store_->user_by_name("zhangsan");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id, id);
  EXPECT_EQ(user->role, "member");
  EXPECT_TRUE(user->password_hash.starts_with("$argon2id$")) << user->password_hash;
  EXPECT_EQ(user->password_hash.find("good-password-1"), std::string::npos);
  EXPECT_TRUE(verify_password(user->password_hash, "good-password-1"));

  EXPECT_EQ(store_->user(accounts_.create("张三", "good-password-1", Role::kVip))->role, "vip");
  EXPECT_EQ(store_->user(accounts_.create("boss", "good-password-1", Role::kAdmin))->role, "admin");
  EXPECT_THROW(accounts_.create("guest1", "good-password-1", Role::kGuest), std::invalid_argument);
}

TEST_F(AccountsTest, CreateRefusesTakenAndBadNamesAndBadPasswords) {
  accounts_.create("ＺhangSan", "good-password-1", Role::kMember);
  for (const std::string taken : {"zhangsan", "ZHANGSAN", " zhangsan "}) {
    try {
      accounts_.create(taken, "other-password-2", Role::kVip);
      ADD_FAILURE() << taken << " was accepted twice";
    } catch (const AccountError& e) {
      EXPECT_NE(std::string(e.what()).find("已被注册"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(accounts_.create("张", "good-password-1", Role::kMember), AccountError);
  EXPECT_THROW(accounts_.create("li si", "good-password-1", Role::kMember), AccountError);
  EXPECT_THROW(accounts_.create("lisi", "short", Role::kMember), AccountError);
  EXPECT_THROW(accounts_.create("lisi1234", "LiSi1234", Role::kMember), AccountError);
  EXPECT_EQ(store_->user_count(), 1);
  EXPECT_EQ(store_->user_by_name("zhangsan")->role,
            "member");  // the refused create changed nothing
}

// ---- registration and login ------------------------------------------------------------------

TEST_F(AccountsTest, RegisterStartsASessionWhoseHashAloneIsStored) {
  const auto s = accounts_.register_member("WangWu", "good-password-1", kT0, repeat("中", 100));
  EXPECT_TRUE(is_token(s.token)) << s.token;
  EXPECT_EQ(s.member.viewer.role, Role::kMember);
  EXPECT_EQ(s.member.viewer.user, "wangwu");
  EXPECT_EQ(s.member.user.name, "wangwu");
  const auto user = store_->user_by_name("wangwu");
  ASSERT_TRUE(user);
  EXPECT_EQ(s.member.viewer.user_id, user->id);
  EXPECT_NE(user->last_login_at, "");

  const auto sessions = store_->sessions_of(user->id);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].token_hash, token_hash(s.token));
  EXPECT_NE(sessions[0].token_hash, s.token);
  EXPECT_EQ(s.member.session.token_hash, token_hash(s.token));
  EXPECT_FALSE(store_->session(s.token));
  EXPECT_EQ(sessions[0].created_at, kT0);
  EXPECT_EQ(sessions[0].last_seen_at, kT0);
  EXPECT_EQ(sessions[0].expires_at, kT0 + kSessionMaxSeconds);
  // The user agent is kept cut to 200 bytes, on a character boundary.
  EXPECT_LE(sessions[0].user_agent.size(), 200u);
  EXPECT_GE(sessions[0].user_agent.size(), 198u);
  EXPECT_TRUE(text::is_valid_utf8(sessions[0].user_agent));
  EXPECT_TRUE(repeat("中", 100).starts_with(sessions[0].user_agent));

  // A refused registration creates nothing.
  EXPECT_THROW(register_at("wangwu", "good-password-2"), AccountError);
  EXPECT_EQ(store_->user_count(), 1);
  EXPECT_EQ(store_->sessions_of(user->id).size(), 1u);
}

TEST_F(AccountsTest, LoginSucceedsWithTheRightPasswordOnly) {
  const auto registered = register_at("zhaoliu", "right-password-1");
  const auto ok = login("ZhaoLiu", "right-password-1", "client-a");
  ASSERT_EQ(ok.result, LoginResult::kOk) << ok.message;
  ASSERT_TRUE(ok.session);
  EXPECT_TRUE(is_token(ok.session->token));
  EXPECT_NE(ok.session->token, registered.token);
  EXPECT_EQ(ok.session->member.viewer.user, "zhaoliu");
  EXPECT_EQ(ok.session->member.viewer.role, Role::kMember);
  EXPECT_TRUE(stored(ok.session->token));
  EXPECT_EQ(store_->sessions_of(ok.session->member.user.id).size(), 2u);
  EXPECT_TRUE(store_->user_by_name("zhaoliu")->password_hash.starts_with("$argon2id$"));

  const auto wrong = login("zhaoliu", "wrong-password-1", "client-b");
  const auto unknown = login("nobody", "right-password-1", "client-c");
  const auto too_long = login("zhaoliu", std::string(kMaxPasswordBytes + 1, 'x'), "client-d");
  for (const auto* out : {&wrong, &unknown, &too_long}) {
    EXPECT_EQ(out->result, LoginResult::kWrong);
    EXPECT_FALSE(out->session);
    EXPECT_EQ(out->retry_after, 0);
    EXPECT_EQ(out->message, wrong.message);  // nothing tells an unknown name from a wrong password
  }
  EXPECT_TRUE(has_han(wrong.message)) << wrong.message;
  EXPECT_EQ(store_->sessions_of(ok.session->member.user.id).size(), 2u);
}

TEST_F(AccountsTest, LoginRehashesAPasswordStoredWithWeakerLimits) {
  const auto id = accounts_.create("lihua", "right-password-1", Role::kMember);
  ASSERT_GE(sodium_init(), 0);
  char weak[crypto_pwhash_STRBYTES];
  const std::string password = "right-password-1";
  ASSERT_EQ(
      crypto_pwhash_str_alg(weak, password.data(), password.size(), crypto_pwhash_OPSLIMIT_MIN,
                            crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13),
      0);
  ASSERT_TRUE(store_->set_password_hash(id, weak));

  EXPECT_EQ(login("lihua", "wrong-password-1", "a").result, LoginResult::kWrong);
  EXPECT_EQ(store_->user(id)->password_hash, weak);  // a failure rehashes nothing
  EXPECT_EQ(login("lihua", password, "a").result, LoginResult::kOk);
  const std::string rehashed = store_->user(id)->password_hash;
  EXPECT_NE(rehashed, weak);
  EXPECT_FALSE(password_needs_rehash(rehashed)) << rehashed;
  EXPECT_TRUE(verify_password(rehashed, password));
  EXPECT_EQ(login("lihua", password, "a").result, LoginResult::kOk);
  EXPECT_EQ(store_->user(id)->password_hash, rehashed);  // a strong hash stays
}

TEST_F(AccountsTest, DisabledAccountsAreToldSoOnlyWithTheRightPassword) {
  const auto s = register_at("zhouqi", "right-password-1");
  ASSERT_TRUE(store_->set_disabled(s.member.user.id, true));
  const auto wrong = login("zhouqi", "wrong-password-1", "a");
  EXPECT_EQ(wrong.result, LoginResult::kWrong);
  EXPECT_EQ(wrong.message, login("nobody", "wrong-password-1", "b").message);
  const auto right = login("zhouqi", "right-password-1", "a");
  EXPECT_EQ(right.result, LoginResult::kDisabled);
  EXPECT_FALSE(right.session);
  EXPECT_NE(right.message.find("停用"), std::string::npos) << right.message;
  EXPECT_FALSE(accounts_.member(s.token, kT0));
  EXPECT_TRUE(store_->sessions_of(s.member.user.id).empty());

  ASSERT_TRUE(store_->set_disabled(s.member.user.id, false));
  EXPECT_EQ(login("zhouqi", "right-password-1", "a").result, LoginResult::kOk);
}

// ---- throttling -------------------------------------------------------------------------------

TEST_F(AccountsTest, AnAccountsFailuresThrottleTheFailingClientButNotACleanOne) {
  register_at("lihua", "right-password-1");
  register_at("other", "right-password-2");
  for (std::int64_t i = 0; i < kAccountFreeFailures; ++i) {
    const auto out = login("lihua", "wrong-password-1", "client-a", kT0 + i);
    ASSERT_EQ(out.result, LoginResult::kWrong) << i;
  }
  const std::int64_t last = kT0 + kAccountFreeFailures - 1;
  const auto throttled = login("lihua", "right-password-1", "client-a", last + 1);
  EXPECT_EQ(throttled.result, LoginResult::kThrottled);
  EXPECT_FALSE(throttled.session);
  EXPECT_EQ(throttled.retry_after, kFirstBackoffSeconds - 1);
  EXPECT_NE(throttled.message.find("登录失败次数过多"), std::string::npos) << throttled.message;
  EXPECT_EQ(throttled.message, Accounts::throttle_message(throttled.retry_after));
  EXPECT_EQ(accounts_.login_wait("user:lihua", "client-a", last + 1), kFirstBackoffSeconds - 1);

  // Client A may still try another account; client B, with a clean record, logs in.
  EXPECT_EQ(login("other", "right-password-2", "client-a", last + 1).result, LoginResult::kOk);
  EXPECT_EQ(login("lihua", "right-password-1", "client-b", last + 1).result, LoginResult::kOk);
}

TEST_F(AccountsTest, UnknownNamesCountFailuresToo) {
  for (std::int64_t i = 0; i < kAccountFreeFailures; ++i) {
    ASSERT_EQ(login("nobody", "some-password-1", "client-a").result, LoginResult::kWrong) << i;
  }
  const auto out = login("nobody", "some-password-1", "client-a");
  EXPECT_EQ(out.result, LoginResult::kThrottled);
  EXPECT_EQ(out.retry_after, kFirstBackoffSeconds);
}

TEST_F(AccountsTest, AClientsFailuresThrottleItForEveryAccount) {
  register_at("lihua", "right-password-1");
  // Failures spread over accounts, none of which reaches its own limit.
  for (std::int64_t i = 0; i < kClientFreeFailures - 1; ++i) {
    ASSERT_EQ(login("nobody" + std::to_string(i), "some-password-1", "client-c").result,
              LoginResult::kWrong);
  }
  EXPECT_EQ(login("lihua", "right-password-1", "client-c").result, LoginResult::kOk);
  ASSERT_EQ(login("nobody-last", "some-password-1", "client-c").result, LoginResult::kWrong);
  const auto out = login("lihua", "right-password-1", "client-c", kT0 + 1);
  EXPECT_EQ(out.result, LoginResult::kThrottled);
  EXPECT_EQ(out.retry_after, kFirstBackoffSeconds - 1);
  EXPECT_EQ(login("fresh-name", "some-password-1", "client-c", kT0 + 1).result,
            LoginResult::kThrottled);
  // Another client is not concerned.
  EXPECT_EQ(login("lihua", "right-password-1", "client-d", kT0 + 1).result, LoginResult::kOk);
}

TEST_F(AccountsTest, TheBackOffDoublesAndExpires) {
  register_at("lihua", "right-password-1");
  for (std::int64_t i = 0; i < kAccountFreeFailures; ++i) {
    ASSERT_EQ(login("lihua", "wrong-password-1", "a", kT0).result, LoginResult::kWrong);
  }
  EXPECT_EQ(login("lihua", "wrong-password-1", "a", kT0).retry_after, kFirstBackoffSeconds);
  EXPECT_EQ(login("lihua", "wrong-password-1", "a", kT0 + kFirstBackoffSeconds - 1).retry_after, 1);
  // The wait is over: one more failure doubles it, counted from that failure.
  std::int64_t now = kT0 + kFirstBackoffSeconds;
  ASSERT_EQ(login("lihua", "wrong-password-1", "a", now).result, LoginResult::kWrong);
  EXPECT_EQ(login("lihua", "right-password-1", "a", now).retry_after, 2 * kFirstBackoffSeconds);
  now += 2 * kFirstBackoffSeconds;
  ASSERT_EQ(login("lihua", "wrong-password-1", "a", now).result, LoginResult::kWrong);
  const auto third = login("lihua", "right-password-1", "a", now + 1);
  EXPECT_EQ(third.result, LoginResult::kThrottled);
  EXPECT_EQ(third.retry_after, 4 * kFirstBackoffSeconds - 1);
  EXPECT_EQ(login("lihua", "right-password-1", "a", now + 4 * kFirstBackoffSeconds - 1).result,
            LoginResult::kThrottled);
  // Expired: the right password gets in.
  EXPECT_EQ(login("lihua", "right-password-1", "a", now + 4 * kFirstBackoffSeconds).result,
            LoginResult::kOk);
}

TEST_F(AccountsTest, TheBackOffIsCappedAndFailuresAgeOut) {
  for (int i = 0; i < 30; ++i) accounts_.login_failed("user:x", "d", kT0);
  EXPECT_EQ(accounts_.login_wait("user:x", "d", kT0), kMaxBackoffSeconds);
  EXPECT_EQ(accounts_.login_wait("user:x", "d", kT0 + kMaxBackoffSeconds - 1), 1);
  EXPECT_EQ(accounts_.login_wait("user:x", "d", kT0 + kMaxBackoffSeconds), 0);
  EXPECT_EQ(accounts_.login_wait("user:x", "clean", kT0), 0);
  // Out of the window the failures no longer count: one new failure throttles nobody.
  const std::int64_t later = kT0 + kFailureWindowSeconds + 1;
  accounts_.login_failed("user:x", "d", later);
  EXPECT_EQ(accounts_.login_wait("user:x", "d", later), 0);
}

TEST_F(AccountsTest, ASuccessClearsTheAccountsFailures) {
  register_at("lihua", "right-password-1");
  for (std::int64_t i = 0; i < kAccountFreeFailures - 1; ++i) {
    ASSERT_EQ(login("lihua", "wrong-password-1", "a").result, LoginResult::kWrong);
  }
  ASSERT_EQ(login("lihua", "right-password-1", "a").result, LoginResult::kOk);
  // Without the reset these would make 2 × (kAccountFreeFailures - 1) failures.
  for (std::int64_t i = 0; i < kAccountFreeFailures - 1; ++i) {
    ASSERT_EQ(login("lihua", "wrong-password-1", "a").result, LoginResult::kWrong);
  }
  EXPECT_EQ(login("lihua", "right-password-1", "a").result, LoginResult::kOk);
}

TEST(ThrottleMessage, RoundsUpToMinutes) {
  EXPECT_EQ(Accounts::throttle_message(1), "登录失败次数过多，请 1 分钟后再试。");
  EXPECT_EQ(Accounts::throttle_message(60), "登录失败次数过多，请 1 分钟后再试。");
  EXPECT_EQ(Accounts::throttle_message(61), "登录失败次数过多，请 2 分钟后再试。");
  EXPECT_EQ(Accounts::throttle_message(kMaxBackoffSeconds), "登录失败次数过多，请 15 分钟后再试。");
}

// ---- sessions ---------------------------------------------------------------------------------

TEST_F(AccountsTest, MemberFindsTheSessionsAccount) {
  const auto s = register_at("sunba", "right-password-1");
  const auto m = accounts_.member(s.token, kT0 + 10);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->viewer.role, Role::kMember);
  EXPECT_EQ(m->viewer.user, "sunba");
  EXPECT_EQ(m->viewer.user_id, s.member.user.id);
  EXPECT_EQ(m->user.id, s.member.user.id);
  EXPECT_EQ(m->session.token_hash, token_hash(s.token));
  EXPECT_FALSE(accounts_.member(random_hex(32), kT0 + 10));  // well-formed but unknown
}

TEST_F(AccountsTest, MalformedTokensFindNothing) {
  const auto s = register_at("sunba", "right-password-1");
  std::string upper = s.token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_NE(upper, s.token);
  std::string with_g = s.token;
  with_g[10] = 'g';
  for (const std::string& bad : std::vector<std::string>{
           std::string(), std::string("abc"), s.token.substr(0, 63), s.token + "0", upper, with_g,
           " " + s.token.substr(1), std::string(64, '\xff'), token_hash(s.token)}) {
    EXPECT_FALSE(accounts_.member(bad, kT0)) << bad;
    accounts_.logout(bad);  // a no-op
  }
  EXPECT_TRUE(accounts_.member(s.token, kT0));
}

TEST_F(AccountsTest, SessionsEndAfterBeingIdleTooLong) {
  const auto s1 = register_at("sunba", "right-password-1");
  const auto s2 = login("sunba", "right-password-1", "a");
  ASSERT_TRUE(s2.session);
  const std::string& t2 = s2.session->token;

  EXPECT_TRUE(accounts_.member(s1.token, kT0 + kSessionIdleSeconds - 1));
  EXPECT_FALSE(accounts_.member(t2, kT0 + kSessionIdleSeconds));
  EXPECT_FALSE(stored(t2));                 // the expired session is deleted
  EXPECT_FALSE(accounts_.member(t2, kT0));  // for good
  // s1 was seen at kT0 + kSessionIdleSeconds - 1, so it lives on from there.
  EXPECT_TRUE(accounts_.member(s1.token, kT0 + 2 * kSessionIdleSeconds - 2));
}

TEST_F(AccountsTest, SessionsEndAfterTheMaximumAgeWhateverTheActivity) {
  const auto s = register_at("sunba", "right-password-1");
  expect_absolute_expiry(accounts_, s.token);
}

TEST_F(AccountsTest, LastSeenIsWrittenAtMostEveryFewMinutes) {
  const auto s = register_at("sunba", "right-password-1");
  ASSERT_EQ(last_seen(s.token), kT0);
  auto m = accounts_.member(s.token, kT0 + kTouchEverySeconds - 1);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->session.last_seen_at, kT0);
  EXPECT_EQ(last_seen(s.token), kT0);

  const std::int64_t touched = kT0 + kTouchEverySeconds;
  m = accounts_.member(s.token, touched);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->session.last_seen_at, touched);
  EXPECT_EQ(last_seen(s.token), touched);

  EXPECT_TRUE(accounts_.member(s.token, touched + kTouchEverySeconds - 1));
  EXPECT_EQ(last_seen(s.token), touched);
  EXPECT_TRUE(accounts_.member(s.token, touched + kTouchEverySeconds));
  EXPECT_EQ(last_seen(s.token), touched + kTouchEverySeconds);
}

TEST_F(AccountsTest, LogoutEndsThatSessionOnly) {
  const auto s1 = register_at("sunba", "right-password-1");
  const auto s2 = login("sunba", "right-password-1", "a");
  ASSERT_TRUE(s2.session);
  accounts_.logout(s1.token);
  EXPECT_FALSE(accounts_.member(s1.token, kT0));
  EXPECT_FALSE(stored(s1.token));
  EXPECT_TRUE(accounts_.member(s2.session->token, kT0));
  accounts_.logout(s1.token);  // again: a no-op
  accounts_.logout(random_hex(32));
  EXPECT_TRUE(accounts_.member(s2.session->token, kT0));
}

TEST_F(AccountsTest, EndOtherSessionsKeepsTheCurrentOne) {
  const auto s1 = register_at("sunba", "right-password-1");
  const auto s2 = login("sunba", "right-password-1", "a");
  const auto s3 = login("sunba", "right-password-1", "a");
  ASSERT_TRUE(s2.session && s3.session);
  EXPECT_EQ(accounts_.end_other_sessions(s1.member), 2);
  EXPECT_TRUE(accounts_.member(s1.token, kT0));
  EXPECT_FALSE(accounts_.member(s2.session->token, kT0));
  EXPECT_FALSE(accounts_.member(s3.session->token, kT0));
}

// ---- the session cache ----------------------------------------------------------------------

TEST_F(AccountsTest, RevocationsThroughTheSameObjectAreSeenAtOnceEvenWhenCached) {
  const auto s = register_at("sunba", "right-password-1");
  const std::int64_t id = s.member.user.id;
  // Every lookup below happens at kT0, so a cached answer would stand if not forgotten.
  const auto cached = [&](const std::string& token) {
    EXPECT_TRUE(accounts_.member(token, kT0));
    return token;
  };

  const std::string a = cached(another_session("sunba"));
  cached(s.token);
  accounts_.logout(a);
  EXPECT_FALSE(accounts_.member(a, kT0));
  EXPECT_TRUE(accounts_.member(s.token, kT0));

  const std::string b = cached(another_session("sunba"));
  const std::string c = cached(another_session("sunba"));
  EXPECT_EQ(accounts_.end_other_sessions(*accounts_.member(s.token, kT0)), 2);
  EXPECT_FALSE(accounts_.member(b, kT0));
  EXPECT_FALSE(accounts_.member(c, kT0));
  EXPECT_TRUE(accounts_.member(s.token, kT0));

  const std::string d = cached(another_session("sunba"));
  accounts_.change_password(*accounts_.member(s.token, kT0), "right-password-1", "new-password-2");
  EXPECT_FALSE(accounts_.member(d, kT0));
  const auto m = accounts_.member(s.token, kT0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->user.password_hash, store_->user(id)->password_hash);

  EXPECT_EQ(accounts_.member(s.token, kT0)->viewer.role, Role::kMember);
  ASSERT_TRUE(accounts_.set_role(id, "vip", ""));
  EXPECT_EQ(accounts_.member(s.token, kT0)->viewer.role, Role::kVip);
  ASSERT_TRUE(accounts_.set_role(id, "member", ""));
  EXPECT_EQ(accounts_.member(s.token, kT0)->viewer.role, Role::kMember);

  ASSERT_TRUE(accounts_.set_disabled(id, true));
  EXPECT_FALSE(accounts_.member(s.token, kT0));
  EXPECT_FALSE(accounts_.set_role(id + 100, "vip", ""));
  EXPECT_FALSE(accounts_.set_disabled(id + 100, true));

  ASSERT_TRUE(accounts_.set_disabled(id, false));
  const auto fresh = login("sunba", "new-password-2", "client");
  ASSERT_TRUE(fresh.session);
  cached(fresh.session->token);
  accounts_.set_password("sunba", "newer-password-3");
  EXPECT_FALSE(accounts_.member(fresh.session->token, kT0));
}

TEST_F(AccountsTest, RevocationsElsewhereAreSeenOnceTheCacheSecondsHavePassed) {
  const auto s = register_at("sunba", "right-password-1");
  const std::string a = another_session("sunba");
  // Another server process, or the CLI: its own Accounts over the same store.
  Accounts elsewhere(*store_, "the site secret");

  ASSERT_TRUE(accounts_.member(a, kT0));
  elsewhere.logout(a);
  EXPECT_FALSE(stored(a));
  EXPECT_FALSE(elsewhere.member(a, kT0));
  // This object read the session at kT0: it may answer from its cache until the bound...
  EXPECT_TRUE(accounts_.member(a, kT0 + kSessionCacheSeconds - 1));
  // ... and never from then on.
  EXPECT_FALSE(accounts_.member(a, kT0 + kSessionCacheSeconds));

  const std::int64_t later = kT0 + 10;
  ASSERT_TRUE(accounts_.member(s.token, later));
  elsewhere.set_password("sunba", "new-password-2");  // `wenku user passwd`
  EXPECT_TRUE(accounts_.member(s.token, later + kSessionCacheSeconds - 1));
  EXPECT_FALSE(accounts_.member(s.token, later + kSessionCacheSeconds));
  EXPECT_FALSE(accounts_.member(s.token, later));  // not cached again
}

TEST_F(AccountsTest, RoleAndDisablingThroughTheStoreAreSeenOnceTheCacheSecondsHavePassed) {
  const auto s = register_at("sunba", "right-password-1");
  const std::int64_t id = s.member.user.id;
  ASSERT_EQ(accounts_.member(s.token, kT0)->viewer.role, Role::kMember);
  ASSERT_TRUE(store_->set_role(id, "admin", ""));  // e.g. the admin page in another worker
  EXPECT_EQ(accounts_.member(s.token, kT0 + kSessionCacheSeconds - 1)->viewer.role, Role::kMember);
  const std::int64_t t1 = kT0 + kSessionCacheSeconds;
  EXPECT_EQ(accounts_.member(s.token, t1)->viewer.role, Role::kAdmin);

  ASSERT_TRUE(store_->set_disabled(id, true));  // e.g. `wenku user disable`
  EXPECT_TRUE(accounts_.member(s.token, t1 + kSessionCacheSeconds - 1));
  EXPECT_FALSE(accounts_.member(s.token, t1 + kSessionCacheSeconds));
}

// With a cache that would keep entries for longer than sessions live, expiry, the touch of
// last_seen_at and the role of the day must still be judged at `now` on every call.
TEST_F(AccountsTest, ExpiryTouchAndRoleOfTheDayHoldAtNowForCachedSessions) {
  Accounts lasting(*store_, "the site secret", {.entries = 16, .seconds = 4 * kSessionMaxSeconds});
  const auto s = register_at("sunba", "right-password-1");

  // Idle expiry, exactly at kSessionIdleSeconds after the last touch.
  const std::string idle = another_session("sunba");
  ASSERT_TRUE(lasting.member(idle, kT0));
  EXPECT_TRUE(lasting.member(idle, kT0 + kTouchEverySeconds - 1));
  EXPECT_EQ(last_seen(idle), kT0);
  const std::int64_t touched = kT0 + kTouchEverySeconds;
  EXPECT_EQ(lasting.member(idle, touched)->session.last_seen_at, touched);
  EXPECT_EQ(last_seen(idle), touched);  // the touch reaches the store from a cached entry
  EXPECT_TRUE(lasting.member(idle, touched + kTouchEverySeconds - 1));
  EXPECT_EQ(last_seen(idle), touched);
  EXPECT_TRUE(lasting.member(idle, touched + kSessionIdleSeconds - 1));
  EXPECT_EQ(last_seen(idle), touched + kSessionIdleSeconds - 1);
  EXPECT_FALSE(lasting.member(idle, touched + 2 * kSessionIdleSeconds - 1));
  EXPECT_FALSE(stored(idle));

  // Absolute expiry, exactly kSessionMaxSeconds after login whatever the activity.
  expect_absolute_expiry(lasting, s.token);

  // A VIP whose last day is the day of kT0 acts as a member the next day.
  const std::string vip = another_session("sunba");
  ASSERT_TRUE(lasting.set_role(s.member.user.id, "vip", "2023-11-14"));
  EXPECT_EQ(lasting.member(vip, kT0)->viewer.role, Role::kVip);
  EXPECT_EQ(lasting.member(vip, kT0 + 2 * 3600)->viewer.role, Role::kMember);
}

TEST_F(AccountsTest, TheCacheKeepsNoUnknownTokensAndAtMostItsBoundOfSessions) {
  const auto s = register_at("sunba", "right-password-1");
  EXPECT_EQ(accounts_.cached_sessions(), 0u);
  ASSERT_TRUE(accounts_.member(s.token, kT0));
  EXPECT_EQ(accounts_.cached_sessions(), 1u);
  for (int i = 0; i < 3000; ++i) ASSERT_FALSE(accounts_.member(random_hex(32), kT0)) << i;
  EXPECT_EQ(accounts_.cached_sessions(), 1u);

  // More live sessions than the bound: the least recently used make room.
  for (std::size_t i = 0; i < kSessionCacheEntries + 50; ++i) {
    const std::string token = random_hex(32);
    store::Session session;
    session.token_hash = token_hash(token);
    session.user_id = s.member.user.id;
    session.created_at = session.last_seen_at = kT0;
    session.expires_at = kT0 + kSessionMaxSeconds;
    store_->add_session(session);
    ASSERT_TRUE(accounts_.member(token, kT0)) << i;
    ASSERT_LE(accounts_.cached_sessions(), kSessionCacheEntries) << i;
  }
  EXPECT_EQ(accounts_.cached_sessions(), kSessionCacheEntries);
  EXPECT_TRUE(accounts_.member(s.token, kT0));  // read again, from the store

  Accounts uncached(*store_, "the site secret", {.entries = 0});
  EXPECT_TRUE(uncached.member(s.token, kT0));
  EXPECT_EQ(uncached.cached_sessions(), 0u);
}

TEST_F(AccountsTest, MemberMayBeCalledFromSeveralThreadsAtOnce) {
  const auto s = register_at("sunba", "right-password-1");
  const std::string ending = another_session("sunba");
  std::atomic<bool> logged_out = false;
  std::atomic<int> wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3000; ++i) {
        const std::int64_t now = kT0 + i / 500;
        const bool after_logout = logged_out.load();
        if (accounts_.member(ending, now) && after_logout) ++wrong;
        if (!accounts_.member(s.token, now)) ++wrong;
        if (accounts_.member(random_hex(32), now)) ++wrong;
        if (t == 0 && i == 1000) {
          accounts_.logout(ending);
          logged_out = true;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_FALSE(accounts_.member(ending, kT0));
}

// A lookup that read the store just before a logout through the same object may answer,
// but must not cache what it read. The race is timing-dependent, so it is run many times;
// the answer after both is deterministic.
TEST_F(AccountsTest, ALookupRacingALogoutCachesNothingStale) {
  const auto s = register_at("sunba", "right-password-1");
  int stale = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string token = random_hex(32);
    store::Session session;
    session.token_hash = token_hash(token);
    session.user_id = s.member.user.id;
    session.created_at = session.last_seen_at = kT0;
    session.expires_at = kT0 + kSessionMaxSeconds;
    store_->add_session(session);
    std::atomic<bool> go = false;
    std::thread reader([&] {
      while (!go) {
      }
      for (int i = 0; i < 20; ++i) accounts_.member(token, kT0);
    });
    go = true;
    accounts_.logout(token);
    reader.join();
    if (accounts_.member(token, kT0)) ++stale;
  }
  EXPECT_EQ(stale, 0);
}

TEST(LruMap, ForgetsTheLeastRecentlyUsedEntryToMakeRoom) {
  LruMap<int> map(3);
  map.put("a", 1);
  map.put("b", 2);
  map.put("c", 3);
  ASSERT_NE(map.find("a"), nullptr);  // a is now the most recently used
  map.put("d", 4);                    // so b goes
  EXPECT_EQ(map.find("b"), nullptr);
  EXPECT_EQ(map.size(), 3u);
  map.put("c", 30);  // replaces, makes c the most recent
  EXPECT_EQ(*map.find("c"), 30);
  map.put("e", 5);  // a was used before d, c: a goes
  EXPECT_EQ(map.find("a"), nullptr);
  EXPECT_EQ(map.size(), 3u);
  EXPECT_EQ(map.erase_if([](int v) { return v > 4; }), 2u);  // c (30) and e
  EXPECT_EQ(*map.find("d"), 4);
  EXPECT_TRUE(map.erase("d"));
  EXPECT_FALSE(map.erase("d"));
  EXPECT_EQ(map.size(), 0u);

  LruMap<int> none(0);
  none.put("a", 1);
  EXPECT_EQ(none.find("a"), nullptr);
  EXPECT_EQ(none.size(), 0u);
}

// ---- passwords --------------------------------------------------------------------------------

TEST_F(AccountsTest, ChangePasswordChecksTheOldOneAndEndsOtherSessions) {
  const auto current = register_at("zhouqi", "old-password-1");
  const auto other = login("zhouqi", "old-password-1", "a");
  ASSERT_TRUE(other.session);
  const auto m = accounts_.member(current.token, kT0);
  ASSERT_TRUE(m);

  try {
    accounts_.change_password(*m, "wrong-password-1", "new-password-2");
    ADD_FAILURE() << "a wrong old password was accepted";
  } catch (const AccountError& e) {
    EXPECT_NE(std::string(e.what()).find("当前密码不正确"), std::string::npos) << e.what();
  }
  EXPECT_THROW(accounts_.change_password(*m, "old-password-1", "short"), AccountError);
  EXPECT_THROW(accounts_.change_password(*m, "old-password-1", "zhouqi"), AccountError);
  // The refusals changed nothing.
  EXPECT_TRUE(accounts_.member(other.session->token, kT0));
  EXPECT_EQ(login("zhouqi", "old-password-1", "b").result, LoginResult::kOk);

  accounts_.change_password(*m, "old-password-1", "new-password-2");
  EXPECT_TRUE(accounts_.member(current.token, kT0));
  EXPECT_FALSE(accounts_.member(other.session->token, kT0));
  EXPECT_EQ(store_->sessions_of(m->user.id).size(), 1u);
  EXPECT_TRUE(store_->user(m->user.id)->password_hash.starts_with("$argon2id$"));
  EXPECT_EQ(login("zhouqi", "old-password-1", "c").result, LoginResult::kWrong);
  EXPECT_EQ(login("zhouqi", "new-password-2", "c").result, LoginResult::kOk);
}

TEST_F(AccountsTest, SetPasswordEndsEverySession) {
  const auto s1 = register_at("zhouqi", "old-password-1");
  const auto s2 = login("zhouqi", "old-password-1", "a");
  ASSERT_TRUE(s2.session);
  accounts_.set_password("ZhouQi", "new-password-2");
  EXPECT_TRUE(store_->sessions_of(s1.member.user.id).empty());
  EXPECT_FALSE(accounts_.member(s1.token, kT0));
  EXPECT_FALSE(accounts_.member(s2.session->token, kT0));
  EXPECT_EQ(login("zhouqi", "old-password-1", "b").result, LoginResult::kWrong);
  EXPECT_EQ(login("zhouqi", "new-password-2", "b").result, LoginResult::kOk);

  EXPECT_THROW(accounts_.set_password("nobody", "new-password-2"), AccountError);
  EXPECT_THROW(accounts_.set_password("zhouqi", "short"), AccountError);
  EXPECT_EQ(login("zhouqi", "new-password-2", "b").result, LoginResult::kOk);
}

// ---- CSRF -------------------------------------------------------------------------------------

TEST_F(AccountsTest, CsrfTokensAreBoundToTheirBinding) {
  const std::string binding = random_hex(32);
  const std::string csrf = accounts_.csrf_token(binding);
  EXPECT_TRUE(is_token(csrf)) << csrf;
  EXPECT_NE(csrf, binding);
  EXPECT_EQ(accounts_.csrf_token(binding), csrf);
  EXPECT_TRUE(accounts_.csrf_valid(binding, csrf));
  EXPECT_FALSE(accounts_.csrf_valid(random_hex(32), csrf));
  EXPECT_FALSE(accounts_.csrf_valid(binding, ""));
  EXPECT_FALSE(accounts_.csrf_valid(binding, binding));
  std::string tampered = csrf;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(accounts_.csrf_valid(binding, tampered));
  // The empty binding is never valid, not even with its own MAC.
  EXPECT_FALSE(accounts_.csrf_valid("", accounts_.csrf_token("")));
  // Another process with the same secret agrees; another secret does not.
  EXPECT_TRUE(Accounts(*store_, "the site secret").csrf_valid(binding, csrf));
  EXPECT_FALSE(Accounts(*store_, "another secret").csrf_valid(binding, csrf));
}

// ---- roles ------------------------------------------------------------------------------------

TEST(Roles, NamesRoundTrip) {
  for (Role role : {Role::kMember, Role::kVip, Role::kAdmin}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_EQ(role_name(Role::kMember), "member");
  EXPECT_EQ(role_name(Role::kVip), "vip");
  EXPECT_EQ(role_name(Role::kAdmin), "admin");
  EXPECT_EQ(role_name(Role::kGuest), "guest");
  for (const char* other : {"guest", "", "Admin", "VIP", "owner", "member "}) {
    EXPECT_EQ(parse_role(other), std::nullopt) << other;
  }
  EXPECT_EQ(role_label(Role::kGuest), "游客");
  EXPECT_EQ(role_label(Role::kMember), "会员");
  EXPECT_EQ(role_label(Role::kVip), "VIP会员");
  EXPECT_EQ(role_label(Role::kAdmin), "管理员");
}

TEST(Roles, AVipWhoseDayHasPassedActsAsAMember) {
  store::User user;
  user.role = "vip";
  user.vip_until = "2024-03-01";
  EXPECT_EQ(effective_role(user, "2024-02-29"), Role::kVip);
  EXPECT_EQ(effective_role(user, "2024-03-01"), Role::kVip);  // the last day is included
  EXPECT_EQ(effective_role(user, "2024-03-02"), Role::kMember);
  EXPECT_EQ(effective_role(user, "2025-01-01"), Role::kMember);
  user.vip_until = "";
  EXPECT_EQ(effective_role(user, "9999-12-31"), Role::kVip);  // no expiry
  user.role = "admin";
  user.vip_until = "2000-01-01";
  EXPECT_EQ(effective_role(user, "2024-03-02"), Role::kAdmin);
  user.role = "member";
  EXPECT_EQ(effective_role(user, "2024-03-02"), Role::kMember);
}

TEST_F(AccountsTest, SessionsActWithTheRoleOfTheDay) {
  const auto s = register_at("vipuser", "right-password-1");
  ASSERT_TRUE(store_->set_role(s.member.user.id, "vip", "2023-11-14"));  // the day of kT0
  auto m = accounts_.member(s.token, kT0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->viewer.role, Role::kVip);
  m = accounts_.member(s.token, kT0 + 2 * 3600);  // 2023-11-15 00:13 UTC
  ASSERT_TRUE(m);
  EXPECT_EQ(m->viewer.role, Role::kMember);
  ASSERT_TRUE(store_->set_role(s.member.user.id, "vip", ""));
  EXPECT_EQ(accounts_.member(s.token, kT0 + 86400 * 20)->viewer.role, Role::kVip);
  ASSERT_TRUE(store_->set_role(s.member.user.id, "admin", ""));
  const auto out = login("vipuser", "right-password-1", "a", kT0 + 86400 * 20);
  ASSERT_TRUE(out.session);
  EXPECT_EQ(out.session->member.viewer.role, Role::kAdmin);
}

// ---- what each role reads ---------------------------------------------------------------------

doc::Document gated_doc(doc::Visibility visibility) {
  doc::Document d;
  d.id = "gated";
  d.title = "关于加强基层治理的讲话";
  d.visibility = visibility;
  for (int i = 0; i < 100; ++i) d.content += "同志们，今天的会议很重要。\n";
  d.content.pop_back();
  return d;
}

const Viewer kGuestViewer{Role::kGuest, "", 0};
const Viewer kMemberViewer{Role::kMember, "lihua", 1};
const Viewer kVipViewer{Role::kVip, "vip", 2};
const Viewer kAdminViewer{Role::kAdmin, "admin", 3};

// True when `viewer` reads all of a document of `visibility`; checks the preview otherwise.
bool reads_all(doc::Visibility visibility, const Viewer& viewer, const Policy& policy = {}) {
  const auto d = gated_doc(visibility);
  const auto r = readable(d, viewer, policy);
  EXPECT_TRUE(r);
  if (!r) return false;
  EXPECT_EQ(reads_full_text(visibility, viewer, policy), r->complete());
  if (r->complete()) {
    EXPECT_EQ(r->text(), d.content);
  } else {
    EXPECT_LT(r->text().size(), d.content.size());
    EXPECT_FALSE(r->text().empty());
    EXPECT_LE(text::count_code_points(r->text()), policy.preview_chars);
    EXPECT_TRUE(std::string_view(d.content).starts_with(r->text()));
    EXPECT_EQ(r->text(), readable(d, kGuestViewer, Policy{false, policy.preview_chars})->text());
  }
  return r->complete();
}

TEST(VisibleByRole, PublicTextsAreWholeForEveryone) {
  for (const auto& viewer : {kGuestViewer, kMemberViewer, kVipViewer, kAdminViewer}) {
    EXPECT_TRUE(reads_all(doc::Visibility::kPublic, viewer)) << viewer.user;
  }
}

TEST(VisibleByRole, MembersTextsArePreviewsForGuestsOnly) {
  EXPECT_FALSE(reads_all(doc::Visibility::kMembers, kGuestViewer));
  for (const auto& viewer : {kMemberViewer, kVipViewer, kAdminViewer}) {
    EXPECT_TRUE(reads_all(doc::Visibility::kMembers, viewer)) << viewer.user;
  }
}

TEST(VisibleByRole, VipTextsAreWholeForVipsAndAdminsOnly) {
  EXPECT_FALSE(reads_all(doc::Visibility::kVip, kGuestViewer));
  EXPECT_FALSE(reads_all(doc::Visibility::kVip, kMemberViewer));
  EXPECT_TRUE(reads_all(doc::Visibility::kVip, kVipViewer));
  EXPECT_TRUE(reads_all(doc::Visibility::kVip, kAdminViewer));
}

TEST(VisibleByRole, OpeningTextsToGuestsOpensMembersTextsButNotVipTexts) {
  const Policy open{true, 600};
  EXPECT_TRUE(reads_all(doc::Visibility::kMembers, kGuestViewer, open));
  EXPECT_TRUE(reads_all(doc::Visibility::kPublic, kGuestViewer, open));
  EXPECT_FALSE(reads_all(doc::Visibility::kVip, kGuestViewer, open));
  EXPECT_FALSE(reads_all(doc::Visibility::kVip, kMemberViewer, open));
  EXPECT_TRUE(reads_all(doc::Visibility::kVip, kVipViewer, open));
}

TEST(VisibleByRole, DeletedGatedTextsExistForAdminsOnly) {
  for (auto visibility :
       {doc::Visibility::kPublic, doc::Visibility::kMembers, doc::Visibility::kVip}) {
    auto d = gated_doc(visibility);
    d.deleted = true;
    for (const auto& viewer : {kGuestViewer, kMemberViewer, kVipViewer}) {
      EXPECT_FALSE(readable(d, viewer, Policy{true, 600}));
    }
    const auto admin = readable(d, kAdminViewer, Policy{});
    ASSERT_TRUE(admin);
    EXPECT_TRUE(admin->complete());
  }
}

TEST(VisibleByRole, TextBytesNeededIsUnchangedForGuests) {
  EXPECT_EQ(text_bytes_needed(kGuestViewer, Policy{false, 600}), 4u * 600 + 4);
  EXPECT_EQ(text_bytes_needed(kGuestViewer, Policy{false, 10}), 44u);
  EXPECT_EQ(text_bytes_needed(kGuestViewer, Policy{true, 600}),
            std::numeric_limits<std::size_t>::max());
  for (const auto& viewer : {kMemberViewer, kVipViewer, kAdminViewer}) {
    EXPECT_EQ(text_bytes_needed(viewer, Policy{false, 600}),
              std::numeric_limits<std::size_t>::max());
  }
}

}  // namespace
}  // namespace wenku::access
