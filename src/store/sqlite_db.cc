#include "store/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>

#include "store/migration.h"

namespace wenku::store::sqlite {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// The start of a statement's text, to name it in error messages.
std::string_view sql_head(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  auto end = sql.find('\n');
  return sql.substr(0, std::min(end, kMax));
}

}  // namespace

// ---- Connection ---------------------------------------------------------------------------

Connection::Connection(const std::filesystem::path& path, bool read_only) {
  constexpr int kFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, kFlags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    throw StoreError(fmt::format("sqlite: open {}: {}", path.string(), message));
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    auto mode = statement("PRAGMA journal_mode = WAL").use();
    mode.step_row();
    if (mode.text(0) != "wal") {
      throw StoreError(fmt::format("sqlite: open {}: cannot enable WAL (journal mode {})",
                                   path.string(), mode.text(0)));
    }
    exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", "configure connection");
    if (read_only) exec("PRAGMA query_only = ON", "configure read connection");
    // Reads through a memory map: a search page reads ten documents, long laws among them,
    // and pread copies every page of their text into SQLite's cache first. Address space
    // only; the kernel keeps the pages in the page cache either way.
    exec("PRAGMA mmap_size = 1073741824", "configure connection");
  } catch (...) {
    statements_.clear();
    sqlite3_close_v2(db_);
    throw;
  }
}

Connection::~Connection() {
  statements_.clear();  // finalize before closing
  sqlite3_close_v2(db_);
}

void Connection::exec(std::string_view sql, std::string_view operation) {
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail(operation);
  }
}

Statement& Connection::statement(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(std::string(sql), std::make_unique<Statement>(*this, sql)).first;
  }
  return *it->second;
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

std::string Connection::read_prefix(const char* table, const char* column, std::int64_t rowid,
                                    std::size_t max_bytes) {
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db_, "main", table, column, rowid, 0, &blob) != SQLITE_OK) {
    fail(fmt::format("open {}.{} of row {}", table, column, rowid));
  }
  const auto size = static_cast<std::size_t>(sqlite3_blob_bytes(blob));
  std::string out(std::min(size, max_bytes), '\0');
  if (sqlite3_blob_read(blob, out.data(), static_cast<int>(out.size()), 0) != SQLITE_OK) {
    const std::string error = sqlite3_errmsg(db_);
    sqlite3_blob_close(blob);
    throw StoreError(fmt::format("sqlite: read {}.{} of row {}: {}", table, column, rowid, error));
  }
  sqlite3_blob_close(blob);
  return out;
}

void Connection::fail(std::string_view operation) const {
  throw StoreError(fmt::format("sqlite: {}: {}", operation, sqlite3_errmsg(db_)));
}

// ---- Statement ----------------------------------------------------------------------------

Statement::Statement(Connection& conn, std::string_view sql) : conn_(conn), sql_(sql) {
  if (sqlite3_prepare_v3(conn.handle(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    conn.fail(fmt::format("prepare \"{}\"", sql_head(sql)));
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Use::~Use() {
  sqlite3_reset(s_.stmt_);
  sqlite3_clear_bindings(s_.stmt_);
}

Statement::Use& Statement::Use::bind(int index, std::string_view value) {
  // An empty string_view may have a null data(), which SQLite would bind as NULL.
  const char* data = value.data() != nullptr ? value.data() : "";
  if (sqlite3_bind_text64(s_.stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK) {
    s_.conn_.fail(fmt::format("bind parameter {} of \"{}\"", index, sql_head(s_.sql_)));
  }
  return *this;
}

Statement::Use& Statement::Use::bind_blob(int index, std::string_view value) {
  // As for text: an empty value with a null data() must still bind a (zero-length) BLOB.
  const char* data = value.data() != nullptr ? value.data() : "";
  if (sqlite3_bind_blob64(s_.stmt_, index, data, value.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
    s_.conn_.fail(fmt::format("bind parameter {} of \"{}\"", index, sql_head(s_.sql_)));
  }
  return *this;
}

Statement::Use& Statement::Use::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(s_.stmt_, index, value) != SQLITE_OK) {
    s_.conn_.fail(fmt::format("bind parameter {} of \"{}\"", index, sql_head(s_.sql_)));
  }
  return *this;
}

bool Statement::Use::step() {
  switch (sqlite3_step(s_.stmt_)) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      s_.conn_.fail(fmt::format("run \"{}\"", sql_head(s_.sql_)));
  }
}

void Statement::Use::step_row() {
  if (!step()) {
    throw StoreError(fmt::format("sqlite: run \"{}\": no row returned", sql_head(s_.sql_)));
  }
}

std::string Statement::Use::text(int column) const {
  const auto* data = sqlite3_column_text(s_.stmt_, column);
  if (data == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(s_.stmt_, column)));
}

std::int64_t Statement::Use::integer(int column) const {
  return sqlite3_column_int64(s_.stmt_, column);
}

// ---- Transaction --------------------------------------------------------------------------

Transaction::Transaction(Connection& conn) : conn_(conn) {
  conn_.exec("BEGIN IMMEDIATE", "begin transaction");
}

Transaction::~Transaction() {
  // Never throws: a failed rollback leaves SQLite to roll back on the next open.
  if (open_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  conn_.exec("COMMIT", "commit transaction");
  open_ = false;
}

// ---- Migrations ---------------------------------------------------------------------------

namespace {

int user_version(Connection& conn) {
  auto q = conn.statement("PRAGMA user_version").use();
  q.step_row();
  return static_cast<int>(q.integer(0));
}

// Throws StoreError naming `migration` when a row refers to a row that does not exist.
void check_foreign_keys(Connection& conn, std::string_view migration) {
  auto q = conn.statement("PRAGMA foreign_key_check").use();
  if (q.step()) {
    throw StoreError(
        fmt::format("sqlite: apply migration {}: a row of {} refers to a missing row of {}",
                    migration, q.text(0), q.text(2)));
  }
}

void apply_migrations(Connection& conn, const std::vector<embedded::File>& migrations,
                      int& previous) {
  for (const auto& file : migrations) {
    int version = migration_version(file.path);
    if (version <= previous) {
      throw StoreError(
          fmt::format("sqlite: migration \"{}\" repeats version {}", file.path, version));
    }
    previous = version;
    if (version <= user_version(conn)) continue;
    Transaction tx(conn);
    if (version <= user_version(conn)) continue;  // another process applied it meanwhile
    conn.exec(file.data, fmt::format("apply migration {}", file.path));
    check_foreign_keys(conn, file.path);
    conn.exec(fmt::format("PRAGMA user_version = {}", version),
              fmt::format("record migration {}", file.path));
    tx.commit();
  }
}

}  // namespace

void migrate(Connection& conn, const std::vector<embedded::File>& migrations) {
  // Foreign keys are off while migrations run (PRAGMA foreign_keys is a no-op inside a
  // transaction, so it is set around them). A migration may rebuild a table that others refer
  // to, SQLite's documented way to make a change ALTER TABLE cannot; with the keys on,
  // dropping the old table would delete every row referring to it. check_foreign_keys checks
  // the keys instead before each commit.
  conn.exec("PRAGMA foreign_keys = OFF", "disable foreign keys for migrations");
  int previous = 0;
  try {
    apply_migrations(conn, migrations, previous);
  } catch (...) {
    sqlite3_exec(conn.handle(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    throw;
  }
  conn.exec("PRAGMA foreign_keys = ON", "enable foreign keys after migrations");
  if (int current = user_version(conn); current > previous) {
    throw StoreError(
        fmt::format("sqlite: the database has schema version {}, newer than this program's {}",
                    current, previous));
  }
}

}  // namespace wenku::store::sqlite
