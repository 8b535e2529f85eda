// `wenku migrate` through the real binary: a SQLite library copied into PostgreSQL and back,
// the verification table printed and the exit status 0; a destination that is not empty and
// bad URLs refused with a message and a non-zero status.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "store/store.h"
#include "testing/postgres.h"
#include "testing/test_support.h"

namespace wenku::app {
namespace {

namespace fs = std::filesystem;

doc::Document make_doc(std::string id, std::string title) {
  doc::Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.date = "2024-04-09";
  d.category = "讲话稿";
  d.source = "test";
  d.content = "同志们：\n今天我们召开大会。";
  return d;
}

// A SQLite library at `path` with two documents, an account and a setting.
void make_library(const fs::path& path) {
  auto store = store::open_sqlite(path);
  store->put({make_doc("a", "第一篇"), make_doc("b", "第二篇")});
  store::User user;
  user.name = "alice";
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.role = "admin";
  store->add_user(user);
  store->set_settings({{"site_name", "文库"}});
}

testing::RunResult migrate(const std::string& from, const std::string& to) {
  return testing::run({testing::wenku_binary(), "migrate", "--from", from, "--to", to});
}

// True when `out` has the verification line of `table` with `rows` rows on both sides, OK.
bool verified(const std::string& out, const std::string& table, int rows) {
  const std::regex line("\n" + table + " +" + std::to_string(rows) + " +" + std::to_string(rows) +
                        " +[0-9a-f]{32} +OK\n");
  return std::regex_search(out, line);
}

TEST(MigrateCliTest, CopiesSqliteToPostgresAndBack) {
  std::string why;
  if (!testing::shared_postgres_url(why)) GTEST_SKIP() << why;
  testing::TempDir dir;
  const auto source = dir.path() / "wenku.sqlite";
  make_library(source);
  testing::PostgresSchema pg;

  const auto to_pg = migrate("sqlite:" + source.string(), pg.url());
  ASSERT_EQ(to_pg.exit_code, 0) << to_pg.out;
  EXPECT_TRUE(verified(to_pg.out, "documents", 2)) << to_pg.out;
  EXPECT_TRUE(verified(to_pg.out, "users", 1)) << to_pg.out;
  EXPECT_TRUE(verified(to_pg.out, "settings", 1)) << to_pg.out;
  EXPECT_TRUE(verified(to_pg.out, "history", 0)) << to_pg.out;
  EXPECT_NE(to_pg.out.find("tables match"), std::string::npos) << to_pg.out;
  EXPECT_NE(to_pg.out.find("the search index is not copied"), std::string::npos) << to_pg.out;
  // Without a terminal, the progress is one line per table.
  EXPECT_NE(to_pg.out.find("copied documents: 2 rows"), std::string::npos) << to_pg.out;

  // A second copy into the same database is refused: it holds documents now.
  const auto again = migrate("sqlite:" + source.string(), pg.url());
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("is not empty"), std::string::npos) << again.out;

  const auto back = dir.path() / "back" / "wenku.sqlite";
  const auto to_sqlite = migrate(pg.url(), "sqlite:" + back.string());
  ASSERT_EQ(to_sqlite.exit_code, 0) << to_sqlite.out;
  EXPECT_TRUE(verified(to_sqlite.out, "documents", 2)) << to_sqlite.out;
  auto store = store::open_sqlite(back);
  EXPECT_EQ(store->count(), 2);
  EXPECT_EQ(store->get("b")->title, "第二篇");
  EXPECT_EQ(store->user_by_name("alice")->role, "admin");
  EXPECT_EQ(store->settings().at("site_name"), "文库");
}

TEST(MigrateCliTest, RefusesBadUrlsWithAMessage) {
  testing::TempDir dir;
  const auto source = dir.path() / "wenku.sqlite";
  make_library(source);
  const auto target = "sqlite:" + (dir.path() / "copy.sqlite").string();

  const auto bad_scheme = migrate("mysql://wenku@localhost/wenku", target);
  EXPECT_NE(bad_scheme.exit_code, 0);
  EXPECT_NE(bad_scheme.out.find("unsupported database URL 'mysql://wenku@localhost/wenku'"),
            std::string::npos)
      << bad_scheme.out;

  const auto missing = migrate("sqlite:" + (dir.path() / "missing.sqlite").string(), target);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.out.find("no SQLite database at"), std::string::npos) << missing.out;

  const auto same = migrate("sqlite:" + source.string(), "sqlite:" + source.string());
  EXPECT_NE(same.exit_code, 0);
  EXPECT_NE(same.out.find("same database"), std::string::npos) << same.out;

  const auto no_to =
      testing::run({testing::wenku_binary(), "migrate", "--from", "sqlite:" + source.string()});
  EXPECT_NE(no_to.exit_code, 0);
  EXPECT_NE(no_to.out.find("--to"), std::string::npos) << no_to.out;
}

TEST(MigrateCliTest, CopiesBetweenSqliteFiles) {
  testing::TempDir dir;
  const auto source = dir.path() / "wenku.sqlite";
  make_library(source);
  const auto result =
      migrate("sqlite:" + source.string(), "sqlite:" + (dir.path() / "copy.sqlite").string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_TRUE(verified(result.out, "documents", 2)) << result.out;
  EXPECT_TRUE(verified(result.out, "sequence", 1)) << result.out;
}

}  // namespace
}  // namespace wenku::app
