// Chooses the backend a database URL names.
#include <stdexcept>
#include <string>

#include "store/store.h"

namespace wenku::store {

namespace {
constexpr std::string_view kSqliteScheme = "sqlite:";
}  // namespace

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::unique_ptr<Store> open_store(std::string_view url, std::string_view read_url) {
  if (is_postgres_url(url)) return open_postgres(std::string(url), std::string(read_url));
  if (!url.starts_with(kSqliteScheme)) {
    throw std::invalid_argument("unsupported database URL '" + std::string(url) +
                                "' (expected sqlite:PATH or postgresql://USER@HOST/DB)");
  }
  if (!read_url.empty()) {
    throw std::invalid_argument("a read-only standby (--db-read) needs a PostgreSQL --db");
  }
  return open_sqlite(url.substr(kSqliteScheme.size()));
}

}  // namespace wenku::store
