// Whole-database copies of the SQLite store, for `wenku backup` and `wenku restore`
// (app/backup.h). Apart from store.h so that code using the Store interface does not depend on
// them.
#pragma once

#include <cstdint>
#include <filesystem>

#include "store/store.h"

namespace wenku::store {

// What check_sqlite_file found in a sound Wenku database file.
struct SqliteFileInfo {
  int schema_version = 0;      // PRAGMA user_version: the last migration applied
  std::int64_t documents = 0;  // documents not soft-deleted
};

// Copies the SQLite database `from` (an existing file; opened without creating it and never
// written) to the new file `to` with SQLite's online backup API. The copy is the database as
// one read transaction sees it — every transaction committed before the copy began, none
// after — taken a few hundred pages per step; under WAL journaling a reader blocks no writer,
// so other connections and processes (a running `wenku serve`, an import) read and write on
// meanwhile. `to` becomes a database of its own in rollback-journal mode (no -wal file beside
// it), synced to disk. Throws StoreError naming the file when `from` is absent or unreadable,
// `to` exists, or a step fails; `to` is then removed.
void backup_sqlite(const std::filesystem::path& from, const std::filesystem::path& to);

// Opens `path` read-only and checks that it is a sound Wenku database: PRAGMA integrity_check
// answers "ok", PRAGMA user_version names a schema version this program knows (1 up to its
// last migration) and the documents table exists. Returns what it found; throws StoreError
// giving the reason otherwise (absent, not an SQLite database, damaged, another program's
// database, or of a newer Wenku). Changes nothing.
SqliteFileInfo check_sqlite_file(const std::filesystem::path& path);

}  // namespace wenku::store
