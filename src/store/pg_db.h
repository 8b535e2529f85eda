// Thin helpers over libpqxx, internal to the store module: pooled connections with their
// prepared statements, error translation to store::StoreError, and migrations. Every failure
// throws StoreError (StoreUnavailable when the database cannot be reached or takes no writes).
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/embedded.h"
#include "store/store_error.h"

namespace wenku::store::pg {

// One database connection and the statements prepared on it. Not thread-safe: a Pool lends
// it to one thread at a time.
class Connection {
 public:
  // Connects to `url` (a libpq connection URL or keyword string). Throws StoreUnavailable
  // when the server cannot be reached.
  explicit Connection(const std::string& url);

  pqxx::connection& raw() { return conn_; }

  // The name under which `sql` is prepared on this connection, preparing it on first use.
  const std::string& prepared(std::string_view sql);

 private:
  pqxx::connection conn_;
  std::unordered_map<std::string, std::string> names_;  // SQL text -> statement name
};

// Runs the prepared statement `sql` with `args` ($1, $2, … in order) in `tx`.
template <typename... Args>
pqxx::result run(pqxx::transaction_base& tx, Connection& conn, std::string_view sql,
                 Args&&... args) {
  return tx.exec_prepared(conn.prepared(sql), std::forward<Args>(args)...);
}

// Idle connections to one server, opened on demand: at most one per concurrently running
// thread. A connection that failed is dropped, not given back.
class Pool {
 public:
  explicit Pool(std::string url) : url_(std::move(url)) {}

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn, bool reused)
        : pool_(pool), conn_(std::move(conn)), reused_(reused) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }
    // True when the connection was idle in the pool (it may have broken meanwhile).
    bool reused() const { return reused_; }
    // Closes the connection instead of giving it back (after a failure).
    void discard() { broken_ = true; }

   private:
    Pool& pool_;
    std::unique_ptr<Connection> conn_;
    bool reused_ = false;
    bool broken_ = false;
  };

  // Throws StoreUnavailable when no connection can be made.
  Lease borrow();
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// Throws the StoreError for the exception being handled (call only inside a catch block):
// StoreUnavailable for a lost or refused connection and for a write refused by a standby
// (SQLSTATE 25006), StoreError for anything else; the message names `operation`.
[[noreturn]] void rethrow_as_store_error(std::string_view operation);

// True when the exception being handled (call only inside a catch block) is a transient
// conflict between concurrent transactions (deadlock, serialization failure): the whole
// transaction may simply run again.
bool is_transient_conflict();

// Applies every migration of `migrations` (named NNN_*.sql) above the database's recorded
// schema version (table schema_version), in order, each in its own transaction that records
// its version, under an advisory lock so several nodes starting at once apply each once.
// Throws StoreError when the database's schema is newer than the newest migration.
void migrate(Connection& conn, const std::vector<embedded::File>& migrations);

// `url` with libpq's connect_timeout set (seconds) unless it sets one itself, so a node whose
// database host is unreachable fails over quickly instead of waiting for TCP's timeout.
std::string with_connect_timeout(std::string_view url, int seconds);

// The literal of a PostgreSQL text[] holding `values`, for passing a batch as one parameter
// (unnest($1::text[])).
std::string text_array(const std::vector<std::string_view>& values);

}  // namespace wenku::store::pg
