// The whole-library copy of `wenku migrate` (copy.h): the tables as a list of specs, a raw
// row reader and writer per backend (SQLite through the C API, PostgreSQL through libpqxx:
// a cursor to read, COPY FROM STDIN to write), and the canonical checksums.
//
// Transactions: the source is read in ONE read transaction (a snapshot) that lasts until the
// source's checksums are computed; the destination is written in ONE transaction for the whole
// copy — its emptiness check, the removal of the rows a new schema starts with, every table,
// and the serial sequences — so a failure anywhere leaves the destination as it was, and no
// reader of the destination ever sees half a library.
#include "store/copy.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>
#include <xxhash.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "base/embedded.h"
#include "store/migration.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace wenku::store {

namespace {

namespace fs = std::filesystem;

constexpr auto kText = ColumnKind::kText;
constexpr auto kInteger = ColumnKind::kInteger;
constexpr auto kBoolean = ColumnKind::kBoolean;
constexpr auto kBlob = ColumnKind::kBlob;

constexpr std::string_view kSqliteScheme = "sqlite:";
// Seconds libpq waits for a connection before giving up.
constexpr int kConnectTimeoutSeconds = 10;
// Milliseconds SQLite waits for a lock another process holds.
constexpr int kBusyTimeoutMs = 5000;
// SQLite page cache of the destination connection while it is written (KiB, negative).
constexpr int kWriteCacheKiB = 256 * 1024;
// Rows copied between two progress reports.
constexpr std::int64_t kProgressEvery = 100;

}  // namespace

const std::vector<TableSpec>& library_tables() {
  static const std::vector<TableSpec> tables = {
      {"sequence", {{"id", kInteger}, {"value", kInteger}}, {"id"}, ""},
      {"documents",
       {{"id", kText},
        {"title", kText},
        {"date", kText},
        {"category", kText},
        {"subcategory", kText},
        {"source", kText},
        {"url", kText},
        {"seq", kInteger},
        {"views", kInteger},
        {"deleted", kBoolean},
        {"visibility", kText},
        {"title_derived", kBoolean},
        {"source_note", kText},
        {"created_at", kText},
        {"updated_at", kText},
        {"content", kText}},
       {"id"},
       ""},
      {"doc_features", {{"id", kText}, {"simhash", kInteger}, {"analysis", kText}}, {"id"}, ""},
      {"doc_keywords", {{"id", kText}, {"keywords", kText}}, {"id"}, ""},
      {"similar_docs", {{"a", kText}, {"b", kText}, {"distance", kInteger}}, {"a", "b"}, ""},
      {"word_df", {{"word", kText}, {"df", kInteger}}, {"word"}, ""},
      {"word_df_documents",
       {{"id", kInteger}, {"documents", kInteger}, {"version", kInteger}},
       {"id"},
       ""},
      {"view_days", {{"day", kText}, {"id", kText}, {"views", kInteger}}, {"day", "id"}, ""},
      {"view_seen",
       {{"day", kText}, {"id", kText}, {"visitor", kText}},
       {"day", "id", "visitor"},
       ""},
      {"categories", {{"name", kText}, {"position", kInteger}}, {"name"}, ""},
      {"category_kinds", {{"name", kText}, {"kind", kText}}, {"name"}, ""},
      {"collections",
       {{"slug", kText}, {"title", kText}, {"description", kText}, {"position", kInteger}},
       {"slug"},
       ""},
      {"collection_docs",
       {{"slug", kText}, {"position", kInteger}, {"id", kText}},
       {"slug", "position"},
       ""},
      {"feedback",
       {{"id", kInteger},
        {"contact", kText},
        {"message", kText},
        {"created_at", kText},
        {"client", kText},
        {"handled", kBoolean}},
       {"id"},
       "id"},
      {"settings", {{"key", kText}, {"value", kText}}, {"key"}, ""},
      {"settings_version", {{"id", kInteger}, {"value", kInteger}}, {"id"}, ""},
      {"site_files",
       {{"name", kText}, {"content_type", kText}, {"data", kBlob}, {"updated_at", kText}},
       {"name"},
       ""},
      {"users",
       {{"id", kInteger},
        {"name", kText},
        {"password_hash", kText},
        {"role", kText},
        {"vip_until", kText},
        {"disabled", kBoolean},
        {"created_at", kText},
        {"last_login_at", kText}},
       {"id"},
       "id"},
      {"sessions",
       {{"token_hash", kText},
        {"user_id", kInteger},
        {"created_at", kInteger},
        {"last_seen_at", kInteger},
        {"expires_at", kInteger},
        {"user_agent", kText}},
       {"token_hash"},
       ""},
      // No primary key: rows in the order of all their columns.
      {"login_failures", {{"key", kText}, {"at", kInteger}}, {"key", "at"}, ""},
      {"favorites",
       {{"user_id", kInteger}, {"doc_id", kText}, {"at", kInteger}},
       {"user_id", "doc_id"},
       ""},
      {"history",
       {{"user_id", kInteger}, {"doc_id", kText}, {"at", kInteger}},
       {"user_id", "doc_id"},
       ""},
  };
  return tables;
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  if (is_postgres_url(out)) {
    const auto authority = out.find("//") + 2;
    const auto at = out.find('@', authority);
    const auto slash = out.find('/', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=… as a URL parameter (…?password=x&…) or in a keyword string (password=x …).
  for (auto pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const auto start = pos + std::string_view("password=").size();
    auto end = out.find_first_of("& ", start);
    if (end == std::string::npos) end = out.size();
    out.replace(start, end - start, "***");
  }
  return out;
}

namespace {

// ---- values and rows ----------------------------------------------------------------------

// One value of a row: `bytes` for text and blob columns (a blob's raw bytes), `integer` for
// integer and boolean columns (a boolean as 0 or 1).
struct Field {
  std::string bytes;
  std::int64_t integer = 0;
};
using Row = std::vector<Field>;
using RowFn = std::function<void(Row&)>;

constexpr std::string_view kHexDigits = "0123456789abcdef";

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHexDigits[c >> 4];
    out += kHexDigits[c & 0xf];
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string quoted(std::string_view name) { return fmt::format("\"{}\"", name); }

std::string joined(const std::vector<std::string>& parts) {
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string column_names(const TableSpec& table) {
  std::vector<std::string> names;
  for (const auto& c : table.columns) names.push_back(quoted(c.name));
  return joined(names);
}

std::string order_by(const TableSpec& table) {
  std::vector<std::string> names;
  for (const auto& c : table.order) names.push_back(quoted(c));
  return joined(names);
}

// Rows fetched from PostgreSQL at a time: fewer where they hold whole texts.
long fetch_rows(const TableSpec& table) {
  if (table.name == "documents") return 100;
  if (table.name == "doc_features") return 500;
  return 5000;
}

// ---- where a URL points -------------------------------------------------------------------

struct Location {
  bool postgres = false;
  std::string url;  // as given
  fs::path path;    // SQLite only
};

Location locate(std::string_view url) {
  if (is_postgres_url(url)) return Location{true, std::string(url), {}};
  if (url.starts_with(kSqliteScheme) && url.size() > kSqliteScheme.size()) {
    return Location{false, std::string(url), fs::path(url.substr(kSqliteScheme.size()))};
  }
  throw std::invalid_argument(
      fmt::format("unsupported database URL '{}' (expected sqlite:PATH or "
                  "postgresql://USER@HOST[:PORT]/DB)",
                  redact_url(url)));
}

bool same_database(const Location& a, const Location& b) {
  if (a.postgres != b.postgres) return false;
  if (a.postgres) return a.url == b.url;
  std::error_code ec;
  if (fs::equivalent(a.path, b.path, ec)) return true;
  std::error_code ec_a;
  std::error_code ec_b;
  const auto canonical_a = fs::weakly_canonical(a.path, ec_a);
  const auto canonical_b = fs::weakly_canonical(b.path, ec_b);
  return !ec_a && !ec_b && canonical_a == canonical_b;
}

// The schema version this program's migrations reach on the backend of `location`.
int program_schema_version(const Location& location) {
  const auto& files = location.postgres ? embedded::pg_migrations() : embedded::migrations();
  int version = 0;
  for (const auto& file : files) version = std::max(version, migration_version(file.path));
  return version;
}

// ---- reading ------------------------------------------------------------------------------

// A library database read in one snapshot, table by table, in canonical row order.
class Reader {
 public:
  virtual ~Reader() = default;
  // The schema version the database records (0 when it records none).
  virtual int schema_version() = 0;
  // The declared type (lower case) of each column of `table`; empty when there is no such
  // table.
  virtual std::map<std::string, std::string> column_types(std::string_view table) = 0;
  // Rows of `table`, counted by the database.
  virtual std::int64_t count(std::string_view table) = 0;
  // Calls `row` with every row of `table` in `table.order`; `row` may move values out.
  virtual void scan(const TableSpec& table, const RowFn& row) = 0;
};

// A prepared SQLite statement on a raw handle, finalized on destruction.
class SqliteQuery {
 public:
  SqliteQuery(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      fail(fmt::format("prepare \"{}\"", sql));
    }
  }
  ~SqliteQuery() { sqlite3_finalize(stmt_); }
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;

  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(fmt::format("run \"{}\"", sqlite3_sql(stmt_)));
  }
  sqlite3_stmt* get() const { return stmt_; }
  void bind(int index, std::string_view text) {
    sqlite3_bind_text64(stmt_, index, text.data() != nullptr ? text.data() : "", text.size(),
                        SQLITE_TRANSIENT, SQLITE_UTF8);
  }

  [[noreturn]] void fail(std::string_view operation) const {
    throw StoreError(fmt::format("sqlite: {}: {}", operation, sqlite3_errmsg(db_)));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string column_bytes(sqlite3_stmt* stmt, int column, bool blob) {
  const void* data = blob ? sqlite3_column_blob(stmt, column)
                          : static_cast<const void*>(sqlite3_column_text(stmt, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, column));
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

// How a reader opens an SQLite file.
enum class SqliteAccess {
  // The source: opened read-only, so nothing can be written to it (not even its journal mode
  // changes). Like any reader of a WAL database, it may leave empty -wal and -shm files beside
  // it, which the next opener uses.
  kReadOnly,
  // The destination: opened for writing but with queries only (PRAGMA query_only), so that
  // closing it, the last connection, removes the -wal and -shm files.
  kQueryOnly,
};

// SQLite in one read transaction for the reader's whole life. A missing file is not created.
class SqliteReader final : public Reader {
 public:
  SqliteReader(const fs::path& path, SqliteAccess access) : path_(path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      throw CopyRefused(fmt::format("no SQLite database at {}", path.string()));
    }
    const int flags =
        (access == SqliteAccess::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
        SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close_v2(db_);
      throw StoreError(fmt::format("sqlite: open {}: {}", path.string(), message));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    try {
      if (access == SqliteAccess::kQueryOnly) exec("PRAGMA query_only = ON");
      exec("BEGIN");
      // The first read starts the snapshot that every later read of this reader sees.
      SqliteQuery version(db_, "PRAGMA user_version");
      version.step();
      schema_version_ = sqlite3_column_int(version.get(), 0);
      SqliteQuery schema(db_, "SELECT count(*) FROM sqlite_schema");
      schema.step();
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
  }

  ~SqliteReader() override {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
  }
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  int schema_version() override { return schema_version_; }

  std::map<std::string, std::string> column_types(std::string_view table) override {
    std::map<std::string, std::string> out;
    SqliteQuery q(db_, "SELECT name, lower(type) FROM pragma_table_info(?1)");
    q.bind(1, table);
    while (q.step()) {
      out.emplace(column_bytes(q.get(), 0, false), column_bytes(q.get(), 1, false));
    }
    return out;
  }

  std::int64_t count(std::string_view table) override {
    SqliteQuery q(db_, fmt::format("SELECT count(*) FROM {}", quoted(table)));
    q.step();
    return sqlite3_column_int64(q.get(), 0);
  }

  void scan(const TableSpec& table, const RowFn& row) override {
    SqliteQuery q(db_, fmt::format("SELECT {} FROM {} ORDER BY {}", column_names(table),
                                   quoted(table.name), order_by(table)));
    Row values(table.columns.size());
    while (q.step()) {
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const int column = static_cast<int>(i);
        if (sqlite3_column_type(q.get(), column) == SQLITE_NULL) {
          throw StoreError(fmt::format("sqlite: {}: a NULL in {}.{}", path_.string(), table.name,
                                       table.columns[i].name));
        }
        switch (table.columns[i].kind) {
          case ColumnKind::kText:
          case ColumnKind::kBlob:
            values[i].bytes = column_bytes(q.get(), column, table.columns[i].kind == kBlob);
            break;
          case ColumnKind::kInteger:
          case ColumnKind::kBoolean:
            values[i].integer = sqlite3_column_int64(q.get(), column);
            break;
        }
      }
      row(values);
    }
  }

 private:
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      throw StoreError(fmt::format("sqlite: {}: {}: {}", path_.string(), sql, sqlite3_errmsg(db_)));
    }
  }

  fs::path path_;
  sqlite3* db_ = nullptr;
  int schema_version_ = 0;
};

std::int64_t parse_integer(const pqxx::field& field, std::string_view table,
                           std::string_view column) {
  std::int64_t value = 0;
  const char* begin = field.c_str();
  const char* end = begin + field.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) {
    throw StoreError(fmt::format("postgresql: {}.{}: not an integer: '{}'", table, column,
                                 std::string_view(begin, field.size())));
  }
  return value;
}

std::string parse_hex(const pqxx::field& field, std::string_view table, std::string_view column) {
  const std::string_view hex(field.c_str(), field.size());
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      throw StoreError(fmt::format("postgresql: {}.{}: bad hex", table, column));
    }
    out[i] = static_cast<char>(high << 4 | low);
  }
  if (hex.size() % 2 != 0)
    throw StoreError(fmt::format("postgresql: {}.{}: bad hex", table, column));
  return out;
}

// Opens a connection to `url` that talks UTF-8 whatever the server's default.
std::unique_ptr<pg::Connection> connect(const std::string& url) {
  auto conn =
      std::make_unique<pg::Connection>(pg::with_connect_timeout(url, kConnectTimeoutSeconds));
  try {
    conn->raw().set_client_encoding("UTF8");
  } catch (...) {
    pg::rethrow_as_store_error("set the client encoding");
  }
  return conn;
}

// PostgreSQL, read in one REPEATABLE READ, read-only transaction: one snapshot, no writes.
class PgReader final : public Reader {
 public:
  explicit PgReader(const std::string& url) : conn_(connect(url)) {
    try {
      tx_.emplace(conn_->raw());
      // The first statement takes the snapshot every later one sees.
      const bool recorded =
          tx_->exec("SELECT to_regclass('schema_version') IS NOT NULL")[0][0].as<bool>();
      if (recorded) {
        schema_version_ =
            tx_->exec("SELECT version FROM schema_version WHERE id = 1")[0][0].as<int>();
      }
    } catch (...) {
      pg::rethrow_as_store_error("start reading");
    }
  }

  int schema_version() override { return schema_version_; }

  std::map<std::string, std::string> column_types(std::string_view table) override {
    std::map<std::string, std::string> out;
    try {
      for (const auto& row :
           tx_->exec_params("SELECT column_name, data_type FROM information_schema.columns"
                            " WHERE table_schema = current_schema() AND table_name = $1",
                            std::string(table))) {
        out.emplace(row[0].c_str(), row[1].c_str());
      }
    } catch (...) {
      pg::rethrow_as_store_error(fmt::format("read the columns of {}", table));
    }
    return out;
  }

  std::int64_t count(std::string_view table) override {
    try {
      return tx_->exec(fmt::format("SELECT count(*) FROM {}", quoted(table)))[0][0]
          .as<std::int64_t>();
    } catch (...) {
      pg::rethrow_as_store_error(fmt::format("count the rows of {}", table));
    }
  }

  void scan(const TableSpec& table, const RowFn& row) override {
    std::vector<std::string> columns;
    for (const auto& c : table.columns) {
      switch (c.kind) {
        case ColumnKind::kText:
        case ColumnKind::kInteger:
          columns.push_back(quoted(c.name));
          break;
        case ColumnKind::kBoolean:
          columns.push_back(fmt::format("{}::integer", quoted(c.name)));
          break;
        case ColumnKind::kBlob:  // hex whatever the server's bytea_output
          columns.push_back(fmt::format("encode({}, 'hex')", quoted(c.name)));
          break;
      }
    }
    const long batch = fetch_rows(table);
    Row values(table.columns.size());
    pqxx::result rows;
    try {
      tx_->exec(fmt::format("DECLARE wenku_copy NO SCROLL CURSOR FOR SELECT {} FROM {} ORDER BY {}",
                            joined(columns), quoted(table.name), order_by(table)));
    } catch (...) {
      pg::rethrow_as_store_error(fmt::format("read {}", table.name));
    }
    for (;;) {
      try {
        rows = tx_->exec(fmt::format("FETCH FORWARD {} FROM wenku_copy", batch));
      } catch (...) {
        pg::rethrow_as_store_error(fmt::format("read {}", table.name));
      }
      for (const auto& r : rows) {
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
          const auto& c = table.columns[i];
          const auto field = r[static_cast<pqxx::row::size_type>(i)];
          if (field.is_null()) {
            throw StoreError(fmt::format("postgresql: a NULL in {}.{}", table.name, c.name));
          }
          switch (c.kind) {
            case ColumnKind::kText:
              values[i].bytes.assign(field.c_str(), field.size());
              break;
            case ColumnKind::kBlob:
              values[i].bytes = parse_hex(field, table.name, c.name);
              break;
            case ColumnKind::kInteger:
            case ColumnKind::kBoolean:
              values[i].integer = parse_integer(field, table.name, c.name);
              break;
          }
        }
        row(values);
      }
      if (static_cast<long>(rows.size()) < batch) break;
    }
    try {
      tx_->exec("CLOSE wenku_copy");
    } catch (...) {
      pg::rethrow_as_store_error(fmt::format("read {}", table.name));
    }
  }

 private:
  std::unique_ptr<pg::Connection> conn_;
  std::optional<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>> tx_;
  int schema_version_ = 0;
};

// A reader of the source (`source`: SQLite opened read-only) or of the destination.
std::unique_ptr<Reader> open_reader(const Location& location, bool source) {
  if (location.postgres) return std::make_unique<PgReader>(location.url);
  return std::make_unique<SqliteReader>(
      location.path, source ? SqliteAccess::kReadOnly : SqliteAccess::kQueryOnly);
}

// ---- the schema check ---------------------------------------------------------------------

bool type_fits(ColumnKind kind, std::string_view type, bool postgres) {
  switch (kind) {
    case ColumnKind::kText:
      return type == "text";
    case ColumnKind::kInteger:
      return postgres ? type == "bigint" || type == "integer" : type == "integer";
    case ColumnKind::kBoolean:
      return postgres ? type == "boolean" : type == "integer";
    case ColumnKind::kBlob:
      return postgres ? type == "bytea" : type == "blob";
  }
  return false;
}

// Throws CopyRefused unless the database `reader` reads has this program's schema version and
// every table of library_tables() with exactly its columns, of fitting types. `role` is
// "source" or "destination".
void check_schema(Reader& reader, const Location& location, std::string_view role) {
  const auto name = redact_url(location.url);
  const int version = reader.schema_version();
  const int expected = program_schema_version(location);
  if (version == 0) {
    throw CopyRefused(
        fmt::format("the {} {} is not a Wenku library (no schema version)", role, name));
  }
  if (version < expected) {
    throw CopyRefused(fmt::format(
        "the {} {} has schema version {}, older than this program's {}: open it once with this "
        "wenku (e.g. `wenku user list --db {}`), which upgrades it, then migrate",
        role, name, version, expected, name));
  }
  if (version > expected) {
    throw CopyRefused(fmt::format(
        "the {} {} has schema version {}, newer than this program's {}: use the wenku that "
        "wrote it",
        role, name, version, expected));
  }
  for (const auto& table : library_tables()) {
    auto types = reader.column_types(table.name);
    if (types.empty()) {
      throw CopyRefused(fmt::format("the {} {} has no table {}", role, name, table.name));
    }
    for (const auto& column : table.columns) {
      auto it = types.find(std::string(column.name));
      if (it == types.end() || !type_fits(column.kind, it->second, location.postgres)) {
        throw CopyRefused(fmt::format(
            "the {} {}: column {}.{} is {} (the copy expects it, as store/copy.cc lists it)", role,
            name, table.name, column.name,
            it == types.end() ? "missing" : "of type " + it->second));
      }
      types.erase(it);
    }
    if (!types.empty()) {
      throw CopyRefused(fmt::format(
          "the {} {}: column {}.{} is not known to the copy (store/copy.cc lists the columns)",
          role, name, table.name, types.begin()->first));
    }
  }
}

// Throws CopyRefused unless the counts say the destination holds no document and no account.
void require_empty(std::int64_t documents, std::int64_t users, const Location& location) {
  if (documents == 0 && users == 0) return;
  throw CopyRefused(fmt::format(
      "the destination {} is not empty: it holds {} documents and {} accounts; migrate copies "
      "into an empty library only (a new SQLite file, or a new PostgreSQL database)",
      redact_url(location.url), documents, users));
}

// ---- writing ------------------------------------------------------------------------------

// A library database written in one transaction: begin, clear and fill each table, commit.
class Writer {
 public:
  virtual ~Writer() = default;
  // Starts the transaction and checks inside it that the destination holds no document and
  // no account (so none can be added meanwhile); throws CopyRefused otherwise.
  virtual void begin() = 0;
  // Deletes every row of `table`.
  virtual void clear(const TableSpec& table) = 0;
  virtual void begin_table(const TableSpec& table) = 0;
  // Writes one row of the table begun; may move values out of `row`.
  virtual void add(Row& row) = 0;
  virtual void end_table() = 0;
  // Finishes (serial sequences) and commits.
  virtual void commit() = 0;
};

class SqliteWriter final : public Writer {
 public:
  explicit SqliteWriter(const Location& location)
      : location_(location), conn_(location.path, /*read_only=*/false) {}

  void begin() override {
    conn_.exec(fmt::format("PRAGMA cache_size = -{}", kWriteCacheKiB), "set the cache size");
    tx_.emplace(conn_);
    require_empty(scalar("SELECT count(*) FROM documents"), scalar("SELECT count(*) FROM users"),
                  location_);
  }

  void clear(const TableSpec& table) override {
    conn_.exec(fmt::format("DELETE FROM {}", quoted(table.name)),
               fmt::format("clear {}", table.name));
  }

  void begin_table(const TableSpec& table) override {
    table_ = &table;
    std::vector<std::string> marks(table.columns.size(), "?");
    insert_ = &conn_.statement(fmt::format("INSERT INTO {} ({}) VALUES ({})", quoted(table.name),
                                           column_names(table), joined(marks)));
  }

  void add(Row& row) override {
    auto use = insert_->use();
    for (std::size_t i = 0; i < row.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      switch (table_->columns[i].kind) {
        case ColumnKind::kText:
          use.bind(index, std::string_view(row[i].bytes));
          break;
        case ColumnKind::kBlob:
          use.bind_blob(index, row[i].bytes);
          break;
        case ColumnKind::kInteger:
          use.bind(index, row[i].integer);
          break;
        case ColumnKind::kBoolean:
          use.bind(index, std::int64_t{row[i].integer != 0 ? 1 : 0});
          break;
      }
    }
    use.step();
  }

  void end_table() override {
    insert_ = nullptr;
    table_ = nullptr;
  }

  // INTEGER PRIMARY KEY ids need nothing: SQLite gives a new row the largest id plus one.
  void commit() override { tx_->commit(); }

 private:
  std::int64_t scalar(const char* sql) {
    auto q = conn_.statement(sql).use();
    q.step_row();
    return q.integer(0);
  }

  Location location_;
  sqlite::Connection conn_;
  std::optional<sqlite::Transaction> tx_;
  const TableSpec* table_ = nullptr;
  sqlite::Statement* insert_ = nullptr;
};

// The widest table (documents).
constexpr std::size_t kMaxColumns = 16;

// Writes the first N values of `values` as one COPY row (pqxx escapes them; a row must be a
// tuple, so its width is a template argument).
template <std::size_t N>
void stream_row(pqxx::stream_to& stream, std::vector<std::string>& values) {
  std::array<std::string, N> row;
  for (std::size_t i = 0; i < N; ++i) row[i] = std::move(values[i]);
  stream << row;
}

using StreamRowFn = void (*)(pqxx::stream_to&, std::vector<std::string>&);

template <std::size_t... I>
constexpr std::array<StreamRowFn, sizeof...(I)> stream_row_functions(std::index_sequence<I...>) {
  return {&stream_row<I + 1>...};
}

// stream_row<N> for N = 1 … kMaxColumns, at index N - 1.
constexpr auto kStreamRow = stream_row_functions(std::make_index_sequence<kMaxColumns>());

class PgWriter final : public Writer {
 public:
  explicit PgWriter(const Location& location) : location_(location), conn_(connect(location.url)) {}

  void begin() override {
    run("begin", [&] {
      tx_.emplace(conn_->raw());
      // Until the commit, others may read these tables but write none: no document or
      // account can appear between the check and the copy.
      tx_->exec("LOCK TABLE documents, users IN EXCLUSIVE MODE");
    });
    std::int64_t documents = 0;
    std::int64_t users = 0;
    run("check that the destination is empty", [&] {
      documents = tx_->exec("SELECT count(*) FROM documents")[0][0].as<std::int64_t>();
      users = tx_->exec("SELECT count(*) FROM users")[0][0].as<std::int64_t>();
    });
    require_empty(documents, users, location_);
  }

  void clear(const TableSpec& table) override {
    run(fmt::format("clear {}", table.name),
        [&] { tx_->exec(fmt::format("DELETE FROM {}", quoted(table.name))); });
  }

  void begin_table(const TableSpec& table) override {
    if (table.columns.size() > kMaxColumns) {
      throw StoreError(
          fmt::format("copy: table {} has more than {} columns", table.name, kMaxColumns));
    }
    table_ = &table;
    std::vector<std::string> columns;
    for (const auto& c : table.columns) columns.push_back(quoted(c.name));
    run(fmt::format("write {}", table.name),
        [&] { stream_.emplace(*tx_, quoted(table.name), columns); });
    values_.resize(table.columns.size());
  }

  void add(Row& row) override {
    for (std::size_t i = 0; i < row.size(); ++i) {
      switch (table_->columns[i].kind) {
        case ColumnKind::kText:
          values_[i] = std::move(row[i].bytes);
          break;
        case ColumnKind::kBlob:
          values_[i] = "\\x" + to_hex(row[i].bytes);
          break;
        case ColumnKind::kInteger:
          values_[i] = std::to_string(row[i].integer);
          break;
        case ColumnKind::kBoolean:
          values_[i] = row[i].integer != 0 ? "t" : "f";
          break;
      }
    }
    run(fmt::format("write {}", table_->name),
        [&] { kStreamRow[values_.size() - 1](*stream_, values_); });
  }

  void end_table() override {
    run(fmt::format("write {}", table_->name), [&] { stream_->complete(); });
    stream_.reset();
    table_ = nullptr;
  }

  void commit() override {
    for (const auto& table : library_tables()) {
      if (table.serial.empty()) continue;
      // The next id the sequence hands out: one past the largest copied (1 for none).
      run(fmt::format("advance the id sequence of {}", table.name), [&] {
        tx_->exec(fmt::format(
            "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE(MAX({2}), 0) + 1, false)"
            " FROM {3}",
            table.name, table.serial, quoted(table.serial), quoted(table.name)));
      });
    }
    run("commit", [&] { tx_->commit(); });
    // Statistics for the planner now rather than when autovacuum comes by; the copy is
    // committed whatever happens here.
    try {
      pqxx::nontransaction(conn_->raw()).exec("ANALYZE");
    } catch (const std::exception&) {
    }
  }

 private:
  template <typename F>
  void run(std::string_view operation, F&& f) {
    try {
      f();
    } catch (...) {
      pg::rethrow_as_store_error(operation);
    }
  }

  Location location_;
  std::unique_ptr<pg::Connection> conn_;
  std::optional<pqxx::work> tx_;
  std::optional<pqxx::stream_to> stream_;
  const TableSpec* table_ = nullptr;
  std::vector<std::string> values_;
};

std::unique_ptr<Writer> open_writer(const Location& location) {
  if (location.postgres) return std::make_unique<PgWriter>(location);
  return std::make_unique<SqliteWriter>(location);
}

// ---- checksums ----------------------------------------------------------------------------

class Checksum {
 public:
  Checksum() : state_(XXH3_createState()) {
    if (state_ == nullptr) throw std::bad_alloc();
    XXH3_128bits_reset(state_);
  }
  ~Checksum() { XXH3_freeState(state_); }
  Checksum(const Checksum&) = delete;
  Checksum& operator=(const Checksum&) = delete;

  // One value in canonical form: its length in decimal, ':', its bytes.
  void value(std::string_view bytes) {
    char head[24];
    auto [end, ec] = std::to_chars(head, head + sizeof head - 1, bytes.size());
    *end++ = ':';
    XXH3_128bits_update(state_, head, static_cast<std::size_t>(end - head));
    XXH3_128bits_update(state_, bytes.data(), bytes.size());
  }
  void integer(std::int64_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    value(std::string_view(digits, static_cast<std::size_t>(end - digits)));
  }
  void end_row() { XXH3_128bits_update(state_, "\n", 1); }

  std::string hex() const {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state_));
    return to_hex(
        std::string_view(reinterpret_cast<const char*>(canonical.digest), sizeof canonical.digest));
  }

 private:
  XXH3_state_t* state_;
};

TableSum sum_table(Reader& reader, const TableSpec& table) {
  Checksum checksum;
  TableSum sum{std::string(table.name), 0, {}};
  reader.scan(table, [&](Row& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      switch (table.columns[i].kind) {
        case ColumnKind::kText:
          checksum.value(row[i].bytes);
          break;
        case ColumnKind::kBlob:
          checksum.value(to_hex(row[i].bytes));
          break;
        case ColumnKind::kInteger:
          checksum.integer(row[i].integer);
          break;
        case ColumnKind::kBoolean:
          checksum.integer(row[i].integer != 0 ? 1 : 0);
          break;
      }
    }
    checksum.end_row();
    ++sum.rows;
  });
  sum.checksum = checksum.hex();
  return sum;
}

std::vector<TableSum> sum_tables(Reader& reader) {
  std::vector<TableSum> sums;
  for (const auto& table : library_tables()) sums.push_back(sum_table(reader, table));
  return sums;
}

// ---- the copy -----------------------------------------------------------------------------

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// An open copy: the source read in its snapshot and checked, the destination's schema made
// and found empty.
struct Endpoints {
  Location from;
  Location to;
  std::unique_ptr<Reader> source;
};

Endpoints prepare(std::string_view from_url, std::string_view to_url) {
  Endpoints e{locate(from_url), locate(to_url), nullptr};
  if (same_database(e.from, e.to)) {
    throw CopyRefused(
        fmt::format("source and destination are the same database ({})", redact_url(e.from.url)));
  }
  e.source = open_reader(e.from, /*source=*/true);
  check_schema(*e.source, e.from, "source");
  if (!e.to.postgres && e.to.path.has_parent_path()) {
    fs::create_directories(e.to.path.parent_path());
  }
  open_store(e.to.url);  // creates or upgrades the destination's schema; closed at once
  auto destination = open_reader(e.to, /*source=*/false);
  check_schema(*destination, e.to, "destination");
  // Refused here already, before anything is read; the writer checks again in its transaction.
  require_empty(destination->count("documents"), destination->count("users"), e.to);
  return e;
}

std::int64_t copy_rows(Endpoints& e, const CopyProgressFn& progress) {
  const auto& tables = library_tables();
  std::vector<std::int64_t> totals;
  CopyProgress state;
  for (const auto& table : tables) {
    totals.push_back(e.source->count(table.name));
    state.total += totals.back();
  }
  auto writer = open_writer(e.to);
  writer->begin();
  // Children first: a new schema's own rows (category kinds, the one-row tables) go.
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) writer->clear(*it);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    state.table = tables[i].name;
    state.table_rows = 0;
    state.table_total = totals[i];
    if (progress) progress(state);
    writer->begin_table(tables[i]);
    e.source->scan(tables[i], [&](Row& row) {
      writer->add(row);
      ++state.table_rows;
      ++state.rows;
      if (progress && state.table_rows % kProgressEvery == 0) progress(state);
    });
    writer->end_table();
    if (progress) progress(state);
  }
  writer->commit();
  return state.rows;
}

}  // namespace

std::vector<TableCheck> compare_sums(const std::vector<TableSum>& source,
                                     const std::vector<TableSum>& destination) {
  std::vector<TableCheck> checks;
  for (const auto& s : source) {
    TableCheck check{s, TableSum{s.table, 0, {}}};
    for (const auto& d : destination) {
      if (d.table == s.table) check.destination = d;
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<TableSum> checksum_library(std::string_view url) {
  const auto location = locate(url);
  auto reader = open_reader(location, /*source=*/true);
  check_schema(*reader, location, "database");
  return sum_tables(*reader);
}

std::int64_t copy_tables(std::string_view from_url, std::string_view to_url,
                         const CopyProgressFn& progress) {
  auto endpoints = prepare(from_url, to_url);
  return copy_rows(endpoints, progress);
}

CopyReport copy_library(std::string_view from_url, std::string_view to_url,
                        const CopyProgressFn& progress) {
  auto endpoints = prepare(from_url, to_url);
  CopyReport report;
  auto start = std::chrono::steady_clock::now();
  report.rows = copy_rows(endpoints, progress);
  report.copy_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  // The source in the snapshot it was copied from; the destination as committed.
  const auto source = sum_tables(*endpoints.source);
  endpoints.source.reset();
  auto destination_reader = open_reader(endpoints.to, /*source=*/false);
  const auto destination = sum_tables(*destination_reader);
  report.tables = compare_sums(source, destination);
  report.verify_seconds = seconds_since(start);
  return report;
}

}  // namespace wenku::store
