#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "base/embedded.h"
#include "store/migration.h"
#include "store/raw_db.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::store {
namespace {

namespace fs = std::filesystem;
using wenku::testing::TempDir;

doc::Document make_doc(std::string id, std::string title, std::string category = "讲话稿",
                       std::string date = "2021-12-25") {
  doc::Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.date = std::move(date);
  d.category = std::move(category);
  d.source = "test";
  d.content = "同志们：\n今天我们召开全区领导干部大会。";
  return d;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  fs::path db_path() const { return dir_.path() / "wenku.sqlite"; }
  Store& store() {
    if (!store_) store_ = open_sqlite(db_path());
    return *store_;
  }
  void reopen() {
    store_.reset();
    store_ = open_sqlite(db_path());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// ---- schema and migrations ----------------------------------------------------------------

TEST_F(SqliteStoreTest, AppliesMigrationsOnceAndReopens) {
  ASSERT_FALSE(embedded::migrations().empty());
  store().put({make_doc("a", "甲")});
  reopen();  // re-running 001_init.sql would fail on CREATE TABLE
  reopen();
  ASSERT_TRUE(store().get("a"));
  EXPECT_EQ(store().last_seq(), 1);

  RawDb raw(db_path());
  const int newest = migration_version(embedded::migrations().back().path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(newest));
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'documents'"), "1");
}

// A database of schema version 4 kept the keywords in doc_features; opened by this program,
// they are in doc_keywords and read back the same, and doc_features no longer has them.
TEST_F(SqliteStoreTest, MovesTheKeywordsOfAnOlderDatabaseToTheirOwnTable) {
  {
    RawDb raw(db_path());
    for (const auto& file : embedded::migrations()) {
      if (migration_version(file.path) > 4) break;
      raw.exec(std::string(file.data));
    }
    raw.exec("PRAGMA user_version = 4");
    raw.exec(
        "INSERT INTO documents (id, title, seq, created_at, updated_at, content) VALUES "
        "('a', '甲', 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00', '正文'), "
        "('b', '乙', 2, '2024-01-01 00:00:00', '2024-01-01 00:00:00', '正文')");
    raw.exec("UPDATE sequence SET value = 2");
    raw.exec(
        "INSERT INTO doc_features (id, keywords, simhash, analysis) VALUES "
        "('a', '[\"改革\",\"发展\"]', 7, '{\"title\":\"甲\"}'), ('b', '[]', 0, '')");
  }
  const auto a = store().get("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->keywords, (std::vector<std::string>{"改革", "发展"}));
  EXPECT_EQ(a->simhash, 7u);
  EXPECT_EQ(a->analysis, R"({"title":"甲"})");
  ASSERT_TRUE(store().get("b"));
  EXPECT_TRUE(store().get("b")->keywords.empty());
  store().set_keywords({{"b", {"新词"}}});
  EXPECT_EQ(store().get("b")->keywords, (std::vector<std::string>{"新词"}));
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM pragma_table_info('doc_features') "
                       "WHERE name = 'keywords'"),
            "0");
  EXPECT_EQ(raw.scalar("SELECT keywords FROM doc_keywords WHERE id = 'b'"), R"(["新词"])");
}

TEST(SqliteMigrations, VersionComesFromTheFileName) {
  EXPECT_EQ(migration_version("001_init.sql"), 1);
  EXPECT_EQ(migration_version("012_users.sql"), 12);
  EXPECT_THROW(migration_version("init.sql"), StoreError);
  EXPECT_THROW(migration_version("000_zero.sql"), StoreError);
  EXPECT_THROW(migration_version("001init.sql"), StoreError);
  EXPECT_THROW(migration_version("001"), StoreError);
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerProgram) {
  store();
  store_.reset();
  RawDb(db_path()).exec("PRAGMA user_version = 999");
  EXPECT_THROW(open_sqlite(db_path()), StoreError);
}

TEST_F(SqliteStoreTest, ReportsAnUnopenableFile) {
  try {
    open_sqlite(dir_.path() / "no-such-dir" / "wenku.sqlite");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("open"), std::string::npos) << e.what();
  }
}

// A process that commits and then dies without closing anything loses nothing.
TEST_F(SqliteStoreTest, ACommittedBatchSurvivesAProcessThatExitsWithoutClosing) {
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    int code = 1;
    try {
      auto s = open_sqlite(db_path());
      s->put({make_doc("c1", "崩溃前一"), make_doc("c2", "崩溃前二")});
      code = 0;
      (void)s.release();  // never destroyed: no close, no checkpoint
    } catch (...) {
    }
    _exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  EXPECT_TRUE(fs::exists(db_path().string() + "-wal"));  // the batch lives only in the WAL
  EXPECT_EQ(store().count(), 2);
  EXPECT_EQ(store().get("c2")->title, "崩溃前二");
  EXPECT_EQ(store().last_seq(), 2);
  EXPECT_EQ(store().put({make_doc("c3", "之后")})[0].seq, 3);
}

}  // namespace
}  // namespace wenku::store
