// Thin RAII wrappers over the SQLite C API, internal to the store module. Every failure
// throws store::StoreError naming the operation and carrying sqlite3_errmsg.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/embedded.h"
#include "base/string_map.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace wenku::store::sqlite {

class Statement;

// One database connection. Not thread-safe: the owner serialises its use.
class Connection {
 public:
  // Opens (creating when absent) `path` and configures it: WAL journaling, synchronous=FULL
  // (a commit survives power loss, invariant 2), foreign keys on, a 5 s busy timeout.
  // A `read_only` connection additionally refuses writes (PRAGMA query_only).
  Connection(const std::filesystem::path& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (schema, pragmas, transactions).
  void exec(std::string_view sql, std::string_view operation);

  // Returns the prepared statement for `sql`, preparing it on first use and keeping it
  // for the life of the connection.
  Statement& statement(std::string_view sql);

  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  std::int64_t changes() const;

  // The first min(max_bytes, size) bytes of the TEXT or BLOB value in column `column` of
  // the row with rowid `rowid` of table `table`, read with SQLite's incremental BLOB I/O:
  // only the pages holding those bytes are read (an SQL expression such as substr() loads
  // the whole value, every overflow page of a long text, first). Reads in the transaction
  // open on the connection, e.g. that of a statement still stepping, so it sees the same
  // snapshot. Throws StoreError when the row does not exist or the value is neither TEXT
  // nor BLOB.
  std::string read_prefix(const char* table, const char* column, std::int64_t rowid,
                          std::size_t max_bytes);

  // Throws StoreError "sqlite: <operation>: <sqlite3_errmsg>".
  [[noreturn]] void fail(std::string_view operation) const;

  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  StringMap<std::unique_ptr<Statement>> statements_;
};

// A prepared statement. Use it through Statement::Use, which resets it afterwards so no
// read transaction is left open on the connection.
class Statement {
 public:
  Statement(Connection& conn, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // One execution: bind parameters (1-based), step through rows, read columns (0-based).
  class Use {
   public:
    explicit Use(Statement& s) : s_(s) {}
    ~Use();
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

    Use& bind(int index, std::string_view value);
    Use& bind(int index, std::int64_t value);
    // Binds `value` as a BLOB: raw bytes, NULs included.
    Use& bind_blob(int index, std::string_view value);
    // Returns true when a row is available, false when the statement is done.
    bool step();
    // Steps once and requires a row.
    void step_row();
    // A TEXT or BLOB column's bytes, NULs included ("" for NULL).
    std::string text(int column) const;
    std::int64_t integer(int column) const;

   private:
    Statement& s_;
  };

  Use use() { return Use(*this); }

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// BEGIN IMMEDIATE on construction; rolls back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool open_ = true;
};

// Applies every migration whose version exceeds PRAGMA user_version, in order, each in
// its own transaction that also records the new user_version. Foreign keys are off while
// migrations run (a migration may rebuild a table others refer to) and checked with
// PRAGMA foreign_key_check before each commit; on again afterwards. Safe when several
// processes open the same database at once.
void migrate(Connection& conn, const std::vector<embedded::File>& migrations);

}  // namespace wenku::store::sqlite
