// The tests' private PostgreSQL server (tests/testing/postgres-server), shared by every test
// process of one build tree: started on first use (or by CTest's postgres fixture) and stopped
// by CTest's fixture clean-up. Each test works in a schema of its own.
#pragma once

#include <optional>
#include <string>

namespace wenku::testing {

// The URL of the shared server, starting it when needed; nullopt, with the reason in `why`,
// when no PostgreSQL server is installed and WENKU_REQUIRE_POSTGRES is not set (scripts/test
// sets it, so there a missing server fails the test instead of skipping it). Throws when the
// server cannot be started.
std::optional<std::string> shared_postgres_url(std::string& why);

// A new, empty schema on the shared server for one test, dropped with everything in it by the
// destructor. Construct only after shared_postgres_url returned a URL.
class PostgresSchema {
 public:
  PostgresSchema();
  ~PostgresSchema();
  PostgresSchema(const PostgresSchema&) = delete;
  PostgresSchema& operator=(const PostgresSchema&) = delete;

  // A URL whose connections work in this schema (search_path).
  const std::string& url() const { return url_; }
  // Runs `sql` (one or more statements) in this schema; throws on failure.
  void exec(const std::string& sql) const;
  // The first column of the first row of `sql`, as text ("" for NULL); throws on failure.
  std::string scalar(const std::string& sql) const;

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

}  // namespace wenku::testing
