// Raw SQLite access to a store's file for the store tests.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "base/embedded.h"
#include "store/migration.h"
#include "store/sqlite_db.h"

namespace wenku::store {

// Direct SQL on the store's file, for what the interface deliberately cannot do (read
// pragmas and the table layout, age a row, add a failing trigger, build an older schema).
// Each failure is a test failure.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << sqlite3_errmsg(db_);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error != nullptr ? error : "?");
    }
    sqlite3_free(error);
  }

  // The first column of the first row of `sql`, as text.
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(stmt);
    return out;
  }

  // Applies the embedded migrations up to `version` and records it, as an older program did.
  void create_schema(int version) {
    for (const auto& file : embedded::migrations()) {
      if (migration_version(file.path) > version) break;
      exec(std::string(file.data));
    }
    exec("PRAGMA user_version = " + std::to_string(version));
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace wenku::store
