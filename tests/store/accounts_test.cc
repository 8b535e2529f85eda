// The store's per-document visibility and member accounts (006_accounts.sql): accounts,
// sessions, login throttling, 我的收藏 and 阅读历史, and the migration of an older database.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/embedded.h"
#include "store/backends.h"
#include "store/migration.h"
#include "store/raw_db.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::store {
namespace {

namespace fs = std::filesystem;

doc::Document make_doc(std::string id, std::string category = "讲话稿") {
  doc::Document d;
  d.id = std::move(id);
  d.title = "标题" + d.id;
  d.date = "2021-12-25";
  d.category = std::move(category);
  d.content = "正文。";
  return d;
}

User make_user(std::string name, std::string role = "member", std::string vip_until = "") {
  User u;
  u.name = std::move(name);
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.role = std::move(role);
  u.vip_until = std::move(vip_until);
  return u;
}

Session make_session(std::string token_hash, std::int64_t user_id, std::int64_t seen = 100,
                     std::int64_t expires = 10'000) {
  return Session{std::move(token_hash), user_id, 50, seen, expires, "Mozilla/5.0 测试"};
}

std::vector<std::string> ids(const std::vector<MemberDoc>& list) {
  std::vector<std::string> out;
  for (const auto& m : list) out.push_back(m.doc.id);
  return out;
}

std::vector<std::string> tokens(const std::vector<Session>& sessions) {
  std::vector<std::string> out;
  for (const auto& s : sessions) out.push_back(s.token_hash);
  return out;
}

// "YYYY-MM-DD HH:MM:SS".
bool is_timestamp(const std::string& s) {
  return s.size() == 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' &&
         s[16] == ':';
}

class AccountsStoreTest : public BackendTest {
 protected:
  // A new account named `name`; fails the test when it cannot be added.
  std::int64_t add_member(const std::string& name, const std::string& role = "member") {
    auto id = store_->add_user(make_user(name, role));
    EXPECT_TRUE(id) << name;
    return id.value_or(0);
  }
};
WENKU_ON_EVERY_BACKEND(AccountsStoreTest);

// The migrations of an older SQLite database (migrations of PostgreSQL databases start at the
// current schema).
class AccountsMigrationTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

// ---- accounts -----------------------------------------------------------------------------

TEST_P(AccountsStoreTest, AUserRoundTripsAndNamesAreUniqueByteForByte) {
  User in = make_user("张三", "vip", "2025-01-31");
  in.id = 999;                            // set by add_user
  in.created_at = "2000-01-01 00:00:00";  // set by add_user
  const auto id = store_->add_user(in);
  ASSERT_TRUE(id);
  EXPECT_NE(*id, 999);

  const auto out = store_->user(*id);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->id, *id);
  EXPECT_EQ(out->name, "张三");
  EXPECT_EQ(out->password_hash, in.password_hash);
  EXPECT_EQ(out->role, "vip");
  EXPECT_EQ(out->vip_until, "2025-01-31");
  EXPECT_FALSE(out->disabled);
  EXPECT_TRUE(is_timestamp(out->created_at)) << out->created_at;
  EXPECT_NE(out->created_at, "2000-01-01 00:00:00");
  EXPECT_EQ(out->last_login_at, "");

  const auto by_name = store_->user_by_name("张三");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->id, *id);

  // The same name is taken, whatever the other fields; names differing in any byte are not.
  EXPECT_EQ(store_->add_user(make_user("张三", "admin")), std::nullopt);
  EXPECT_TRUE(store_->add_user(make_user("张三 ")));
  EXPECT_TRUE(store_->add_user(make_user("Zhang")));
  EXPECT_TRUE(store_->add_user(make_user("zhang")));
  EXPECT_EQ(store_->user_count(), 4);
  EXPECT_EQ(store_->user(*id)->role, "vip");  // the refused add changed nothing

  EXPECT_EQ(store_->user(12345), std::nullopt);
  EXPECT_EQ(store_->user_by_name("李四"), std::nullopt);
  EXPECT_EQ(store_->user_by_name("ZHANG"), std::nullopt);
}

TEST_P(AccountsStoreTest, AddUserKeepsTheDisabledFlagAsGiven) {
  User u = make_user("停用者");
  u.disabled = true;
  const auto id = store_->add_user(u);
  ASSERT_TRUE(id);
  EXPECT_TRUE(store_->user(*id)->disabled);
}

TEST_P(AccountsStoreTest, BadAccountsThrowInsteadOfLookingTaken) {
  EXPECT_THROW(store_->add_user(make_user("a", "")), StoreError);
  EXPECT_THROW(store_->add_user(make_user("a", "root")), StoreError);
  EXPECT_THROW(store_->add_user(make_user("a", "vip", "2025-02-30")), StoreError);
  EXPECT_THROW(store_->add_user(make_user("a", "vip", "31/01/2025")), StoreError);
  EXPECT_THROW(store_->add_user(make_user("")), StoreError);
  EXPECT_THROW(store_->add_user(make_user(std::string("a\0b", 3))), StoreError);
  EXPECT_THROW(store_->add_user(make_user("\xff")), StoreError);
  EXPECT_EQ(store_->user_count(), 0);
}

TEST_P(AccountsStoreTest, UsersPageByIdAndAdminsCountEnabledAdminsOnly) {
  std::vector<std::int64_t> created;
  for (const char* name : {"a", "b", "c", "d", "e"}) created.push_back(add_member(name));
  auto page = store_->users(2, 1);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, created[1]);
  EXPECT_EQ(page[0].name, "b");
  EXPECT_EQ(page[1].name, "c");
  EXPECT_EQ(store_->users(10, 4).size(), 1u);
  EXPECT_EQ(store_->users(10, 0).front().name, "a");
  EXPECT_EQ(store_->user_count(), 5);

  EXPECT_EQ(store_->admin_count(), 0);
  const auto admin = add_member("admin", "admin");
  add_member("admin2", "admin");
  EXPECT_EQ(store_->admin_count(), 2);
  EXPECT_TRUE(store_->set_disabled(admin, true));
  EXPECT_EQ(store_->admin_count(), 1);
  EXPECT_TRUE(store_->set_role(created[0], "admin", ""));
  EXPECT_EQ(store_->admin_count(), 2);
  EXPECT_TRUE(store_->set_role(created[0], "vip", ""));
  EXPECT_EQ(store_->admin_count(), 1);
}

TEST_P(AccountsStoreTest, RolePasswordAndLoginTimeAreSet) {
  const auto id = add_member("王五");
  EXPECT_TRUE(store_->set_role(id, "vip", "2026-12-31"));
  EXPECT_EQ(store_->user(id)->role, "vip");
  EXPECT_EQ(store_->user(id)->vip_until, "2026-12-31");
  EXPECT_TRUE(store_->set_role(id, "member", ""));
  EXPECT_EQ(store_->user(id)->role, "member");
  EXPECT_EQ(store_->user(id)->vip_until, "");
  EXPECT_THROW(store_->set_role(id, "owner", ""), StoreError);
  EXPECT_THROW(store_->set_role(id, "vip", "2026-1-1"), StoreError);
  EXPECT_EQ(store_->user(id)->role, "member");
  EXPECT_FALSE(store_->set_role(id + 1, "vip", ""));

  EXPECT_TRUE(store_->set_password_hash(id, "$argon2id$new"));
  EXPECT_EQ(store_->user(id)->password_hash, "$argon2id$new");
  EXPECT_FALSE(store_->set_password_hash(id + 1, "$argon2id$new"));

  EXPECT_TRUE(store_->mark_login(id));
  EXPECT_TRUE(is_timestamp(store_->user(id)->last_login_at)) << store_->user(id)->last_login_at;
  EXPECT_FALSE(store_->mark_login(id + 1));
}

// ---- sessions -----------------------------------------------------------------------------

TEST_P(AccountsStoreTest, ASessionIsFoundWithItsAccount) {
  const auto id = add_member("赵六", "vip");
  store_->add_session(make_session("aa11", id, 120, 9000));
  const auto found = store_->session("aa11");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session.token_hash, "aa11");
  EXPECT_EQ(found->session.user_id, id);
  EXPECT_EQ(found->session.created_at, 50);
  EXPECT_EQ(found->session.last_seen_at, 120);
  EXPECT_EQ(found->session.expires_at, 9000);
  EXPECT_EQ(found->session.user_agent, "Mozilla/5.0 测试");
  EXPECT_EQ(found->user.id, id);
  EXPECT_EQ(found->user.name, "赵六");
  EXPECT_EQ(found->user.role, "vip");
  EXPECT_EQ(found->user.password_hash, make_user("x").password_hash);
  EXPECT_TRUE(is_timestamp(found->user.created_at));

  EXPECT_EQ(store_->session("bb22"), std::nullopt);
  EXPECT_THROW(store_->add_session(make_session("aa11", id)), StoreError);      // token taken
  EXPECT_THROW(store_->add_session(make_session("cc33", id + 1)), StoreError);  // no account
  EXPECT_EQ(store_->session("cc33"), std::nullopt);
}

TEST_P(AccountsStoreTest, TouchMovesLastSeenForwardOnly) {
  const auto id = add_member("a");
  store_->add_session(make_session("t", id, 100));
  store_->touch_session("t", 250);
  EXPECT_EQ(store_->session("t")->session.last_seen_at, 250);
  store_->touch_session("t", 200);  // another process's older touch
  EXPECT_EQ(store_->session("t")->session.last_seen_at, 250);
  EXPECT_NO_THROW(store_->touch_session("gone", 300));
  EXPECT_EQ(store_->session("gone"), std::nullopt);
}

TEST_P(AccountsStoreTest, SessionsAreListedMostRecentlySeenFirstAndDeleted) {
  const auto a = add_member("a");
  const auto b = add_member("b");
  store_->add_session(make_session("a1", a, 100));
  store_->add_session(make_session("a2", a, 300));
  store_->add_session(make_session("a3", a, 200));
  store_->add_session(make_session("b1", b, 100));
  EXPECT_EQ(tokens(store_->sessions_of(a)), (std::vector<std::string>{"a2", "a3", "a1"}));
  store_->touch_session("a1", 400);
  EXPECT_EQ(tokens(store_->sessions_of(a)), (std::vector<std::string>{"a1", "a2", "a3"}));

  EXPECT_TRUE(store_->delete_session("a3"));
  EXPECT_FALSE(store_->delete_session("a3"));
  EXPECT_EQ(store_->session("a3"), std::nullopt);
  EXPECT_EQ(tokens(store_->sessions_of(a)), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(tokens(store_->sessions_of(b)), std::vector<std::string>{"b1"});
}

TEST_P(AccountsStoreTest, DeleteSessionsOfKeepsTheGivenOneAndOtherAccounts) {
  const auto a = add_member("a");
  const auto b = add_member("b");
  for (const char* t : {"a1", "a2", "a3"}) store_->add_session(make_session(t, a));
  store_->add_session(make_session("b1", b));
  EXPECT_EQ(store_->delete_sessions_of(a, "a2"), 2);
  EXPECT_EQ(tokens(store_->sessions_of(a)), std::vector<std::string>{"a2"});
  EXPECT_TRUE(store_->session("a2"));
  EXPECT_EQ(store_->session("a1"), std::nullopt);
  EXPECT_EQ(store_->delete_sessions_of(a, "b1"), 1);  // another account's token keeps nothing
  EXPECT_TRUE(store_->sessions_of(a).empty());
  EXPECT_EQ(tokens(store_->sessions_of(b)), std::vector<std::string>{"b1"});
  EXPECT_EQ(store_->delete_sessions_of(b, ""), 1);
  EXPECT_TRUE(store_->sessions_of(b).empty());
  EXPECT_EQ(store_->delete_sessions_of(b, ""), 0);
}

TEST_P(AccountsStoreTest, DeleteExpiredSessionsDeletesThoseEndedBeforeNow) {
  const auto a = add_member("a");
  store_->add_session(make_session("e100", a, 10, 100));
  store_->add_session(make_session("e200", a, 10, 200));
  store_->add_session(make_session("e300", a, 10, 300));
  EXPECT_EQ(store_->delete_expired_sessions(200), 1);
  EXPECT_EQ(tokens(store_->sessions_of(a)), (std::vector<std::string>{"e200", "e300"}));
  EXPECT_EQ(store_->delete_expired_sessions(200), 0);
  EXPECT_EQ(store_->delete_expired_sessions(1000), 2);
  EXPECT_TRUE(store_->sessions_of(a).empty());
}

TEST_P(AccountsStoreTest, DisablingDeletesTheAccountsSessionsAndBarsNewOnes) {
  const auto a = add_member("a");
  const auto b = add_member("b");
  store_->add_session(make_session("a1", a));
  store_->add_session(make_session("a2", a));
  store_->add_session(make_session("b1", b));

  EXPECT_TRUE(store_->set_disabled(a, true));
  EXPECT_TRUE(store_->user(a)->disabled);
  EXPECT_TRUE(store_->sessions_of(a).empty());
  EXPECT_EQ(store_->session("a1"), std::nullopt);
  EXPECT_TRUE(store_->session("b1"));
  EXPECT_THROW(store_->add_session(make_session("a3", a)), StoreError);
  EXPECT_EQ(store_->session("a3"), std::nullopt);

  EXPECT_TRUE(store_->set_disabled(a, false));
  EXPECT_FALSE(store_->user(a)->disabled);
  store_->add_session(make_session("a4", a));
  EXPECT_TRUE(store_->set_disabled(a, false));  // enabling again keeps the sessions
  EXPECT_EQ(tokens(store_->sessions_of(a)), std::vector<std::string>{"a4"});
  EXPECT_FALSE(store_->set_disabled(b + 1, true));
}

// ---- login throttling ---------------------------------------------------------------------

TEST_P(AccountsStoreTest, LoginFailuresCountPerKeySinceATimeUntilCleared) {
  EXPECT_EQ(store_->login_failures("user:a", 0).count, 0);
  EXPECT_EQ(store_->login_failures("user:a", 0).last_at, 0);
  store_->add_login_failure("user:a", 1000);
  store_->add_login_failure("user:a", 1020);
  store_->add_login_failure("user:a", 1010);
  store_->add_login_failure("user:a", 1010);  // two in one second count twice
  store_->add_login_failure("client:x", 1015);

  auto all = store_->login_failures("user:a", 0);
  EXPECT_EQ(all.count, 4);
  EXPECT_EQ(all.last_at, 1020);
  auto recent = store_->login_failures("user:a", 1010);  // at or after
  EXPECT_EQ(recent.count, 3);
  EXPECT_EQ(recent.last_at, 1020);
  auto none = store_->login_failures("user:a", 1021);
  EXPECT_EQ(none.count, 0);
  EXPECT_EQ(none.last_at, 0);
  EXPECT_EQ(store_->login_failures("client:x", 0).count, 1);
  EXPECT_EQ(store_->login_failures("user:A", 0).count, 0);

  store_->clear_login_failures("user:a");
  EXPECT_EQ(store_->login_failures("user:a", 0).count, 0);
  EXPECT_EQ(store_->login_failures("client:x", 0).count, 1);
}

TEST_P(AccountsStoreTest, LoginFailuresOlderThanADayArePruned) {
  constexpr std::int64_t kDay = 86400;
  store_->add_login_failure("user:a", 1000);
  store_->add_login_failure("client:x", 1000);
  store_->add_login_failure("user:a", 1000 + kDay);  // the first is exactly a day older: kept
  EXPECT_EQ(store_->login_failures("user:a", 0).count, 2);
  store_->add_login_failure("user:b", 1001 + kDay);
  EXPECT_EQ(store_->login_failures("user:a", 0).count, 1);
  EXPECT_EQ(store_->login_failures("client:x", 0).count, 0);  // a key never tried again too
  EXPECT_EQ(store_->login_failures("user:b", 0).count, 1);
}

// ---- 我的收藏 -------------------------------------------------------------------------------

TEST_P(AccountsStoreTest, FavoritesAreAddedReDatedAndRemoved) {
  store_->put({make_doc("a"), make_doc("b")});
  const auto u = add_member("u");
  EXPECT_FALSE(store_->is_favorite(u, "a"));
  EXPECT_TRUE(store_->add_favorite(u, "a", 100));
  EXPECT_TRUE(store_->add_favorite(u, "b", 200));
  EXPECT_TRUE(store_->is_favorite(u, "a"));
  EXPECT_EQ(ids(store_->favorites(u, 10, 0)), (std::vector<std::string>{"b", "a"}));

  EXPECT_TRUE(store_->add_favorite(u, "a", 300));  // re-dated: now the newest, still one row
  auto list = store_->favorites(u, 10, 0);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].doc.id, "a");
  EXPECT_EQ(list[0].at, 300);
  EXPECT_EQ(list[1].at, 200);
  EXPECT_EQ(store_->favorite_count(u), 2);

  EXPECT_FALSE(store_->add_favorite(u, "missing", 400));
  EXPECT_FALSE(store_->add_favorite(u + 1, "a", 400));
  EXPECT_FALSE(store_->is_favorite(u, "missing"));
  EXPECT_FALSE(store_->is_favorite(u + 1, "a"));

  EXPECT_TRUE(store_->remove_favorite(u, "a"));
  EXPECT_FALSE(store_->remove_favorite(u, "a"));
  EXPECT_FALSE(store_->is_favorite(u, "a"));
  EXPECT_FALSE(store_->remove_favorite(u, "missing"));
  EXPECT_EQ(ids(store_->favorites(u, 10, 0)), std::vector<std::string>{"b"});
  EXPECT_EQ(store_->favorite_count(u), 1);
}

TEST_P(AccountsStoreTest, FavoritesPageNewestFirstWithSummariesAndWithoutDeletedDocuments) {
  store_->put({make_doc("a"), make_doc("b", "通知"), make_doc("c"), make_doc("d"), make_doc("e")});
  store_->add_views({{"b", "2024-05-01", "v1"}, {"b", "2024-05-01", "v2"}});
  const auto u = add_member("u");
  const auto other = add_member("other");
  std::int64_t at = 100;
  for (const char* id : {"a", "b", "c", "d", "e"}) ASSERT_TRUE(store_->add_favorite(u, id, at++));
  ASSERT_TRUE(store_->add_favorite(other, "a", 500));

  EXPECT_EQ(ids(store_->favorites(u, 2, 0)), (std::vector<std::string>{"e", "d"}));
  EXPECT_EQ(ids(store_->favorites(u, 2, 2)), (std::vector<std::string>{"c", "b"}));
  EXPECT_EQ(ids(store_->favorites(u, 2, 4)), std::vector<std::string>{"a"});
  EXPECT_EQ(ids(store_->favorites(other, 10, 0)), std::vector<std::string>{"a"});

  // Each entry carries the document's summary, as other lists read it.
  const auto b = store_->favorites(u, 1, 3);
  ASSERT_EQ(b.size(), 1u);
  const auto expected = doc::summarize(*store_->get("b"));
  EXPECT_EQ(b[0].doc.id, expected.id);
  EXPECT_EQ(b[0].doc.title, "标题b");
  EXPECT_EQ(b[0].doc.title, expected.title);
  EXPECT_EQ(b[0].doc.date, expected.date);
  EXPECT_EQ(b[0].doc.category, "通知");
  EXPECT_EQ(b[0].doc.views, 2);
  EXPECT_EQ(b[0].doc.created_at, expected.created_at);
  EXPECT_EQ(b[0].doc.updated_at, expected.updated_at);
  EXPECT_EQ(b[0].at, 101);

  // A soft-deleted document leaves the list and the count, and comes back when restored.
  ASSERT_TRUE(store_->set_deleted("c", true));
  EXPECT_EQ(ids(store_->favorites(u, 10, 0)), (std::vector<std::string>{"e", "d", "b", "a"}));
  EXPECT_EQ(store_->favorite_count(u), 4);
  ASSERT_TRUE(store_->set_deleted("c", false));
  EXPECT_EQ(ids(store_->favorites(u, 10, 0)), (std::vector<std::string>{"e", "d", "c", "b", "a"}));
  EXPECT_EQ(store_->favorite_count(u), 5);
}

// ---- 阅读历史 -------------------------------------------------------------------------------

TEST_P(AccountsStoreTest, HistoryMovesARereadToTheTop) {
  store_->put({make_doc("a"), make_doc("b"), make_doc("c")});
  const auto u = add_member("u");
  EXPECT_TRUE(store_->add_history(u, "a", 100));
  EXPECT_TRUE(store_->add_history(u, "b", 200));
  EXPECT_TRUE(store_->add_history(u, "c", 300));
  EXPECT_EQ(ids(store_->history(u, 10, 0)), (std::vector<std::string>{"c", "b", "a"}));

  EXPECT_TRUE(store_->add_history(u, "a", 400));
  const auto list = store_->history(u, 10, 0);
  EXPECT_EQ(ids(list), (std::vector<std::string>{"a", "c", "b"}));
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list[0].at, 400);
  EXPECT_EQ(list[0].doc.title, "标题a");
  EXPECT_EQ(store_->history_count(u), 3);
  EXPECT_EQ(ids(store_->history(u, 1, 1)), std::vector<std::string>{"c"});

  EXPECT_FALSE(store_->add_history(u, "missing", 500));
  EXPECT_FALSE(store_->add_history(u + 1, "a", 500));
  EXPECT_EQ(store_->history_count(u), 3);

  ASSERT_TRUE(store_->set_deleted("c", true));
  EXPECT_EQ(ids(store_->history(u, 10, 0)), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(store_->history_count(u), 2);
}

TEST_P(AccountsStoreTest, HistoryKeepsTheNewestRowsUpToTheCap) {
  constexpr int kExtra = 5;
  std::vector<doc::Document> docs;
  for (int i = 0; i < kMaxHistory + kExtra; ++i) docs.push_back(make_doc("d" + std::to_string(i)));
  store_->put(docs);
  const auto u = add_member("u");
  const auto other = add_member("other");
  ASSERT_TRUE(store_->add_history(other, "d0", 1));
  for (int i = 0; i < kMaxHistory + kExtra; ++i) {
    ASSERT_TRUE(store_->add_history(u, "d" + std::to_string(i), 1000 + i));
  }

  EXPECT_EQ(store_->history_count(u), kMaxHistory);
  const auto list = store_->history(u, kMaxHistory + kExtra, 0);
  ASSERT_EQ(static_cast<std::int64_t>(list.size()), kMaxHistory);
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.front().doc.id, "d" + std::to_string(kMaxHistory + kExtra - 1));
  EXPECT_EQ(list.back().doc.id, "d" + std::to_string(kExtra));  // the oldest kExtra went
  for (const auto& m : list) {
    EXPECT_GE(m.at, 1000 + kExtra) << m.doc.id;
  }
  // Another account's history is its own.
  EXPECT_EQ(ids(store_->history(other, 10, 0)), std::vector<std::string>{"d0"});

  // Re-reading the oldest kept row moves it up instead of dropping another one.
  ASSERT_TRUE(store_->add_history(u, "d" + std::to_string(kExtra), 5000));
  EXPECT_EQ(store_->history_count(u), kMaxHistory);
  EXPECT_EQ(store_->history(u, 1, 0).front().doc.id, "d" + std::to_string(kExtra));
}

TEST_P(AccountsStoreTest, ClearHistoryDeletesOnlyThatAccountsRows) {
  store_->put({make_doc("a"), make_doc("b")});
  const auto u = add_member("u");
  const auto other = add_member("other");
  store_->add_history(u, "a", 1);
  store_->add_history(u, "b", 2);
  store_->add_history(other, "a", 3);
  EXPECT_EQ(store_->clear_history(u), 2);
  EXPECT_TRUE(store_->history(u, 10, 0).empty());
  EXPECT_EQ(store_->history_count(u), 0);
  EXPECT_EQ(store_->history_count(other), 1);
  EXPECT_EQ(store_->clear_history(u), 0);
}

// ---- per-document visibility --------------------------------------------------------------

TEST_P(AccountsStoreTest, VisibilityDefaultsToMembersAndIsReadEverywhere) {
  auto in = make_doc("a");
  in.visibility = doc::Visibility::kPublic;  // ignored on write
  store_->put({in});
  EXPECT_EQ(store_->get("a")->visibility, doc::Visibility::kMembers);

  for (auto v : {doc::Visibility::kVip, doc::Visibility::kPublic, doc::Visibility::kMembers}) {
    ASSERT_TRUE(store_->set_visibility("a", v));
    EXPECT_EQ(store_->get("a")->visibility, v);
    EXPECT_EQ(store_->get_text("a", SIZE_MAX)->visibility, v);
    EXPECT_EQ(store_->get_text("a", 3)->visibility, v);
    const auto changes = store_->changes_since(0, 10);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].visibility, v);
  }
}

TEST_P(AccountsStoreTest, SetVisibilityBumpsTheSequenceAndPutKeepsIt) {
  store_->put({make_doc("a"), make_doc("b")});
  const auto before = store_->last_seq();
  ASSERT_TRUE(store_->set_visibility("a", doc::Visibility::kVip));
  EXPECT_EQ(store_->last_seq(), before + 1);
  EXPECT_EQ(store_->get("a")->seq, before + 1);
  EXPECT_EQ(store_->stamp("a")->seq, before + 1);
  const auto changes = store_->changes_since(before, 10);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].id, "a");

  // Replacing the document (its visibility field says otherwise) keeps the stored one.
  auto again = make_doc("a");
  again.title = "新标题";
  again.visibility = doc::Visibility::kPublic;
  store_->put({again});
  EXPECT_EQ(store_->get("a")->title, "新标题");
  EXPECT_EQ(store_->get("a")->visibility, doc::Visibility::kVip);
  EXPECT_EQ(store_->get("b")->visibility, doc::Visibility::kMembers);

  const auto seq = store_->last_seq();
  EXPECT_FALSE(store_->set_visibility("missing", doc::Visibility::kPublic));
  EXPECT_EQ(store_->last_seq(), seq);  // a miss takes no number
}

// ---- migration ----------------------------------------------------------------------------

// A database of schema version 5 (before accounts) keeps its documents and everything that
// refers to them; the documents get the default visibility, stored before the text.
TEST_F(AccountsMigrationTest, AnOlderDatabaseKeepsItsDocumentsWithTheDefaultVisibility) {
  const auto path = dir_.path() / "old.sqlite";
  const std::string long_text(100'000, 'x');
  {
    RawDb raw(path);
    raw.create_schema(5);
    raw.exec(
        "INSERT INTO documents (id, title, date, category, seq, views, deleted, created_at,"
        " updated_at, content) VALUES"
        " ('a', '甲', '2020-01-01', '通知', 1, 7, 0, '2024-01-01 00:00:00', '2024-01-02 00:00:00',"
        " '正文甲'),"
        " ('b', '乙', '', '', 3, 0, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00', '" +
        long_text + "')");
    raw.exec("UPDATE sequence SET value = 3");
    raw.exec("INSERT INTO doc_features (id, simhash, analysis) VALUES ('a', 7, '{}')");
    raw.exec("INSERT INTO doc_keywords (id, keywords) VALUES ('a', '[\"改革\"]')");
    raw.exec("INSERT INTO similar_docs (a, b, distance) VALUES ('a', 'b', 2)");
    raw.exec("INSERT INTO view_days (day, id, views) VALUES ('2024-05-01', 'a', 7)");
    raw.exec("INSERT INTO collections (slug, title) VALUES ('t', '专题')");
    raw.exec("INSERT INTO collection_docs (slug, position, id) VALUES ('t', 0, 'a')");
  }
  store_ = open_sqlite(path);

  const auto a = store_->get("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->title, "甲");
  EXPECT_EQ(a->date, "2020-01-01");
  EXPECT_EQ(a->category, "通知");
  EXPECT_EQ(a->content, "正文甲");
  EXPECT_EQ(a->seq, 1);
  EXPECT_EQ(a->views, 7);
  EXPECT_EQ(a->created_at, "2024-01-01 00:00:00");
  EXPECT_EQ(a->updated_at, "2024-01-02 00:00:00");
  EXPECT_EQ(a->visibility, doc::Visibility::kMembers);
  EXPECT_EQ(a->simhash, 7u);
  EXPECT_EQ(a->keywords, std::vector<std::string>{"改革"});
  const auto b = store_->get_text("b", 10);  // read by rowid, which the rebuild kept apart
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->deleted);
  EXPECT_EQ(b->content, std::string(10, 'x'));
  EXPECT_EQ(b->visibility, doc::Visibility::kMembers);
  EXPECT_EQ(store_->get("b")->content, long_text);
  EXPECT_EQ(store_->last_seq(), 3);
  EXPECT_EQ(store_->count(), 1);

  // The rows referring to the documents are all still there.
  ASSERT_TRUE(store_->set_deleted("b", false));
  ASSERT_EQ(store_->similar("a").size(), 1u);
  EXPECT_EQ(store_->similar("a")[0].doc.id, "b");
  EXPECT_EQ(store_->hot("2024-01-01", 10, std::nullopt).size(), 1u);
  ASSERT_TRUE(store_->collection("t"));
  EXPECT_EQ(store_->collection("t")->ids, std::vector<std::string>{"a"});

  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"),
            std::to_string(migration_version(embedded::migrations().back().path)));
  // Stored before the text, so reading it never walks a long text's overflow pages.
  EXPECT_LT(std::stoi(raw.scalar(
                "SELECT cid FROM pragma_table_info('documents') WHERE name = 'visibility'")),
            std::stoi(raw.scalar(
                "SELECT cid FROM pragma_table_info('documents') WHERE name = 'content'")));
  // The listing indexes came back with the rebuilt table.
  for (const char* index :
       {"documents_newest", "documents_category_newest", "documents_most_viewed",
        "documents_category_most_viewed", "documents_created", "documents_deleted_newest"}) {
    EXPECT_EQ(raw.scalar(std::string("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index'"
                                     " AND tbl_name = 'documents' AND name = '") +
                         index + "'"),
              "1")
        << index;
  }
  // The new tables work on the migrated database.
  const auto u = store_->add_user(make_user("u"));
  ASSERT_TRUE(u);
  EXPECT_TRUE(store_->add_favorite(*u, "a", 1));
  EXPECT_EQ(store_->favorite_count(*u), 1);
}

// A migration that would leave a row referring to a missing one is not committed.
TEST_F(AccountsMigrationTest, AMigrationLeavingADanglingReferenceFailsAndChangesNothing) {
  const auto path = dir_.path() / "old.sqlite";
  {
    RawDb raw(path);  // foreign keys off, as SQLite opens by default
    raw.create_schema(5);
    raw.exec(
        "INSERT INTO documents (id, title, seq, created_at, updated_at) VALUES"
        " ('a', '甲', 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00')");
    raw.exec("INSERT INTO doc_features (id, simhash, analysis) VALUES ('gone', 1, '')");
  }
  try {
    open_sqlite(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("doc_features"), std::string::npos) << e.what();
  }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "5");
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM pragma_table_info('documents')"
                       " WHERE name = 'visibility'"),
            "0");
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM documents"), "1");
}

// Migrations run with foreign keys off; the connection has them on again afterwards.
TEST(AccountsMigration, ForeignKeysAreOnAgainAfterMigrating) {
  testing::TempDir dir;
  sqlite::Connection conn(dir.path() / "wenku.sqlite", /*read_only=*/false);
  sqlite::migrate(conn, embedded::migrations());
  auto q = conn.statement("PRAGMA foreign_keys").use();
  q.step_row();
  EXPECT_EQ(q.integer(0), 1);
}

}  // namespace
}  // namespace wenku::store
