// The store's tests run unchanged against every backend: SQLite always, PostgreSQL on the
// tests' private server (testing/postgres.h), skipped with a message where no PostgreSQL is
// installed. A fixture derives from BackendTest and is instantiated with
// WENKU_ON_EVERY_BACKEND(Fixture); tests name the backend only for raw SQL (TestDatabase).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "store/raw_db.h"
#include "store/store.h"
#include "testing/postgres.h"
#include "testing/test_support.h"

namespace wenku::store {

enum class Backend { kSqlite, kPostgres };

// One test's new, empty database of one backend.
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    if (backend == Backend::kPostgres) schema_.emplace();
  }

  Backend backend() const { return backend_; }

  // The database URL (store::open_store).
  std::string url() const {
    return backend_ == Backend::kPostgres ? schema_->url() : "sqlite:" + sqlite_path().string();
  }

  // A store on the database; call again for a second server process or node on the same data.
  std::unique_ptr<Store> open() const { return open_store(url()); }

  // Runs `sql` on the database directly, for what the interface deliberately cannot do (age a
  // row, add a failing trigger). Each failure is a test failure.
  void exec(const std::string& sql) const {
    if (backend_ == Backend::kSqlite) return RawDb(sqlite_path()).exec(sql);
    try {
      schema_->exec(sql);
    } catch (const std::exception& e) {
      ADD_FAILURE() << sql << ": " << e.what();
    }
  }

  // The first column of the first row of `sql`, as text.
  std::string scalar(const std::string& sql) const {
    if (backend_ == Backend::kSqlite) return RawDb(sqlite_path()).scalar(sql);
    try {
      return schema_->scalar(sql);
    } catch (const std::exception& e) {
      ADD_FAILURE() << sql << ": " << e.what();
      return "";
    }
  }

  // The SQLite file (SQLite only).
  std::filesystem::path sqlite_path() const { return dir_.path() / "wenku.sqlite"; }

 private:
  Backend backend_;
  testing::TempDir dir_;
  std::optional<testing::PostgresSchema> schema_;
};

// A fixture run once per backend: `store_` is open on a new database `db_`.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      std::string why;
      if (!testing::shared_postgres_url(why)) GTEST_SKIP() << why;
    }
    db_.emplace(GetParam());
    store_ = db_->open();
  }

  std::optional<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kPostgres ? "Postgres" : "Sqlite";
}

}  // namespace wenku::store

// Instantiates the tests of `fixture` (a BackendTest) on every backend.
#define WENKU_ON_EVERY_BACKEND(fixture)                                                        \
  INSTANTIATE_TEST_SUITE_P(                                                                    \
      Backends, fixture,                                                                       \
      ::testing::Values(::wenku::store::Backend::kSqlite, ::wenku::store::Backend::kPostgres), \
      ::wenku::store::backend_name)
