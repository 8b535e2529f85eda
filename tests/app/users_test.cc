// `wenku user …` (app/users.h): run_user_command over a real SQLite store, and the real
// binary creating the first admin.
#include "app/users.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "access/accounts.h"
#include "access/passwords.h"
#include "access/tokens.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::app {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;

// True when `s` holds a CJK ideograph (a message in Chinese).
bool has_han(const std::string& s) {
  for (std::size_t pos = 0; pos < s.size();) {
    if (text::is_han(text::decode_at(s, pos))) return true;
  }
  return false;
}

class UsersTest : public ::testing::Test {
 protected:
  // Runs `command` with `input` on standard input; returns the exit status.
  int run(UserCommand::Action action, const std::string& name, const std::string& input = "",
          const std::string& role = "member", const std::string& vip_until = "") {
    UserCommand command;
    command.action = action;
    command.name = name;
    command.role = role;
    command.vip_until = vip_until;
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    const int status = run_user_command(*store_, command, in, out, err);
    out_ = out.str();
    err_ = err.str();
    return status;
  }

  access::LoginOutcome login(const std::string& name, const std::string& password) {
    return accounts_.login(name, password, "test-client", kT0, "test");
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_ = store::open_sqlite(dir_.path() / "wenku.sqlite");
  access::Accounts accounts_{*store_, "secret"};
  std::string out_;
  std::string err_;
};

using Action = UserCommand::Action;

TEST_F(UsersTest, AddReadsThePasswordFromTheFirstLine) {
  ASSERT_EQ(run(Action::kAdd, "ＬiHua", "first-password-1\nsecond line\n"), 0) << err_;
  EXPECT_NE(out_.find("lihua"), std::string::npos) << out_;
  EXPECT_EQ(err_, "");
  const auto user = store_->user_by_name("lihua");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->role, "member");
  EXPECT_EQ(user->vip_until, "");
  EXPECT_TRUE(user->password_hash.starts_with("$argon2id$")) << user->password_hash;
  EXPECT_TRUE(access::verify_password(user->password_hash, "first-password-1"));
  EXPECT_EQ(out_.find("first-password-1"), std::string::npos) << out_;
  EXPECT_EQ(login("lihua", "first-password-1").result, access::LoginResult::kOk);

  // A Windows line end is not part of the password; no line end at all is fine.
  ASSERT_EQ(run(Action::kAdd, "wangwu", "crlf-password-2\r\n", "admin"), 0) << err_;
  EXPECT_EQ(store_->user_by_name("wangwu")->role, "admin");
  EXPECT_EQ(login("wangwu", "crlf-password-2").result, access::LoginResult::kOk);
  ASSERT_EQ(run(Action::kAdd, "zhaoliu", "no-newline-3"), 0) << err_;
  EXPECT_EQ(login("zhaoliu", "no-newline-3").result, access::LoginResult::kOk);
}

TEST_F(UsersTest, AddWithoutAPasswordLineIsRefused) {
  EXPECT_EQ(run(Action::kAdd, "lihua", ""), 1);
  EXPECT_TRUE(has_han(err_)) << err_;
  EXPECT_NE(err_.find("标准输入"), std::string::npos) << err_;
  EXPECT_EQ(out_, "");
  EXPECT_EQ(store_->user_count(), 0);
}

TEST_F(UsersTest, AddRefusesBadRolesDatesNamesAndPasswords) {
  EXPECT_EQ(run(Action::kAdd, "lihua", "good-password-1\n", "owner"), 1);
  EXPECT_NE(err_.find("角色"), std::string::npos) << err_;
  EXPECT_EQ(run(Action::kAdd, "lihua", "good-password-1\n", "guest"), 1);
  EXPECT_TRUE(has_han(err_)) << err_;
  EXPECT_EQ(run(Action::kAdd, "lihua", "good-password-1\n", "vip", "2030/12/31"), 1);
  EXPECT_NE(err_.find("--vip-until"), std::string::npos) << err_;
  EXPECT_EQ(run(Action::kAdd, "张", "good-password-1\n"), 1);
  EXPECT_NE(err_.find("用户名"), std::string::npos) << err_;
  EXPECT_EQ(run(Action::kAdd, "lihua", "short\n"), 1);
  EXPECT_NE(err_.find("密码"), std::string::npos) << err_;
  EXPECT_EQ(err_.find("short"), std::string::npos) << err_;  // the password is not echoed
  EXPECT_EQ(store_->user_count(), 0);

  ASSERT_EQ(run(Action::kAdd, "lihua", "good-password-1\n"), 0) << err_;
  EXPECT_EQ(run(Action::kAdd, "LiHua", "good-password-2\n"), 1);
  EXPECT_NE(err_.find("已被注册"), std::string::npos) << err_;
  EXPECT_EQ(store_->user_count(), 1);
}

TEST_F(UsersTest, AddAVipWithAnEndDay) {
  ASSERT_EQ(run(Action::kAdd, "vipuser", "good-password-1\n", "vip", "2030-12-31"), 0) << err_;
  const auto user = store_->user_by_name("vipuser");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->role, "vip");
  EXPECT_EQ(user->vip_until, "2030-12-31");
}

TEST_F(UsersTest, PasswdSetsThePasswordAndEndsTheSessions) {
  ASSERT_EQ(run(Action::kAdd, "lihua", "old-password-1\n"), 0) << err_;
  const auto s1 = login("lihua", "old-password-1");
  const auto s2 = login("lihua", "old-password-1");
  ASSERT_TRUE(s1.session && s2.session);
  const auto id = s1.session->member.user.id;
  ASSERT_EQ(store_->sessions_of(id).size(), 2u);

  ASSERT_EQ(run(Action::kPasswd, "LiHua", "new-password-2\n"), 0) << err_;
  EXPECT_EQ(out_.find("new-password-2"), std::string::npos) << out_;
  EXPECT_TRUE(store_->sessions_of(id).empty());
  EXPECT_FALSE(accounts_.member(s1.session->token, kT0));
  EXPECT_EQ(login("lihua", "old-password-1").result, access::LoginResult::kWrong);
  EXPECT_EQ(login("lihua", "new-password-2").result, access::LoginResult::kOk);

  EXPECT_EQ(run(Action::kPasswd, "lihua", ""), 1);  // no password line
  EXPECT_TRUE(has_han(err_)) << err_;
  EXPECT_EQ(run(Action::kPasswd, "lihua", "short\n"), 1);
  EXPECT_TRUE(has_han(err_)) << err_;
  EXPECT_EQ(login("lihua", "new-password-2").result, access::LoginResult::kOk);
}

TEST_F(UsersTest, RoleSetsTheRoleAndTheVipEndDay) {
  ASSERT_EQ(run(Action::kAdd, "lihua", "good-password-1\n"), 0) << err_;
  ASSERT_EQ(run(Action::kRole, "LiHua", "", "vip", "2030-12-31"), 0) << err_;
  auto user = store_->user_by_name("lihua");
  EXPECT_EQ(user->role, "vip");
  EXPECT_EQ(user->vip_until, "2030-12-31");
  EXPECT_NE(out_.find("vip"), std::string::npos) << out_;
  EXPECT_NE(out_.find("2030-12-31"), std::string::npos) << out_;

  ASSERT_EQ(run(Action::kRole, "lihua", "", "vip"), 0) << err_;
  user = store_->user_by_name("lihua");
  EXPECT_EQ(user->role, "vip");
  EXPECT_EQ(user->vip_until, "");  // no expiry

  ASSERT_EQ(run(Action::kRole, "lihua", "", "admin"), 0) << err_;
  EXPECT_EQ(store_->user_by_name("lihua")->role, "admin");
  ASSERT_EQ(run(Action::kRole, "lihua", "", "member"), 0) << err_;
  EXPECT_EQ(store_->user_by_name("lihua")->role, "member");

  EXPECT_EQ(run(Action::kRole, "lihua", "", "owner"), 1);
  EXPECT_NE(err_.find("角色"), std::string::npos) << err_;
  EXPECT_EQ(run(Action::kRole, "lihua", "", "vip", "31.12.2030"), 1);
  EXPECT_TRUE(has_han(err_)) << err_;
  EXPECT_EQ(store_->user_by_name("lihua")->role, "member");
}

TEST_F(UsersTest, ListPrintsEveryAccount) {
  ASSERT_EQ(run(Action::kAdd, "lihua", "good-password-1\n"), 0) << err_;
  ASSERT_EQ(run(Action::kAdd, "张三", "good-password-2\n", "vip", "2030-12-31"), 0) << err_;
  ASSERT_EQ(run(Action::kAdd, "boss", "good-password-3\n", "admin"), 0) << err_;
  ASSERT_EQ(run(Action::kDisable, "lihua"), 0) << err_;

  ASSERT_EQ(run(Action::kList, ""), 0) << err_;
  const auto users = store_->users(100, 0);
  ASSERT_EQ(users.size(), 3u);
  std::istringstream lines(out_);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), users.size() + 1) << out_;  // a header, then one row per account
  for (std::size_t i = 0; i < users.size(); ++i) {
    const auto& row = rows[i + 1];
    EXPECT_NE(row.find(users[i].name), std::string::npos) << row;
    EXPECT_NE(row.find(users[i].role), std::string::npos) << row;
    EXPECT_NE(row.find(users[i].disabled ? "disabled" : "active"), std::string::npos) << row;
    EXPECT_EQ(row.find("$argon2id$"), std::string::npos) << row;
  }
  EXPECT_NE(rows[2].find("2030-12-31"), std::string::npos) << rows[2];
  EXPECT_NE(rows[1].find("disabled"), std::string::npos) << rows[1];
  for (const char* password : {"good-password-1", "good-password-2", "good-password-3"}) {
    EXPECT_EQ(out_.find(password), std::string::npos);
  }
}

TEST_F(UsersTest, DisableAndEnable) {
  ASSERT_EQ(run(Action::kAdd, "lihua", "good-password-1\n"), 0) << err_;
  const auto s = login("lihua", "good-password-1");
  ASSERT_TRUE(s.session);
  ASSERT_EQ(run(Action::kDisable, "LiHua"), 0) << err_;
  EXPECT_TRUE(store_->user_by_name("lihua")->disabled);
  EXPECT_FALSE(accounts_.member(s.session->token, kT0));
  EXPECT_EQ(login("lihua", "good-password-1").result, access::LoginResult::kDisabled);
  ASSERT_EQ(run(Action::kEnable, "lihua"), 0) << err_;
  EXPECT_FALSE(store_->user_by_name("lihua")->disabled);
  EXPECT_EQ(login("lihua", "good-password-1").result, access::LoginResult::kOk);
}

TEST_F(UsersTest, UnknownUsersAreRefused) {
  for (auto action : {Action::kPasswd, Action::kRole, Action::kDisable, Action::kEnable}) {
    EXPECT_EQ(run(action, "nobody", "good-password-1\n"), 1);
    EXPECT_NE(err_.find("没有这个用户"), std::string::npos) << err_;
    EXPECT_EQ(out_, "");
  }
  EXPECT_EQ(store_->user_count(), 0);
}

// The real binary: the first admin, then the list; the password never shows.
TEST(UsersCli, AddTheFirstAdminThenListIt) {
  testing::TempDir dir;
  const auto data = dir.path() / "data";
  std::filesystem::create_directories(data);
  const std::string bin = testing::wenku_binary().string();
  const std::string password = "Sekr3t-pass-word";
  const auto added = testing::run({"/bin/sh", "-c",
                                   "printf '%s\\n' \"$1\" | \"$2\" user --data \"$3\" add "
                                   "Chief --role admin",
                                   "sh", password, bin, data.string()});
  ASSERT_EQ(added.exit_code, 0) << added.out;
  EXPECT_NE(added.out.find("chief"), std::string::npos) << added.out;
  EXPECT_EQ(added.out.find(password), std::string::npos) << added.out;

  const auto listed = testing::run({bin, "user", "--data", data.string(), "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.out;
  EXPECT_NE(listed.out.find("chief"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("admin"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(password), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find("$argon2id$"), std::string::npos) << listed.out;

  const auto store = store::open_sqlite(data / "wenku.sqlite");
  const auto user = store->user_by_name("chief");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->role, "admin");
  EXPECT_TRUE(user->password_hash.starts_with("$argon2id$")) << user->password_hash;
  EXPECT_TRUE(access::verify_password(user->password_hash, password));
  EXPECT_EQ(store->admin_count(), 1);
}

}  // namespace
}  // namespace wenku::app
