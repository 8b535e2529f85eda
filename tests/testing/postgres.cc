#include "testing/postgres.h"

#include <fmt/format.h>

#include <pqxx/pqxx>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include <unistd.h>

#include "testing/test_support.h"

namespace wenku::testing {

std::optional<std::string> shared_postgres_url(std::string& why) {
  static const auto result = [] {
    auto started = run_stdout({WENKU_POSTGRES_SERVER_SCRIPT, "start", WENKU_TEST_POSTGRES_DIR});
    return started;
  }();
  constexpr int kNotInstalled = 77;
  if (result.exit_code == kNotInstalled && std::getenv("WENKU_REQUIRE_POSTGRES") == nullptr) {
    why = "no PostgreSQL server installed (Debian package postgresql): PostgreSQL tests skipped";
    return std::nullopt;
  }
  if (result.exit_code != 0) {
    throw std::runtime_error(fmt::format("cannot start the tests' PostgreSQL server ({}): {}",
                                         result.exit_code, result.out));
  }
  auto url = result.out;
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
  return url;
}

PostgresSchema::PostgresSchema() {
  std::string why;
  server_url_ = shared_postgres_url(why).value();
  static std::atomic<int> next{0};
  name_ = fmt::format("test_{}_{}", ::getpid(), next.fetch_add(1));
  pqxx::connection conn(server_url_);
  pqxx::nontransaction(conn).exec(
      fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}", name_));
  url_ = fmt::format("{}?options=-csearch_path%3D{}", server_url_, name_);
}

PostgresSchema::~PostgresSchema() {
  try {
    pqxx::connection conn(server_url_);
    pqxx::nontransaction(conn).exec(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", name_));
  } catch (const std::exception&) {  // the server is gone: nothing to clean
  }
}

void PostgresSchema::exec(const std::string& sql) const {
  pqxx::connection conn(url_);
  pqxx::nontransaction(conn).exec(sql);
}

std::string PostgresSchema::scalar(const std::string& sql) const {
  pqxx::connection conn(url_);
  auto rows = pqxx::nontransaction(conn).exec(sql);
  if (rows.empty() || rows[0][0].is_null()) return "";
  return rows[0][0].c_str();
}

}  // namespace wenku::testing
