#include "store/sqlite_backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/embedded.h"
#include "store/migration.h"
#include "store/sqlite_db.h"

namespace wenku::store {

namespace {

namespace fs = std::filesystem;

// Pages copied per sqlite3_backup_step: 1 MiB at SQLite's default page size.
constexpr int kPagesPerStep = 256;
constexpr int kBusyTimeoutMs = 5000;
// Steps that may answer SQLITE_BUSY or SQLITE_LOCKED in a row before the copy gives up.
constexpr int kBusyRetries = 500;
constexpr int kBusyRetryMs = 10;
// Problems PRAGMA integrity_check reports at most (the first ones name the damage).
constexpr int kIntegrityProblems = 5;

// A bare connection: unlike sqlite::Connection it sets no journal mode, so opening a file
// never writes to it.
class Handle {
 public:
  Handle(const fs::path& path, int flags) : path_(path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw StoreError(fmt::format("sqlite: open {}: {}", path.string(), message));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  }
  ~Handle() { sqlite3_close_v2(db_); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  sqlite3* get() const { return db_; }

  void exec(const char* sql, std::string_view operation) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(operation);
  }

  // The first column of every row of `sql`, as text.
  std::vector<std::string> column(const char* sql, std::string_view operation) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) fail(operation);
    std::vector<std::string> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      rows.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) fail(operation);
    return rows;
  }

  std::int64_t integer(const char* sql, std::string_view operation) {
    const auto rows = column(sql, operation);
    if (rows.empty()) {
      throw StoreError(fmt::format("sqlite: {} {}: no row returned", operation, path_.string()));
    }
    return std::stoll(rows.front());
  }

  [[noreturn]] void fail(std::string_view operation) const {
    throw StoreError(
        fmt::format("sqlite: {} {}: {}", operation, path_.string(), sqlite3_errmsg(db_)));
  }

 private:
  fs::path path_;
  sqlite3* db_ = nullptr;
};

// Creates `path` as an empty file; throws StoreError when it exists or cannot be created.
void create_new_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw StoreError(fmt::format("sqlite: back up to {}: {}", path.string(),
                                 errno == EEXIST ? "the file exists" : std::strerror(errno)));
  }
  ::close(fd);
}

void copy_database(const fs::path& from, const fs::path& to) {
  // Read-write without create, so that a WAL left by a crashed writer can be recovered;
  // query_only makes sure nothing is written.
  Handle source(from, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
  source.exec("PRAGMA query_only = ON", "configure");
  // One read transaction for the whole copy: every step reads the same snapshot, so the copy
  // is consistent and never restarts when another connection commits (as it would between
  // steps taken in transactions of their own).
  source.exec("BEGIN", "begin reading");
  source.column("SELECT count(*) FROM sqlite_schema", "read");
  Handle dest(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
  dest.exec("PRAGMA synchronous = FULL", "configure");
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
  if (backup == nullptr) dest.fail("start backup to");
  int rc = SQLITE_OK;
  for (int busy = 0; busy <= kBusyRetries;) {
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      ++busy;
      sqlite3_sleep(kBusyRetryMs);
    } else if (rc == SQLITE_OK) {
      busy = 0;
    } else {
      break;
    }
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    throw StoreError(fmt::format("sqlite: back up {} to {}: {}", from.string(), to.string(),
                                 sqlite3_errstr(rc)));
  }
  source.exec("COMMIT", "end reading");
  // The pages copied say WAL when the source uses it; the copy is one file, in rollback mode.
  dest.exec("PRAGMA journal_mode = DELETE", "set the journal mode of");
}

}  // namespace

void backup_sqlite(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::is_regular_file(from, ec)) {
    throw StoreError(fmt::format("sqlite: back up {}: no such database file", from.string()));
  }
  create_new_file(to);
  try {
    copy_database(from, to);
  } catch (...) {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      fs::remove(fs::path(to.string() + suffix), ec);
    }
    throw;
  }
}

SqliteFileInfo check_sqlite_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw StoreError(fmt::format("{}: no such file", path.string()));
  }
  Handle db(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  const auto problems =
      db.column(fmt::format("PRAGMA integrity_check({})", kIntegrityProblems).c_str(), "check");
  if (problems != std::vector<std::string>{"ok"}) {
    throw StoreError(fmt::format("{} is damaged (PRAGMA integrity_check: {})", path.string(),
                                 fmt::join(problems, "; ")));
  }
  SqliteFileInfo info;
  info.schema_version = static_cast<int>(db.integer("PRAGMA user_version", "read"));
  const auto tables = db.integer(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
      "('sequence', 'documents')",
      "read");
  if (info.schema_version <= 0 || tables != 2) {
    throw StoreError(fmt::format("{} is an SQLite database but not a Wenku one (no Wenku schema)",
                                 path.string()));
  }
  int latest = 0;
  for (const auto& file : embedded::migrations()) {
    latest = std::max(latest, migration_version(file.path));
  }
  if (info.schema_version > latest) {
    throw StoreError(fmt::format("{} has schema version {}, newer than this program's {}",
                                 path.string(), info.schema_version, latest));
  }
  info.documents = db.integer("SELECT count(*) FROM documents WHERE deleted = 0", "read");
  return info;
}

}  // namespace wenku::store
