#include "store/pg_db.h"

#include <fmt/format.h>

#include <atomic>

#include "store/migration.h"

namespace wenku::store::pg {

namespace {

// The start of a statement's text, to name it in error messages.
std::string_view sql_head(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  return sql.substr(0, std::min(sql.find('\n'), kMax));
}

// SQLSTATEs (PostgreSQL appendix A).
constexpr std::string_view kReadOnlyTransaction = "25006";
constexpr std::string_view kSerializationFailure = "40001";
constexpr std::string_view kDeadlock = "40P01";
constexpr std::string_view kAdminShutdown = "57P01";
constexpr std::string_view kCannotConnectNow = "57P03";

// Key of the advisory lock held while migrations run ("wenku" in ASCII).
constexpr std::int64_t kMigrationLock = 0x77656e6b75;

}  // namespace

Connection::Connection(const std::string& url) try : conn_(url) {
} catch (...) {
  rethrow_as_store_error("connect");
}

const std::string& Connection::prepared(std::string_view sql) {
  auto it = names_.find(std::string(sql));
  if (it != names_.end()) return it->second;
  // Names are per connection; one counter for all keeps them distinct in logs.
  static std::atomic<std::uint64_t> next{0};
  auto name = fmt::format("w{}", next.fetch_add(1));
  try {
    conn_.prepare(name, std::string(sql));
  } catch (...) {
    rethrow_as_store_error(fmt::format("prepare \"{}\"", sql_head(sql)));
  }
  return names_.emplace(std::string(sql), std::move(name)).first->second;
}

Pool::Lease::~Lease() {
  if (broken_ || !conn_->raw().is_open()) return;
  std::lock_guard lock(pool_.mutex_);
  pool_.idle_.push_back(std::move(conn_));
}

Pool::Lease Pool::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn), /*reused=*/true);
    }
  }
  return Lease(*this, std::make_unique<Connection>(url_), /*reused=*/false);
}

void rethrow_as_store_error(std::string_view operation) {
  try {
    throw;
  } catch (const StoreError&) {
    throw;
  } catch (const pqxx::broken_connection& e) {
    throw StoreUnavailable(fmt::format("postgresql: {}: no connection: {}", operation, e.what()));
  } catch (const pqxx::sql_error& e) {
    const std::string_view state = e.sqlstate();
    if (state == kReadOnlyTransaction || state == kAdminShutdown || state == kCannotConnectNow) {
      throw StoreUnavailable(fmt::format("postgresql: {}: {}", operation, e.what()));
    }
    throw StoreError(fmt::format("postgresql: {}: {}", operation, e.what()));
  } catch (const std::exception& e) {
    throw StoreError(fmt::format("postgresql: {}: {}", operation, e.what()));
  }
}

bool is_transient_conflict() {
  try {
    throw;
  } catch (const pqxx::sql_error& e) {
    const std::string_view state = e.sqlstate();
    return state == kSerializationFailure || state == kDeadlock;
  } catch (...) {
    return false;
  }
}

namespace {

int recorded_version(pqxx::transaction_base& tx) {
  return tx.exec("SELECT version FROM schema_version WHERE id = 1")[0][0].as<int>();
}

}  // namespace

void migrate(Connection& conn, const std::vector<embedded::File>& migrations) {
  try {
    pqxx::nontransaction session(conn.raw());
    session.exec(fmt::format("SELECT pg_advisory_lock({})", kMigrationLock));
    session.exec(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)");
    session.exec("INSERT INTO schema_version (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING");
  } catch (...) {
    rethrow_as_store_error("prepare migrations");
  }
  // The lock is the session's: released by the unlock below, or when the connection closes.
  struct Unlock {
    Connection& conn;
    ~Unlock() {
      try {
        pqxx::nontransaction(conn.raw())
            .exec(fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock));
      } catch (...) {  // the connection is gone, and the lock with it
      }
    }
  } unlock{conn};

  int previous = 0;
  for (const auto& file : migrations) {
    const int version = migration_version(file.path);
    if (version <= previous) {
      throw StoreError(
          fmt::format("postgresql: migration \"{}\" repeats version {}", file.path, version));
    }
    previous = version;
    try {
      pqxx::work tx(conn.raw());
      if (version <= recorded_version(tx)) continue;
      tx.exec(std::string(file.data));
      tx.exec(fmt::format("UPDATE schema_version SET version = {} WHERE id = 1", version));
      tx.commit();
    } catch (...) {
      rethrow_as_store_error(fmt::format("apply migration {}", file.path));
    }
  }
  int current = 0;
  try {
    pqxx::nontransaction tx(conn.raw());
    current = recorded_version(tx);
  } catch (...) {
    rethrow_as_store_error("read the schema version");
  }
  if (current > previous) {
    throw StoreError(
        fmt::format("postgresql: the database has schema version {}, newer than this program's {}",
                    current, previous));
  }
}

std::string with_connect_timeout(std::string_view url, int seconds) {
  std::string out(url);
  if (out.find("connect_timeout") != std::string::npos) return out;
  const bool is_url = out.starts_with("postgresql://") || out.starts_with("postgres://");
  if (is_url) {
    out += out.find('?') == std::string::npos ? '?' : '&';
    out += fmt::format("connect_timeout={}", seconds);
  } else {
    out += fmt::format(" connect_timeout={}", seconds);
  }
  return out;
}

std::string text_array(const std::vector<std::string_view>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace wenku::store::pg
