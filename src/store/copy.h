// Copying a whole library from one database to another (`wenku migrate`): SQLite to
// PostgreSQL, back, or between two databases of one backend. Every table of the store is
// copied row by row as it is stored — documents with their change sequence numbers, views and
// times, accounts and feedback with their ids, the change sequence itself — and the copy is
// verified by row counts and checksums computed on both sides. The search index is not
// copied: it is derived, and each node builds its own from the database.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_error.h"

namespace wenku::store {

// How a column's values are read, written and compared. Booleans are 0/1 integers in SQLite
// and `boolean` in PostgreSQL; blobs are BLOB and `bytea`.
enum class ColumnKind { kText, kInteger, kBoolean, kBlob };

struct ColumnSpec {
  std::string_view name;
  ColumnKind kind = ColumnKind::kText;
};

// One table of the store as the copy sees it.
struct TableSpec {
  std::string_view name;
  std::vector<ColumnSpec> columns;  // every column of the table
  // The columns rows are read in: the primary key, or every column for a table without
  // one (login_failures, whose identical rows are then adjacent and interchangeable).
  std::vector<std::string_view> order;
  // The column a PostgreSQL `bigserial` fills ("" for none): after a copy into PostgreSQL its
  // sequence is advanced past the copied ids, so the next row gets a new id.
  std::string_view serial;
};

// Every table of the store (the schema after src/store/sql/ 001–009, the same tables as
// src/store/sql/pg/001_init.sql), parents before the tables whose foreign keys refer to them.
// PostgreSQL's schema_version and SQLite's internal tables are not part of it. A database
// whose tables do not have exactly these columns is refused by every function below, so a
// migration that adds a column without adding it here cannot be copied without it.
const std::vector<TableSpec>& library_tables();

// The copy refused to start and changed nothing: the destination holds documents or
// accounts, source and destination are one database, or the source's schema is not this
// program's.
class CopyRefused : public StoreError {
 public:
  using StoreError::StoreError;
};

// Where a copy is, for a progress display: reported at the start and the end of each table
// and every 100 rows in between.
struct CopyProgress {
  std::string_view table;        // the table being copied
  std::int64_t table_rows = 0;   // rows of that table copied so far
  std::int64_t table_total = 0;  // rows of that table in the source
  std::int64_t rows = 0;         // rows copied so far, all tables
  std::int64_t total = 0;        // rows of all tables in the source
};
using CopyProgressFn = std::function<void(const CopyProgress&)>;

// A table's row count and checksum: XXH3-128 (hex) of its rows in `order`, each in a
// canonical form that does not depend on the backend (text as its bytes, integers in
// decimal, booleans as 0/1, blobs as lower-case hex; each value prefixed by its length, each
// row ended by a newline).
struct TableSum {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;
};

// One table compared on both sides.
struct TableCheck {
  TableSum source;
  TableSum destination;
  bool ok() const {
    return source.rows == destination.rows && source.checksum == destination.checksum;
  }
};

struct CopyReport {
  std::vector<TableCheck> tables;  // in library_tables() order
  std::int64_t rows = 0;           // rows copied, all tables
  double copy_seconds = 0;
  double verify_seconds = 0;
  bool ok() const {
    for (const auto& t : tables) {
      if (!t.ok()) return false;
    }
    return true;
  }
};

// Copies every table of the library at `from_url` into the empty library at `to_url`
// ("sqlite:PATH" or "postgresql://…", as store::open_store takes them), then verifies it:
// the row count and checksum of every table, computed on both sides, are in the report
// (report.ok() is false on any mismatch; the copy stays committed then).
//
// The source is never written: SQLite is opened read-only, PostgreSQL read in a read-only
// transaction. It is read in one snapshot (one read transaction, REPEATABLE READ in
// PostgreSQL) for the copy and for the source's checksums, so a server may keep writing to
// it, though what it writes after the copy starts is not copied. The destination is opened
// with store::open_store first, which creates its schema; it must hold no document (soft-
// deleted ones included) and no account, else CopyRefused and nothing is changed. Rows its
// other tables hold (the default category kinds of a new schema, a setting a server stored)
// are replaced by the source's. The whole copy is ONE destination transaction: a failure
// leaves the destination as it was. Into PostgreSQL, the bigserial sequences are then set past
// the copied ids. `progress` (may be empty) is called as rows are copied.
//
// Throws std::invalid_argument for a URL of neither kind; CopyRefused when source and
// destination are one database, when the source is missing, or when either schema is not
// this program's; StoreError (StoreUnavailable when a server cannot be reached) when reading
// or writing fails.
CopyReport copy_library(std::string_view from_url, std::string_view to_url,
                        const CopyProgressFn& progress = {});

// The copy of copy_library without its verification; returns the rows copied. For tests that
// alter the destination before verifying it.
std::int64_t copy_tables(std::string_view from_url, std::string_view to_url,
                         const CopyProgressFn& progress = {});

// The row count and checksum of every table of the library at `url`, read in one snapshot,
// in library_tables() order. Never writes. Throws as copy_library.
std::vector<TableSum> checksum_library(std::string_view url);

// `source` and `destination` (checksum_library results) paired by table, in the order of
// `source`; a table missing on one side is paired with an empty sum (no checksum), which
// never matches.
std::vector<TableCheck> compare_sums(const std::vector<TableSum>& source,
                                     const std::vector<TableSum>& destination);

// `url` with the password of a PostgreSQL URL (postgresql://USER:PASSWORD@…, or a
// password=… parameter) replaced by "***", for messages.
std::string redact_url(std::string_view url);

}  // namespace wenku::store
