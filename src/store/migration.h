// Migration files, shared by the store's backends: each backend applies the files of its own
// folder (src/store/sql/ for SQLite, src/store/sql/pg/ for PostgreSQL) in version order, each
// once, and refuses a database whose schema is newer than the program's.
#pragma once

#include <string_view>

namespace wenku::store {

// The schema version a migration file name declares: "001_init.sql" -> 1. Throws
// StoreError when the name does not start with a positive number followed by '_'.
int migration_version(std::string_view file_name);

}  // namespace wenku::store
