// `wenku backup` and `wenku restore`: the library's durable state as one file. Everything that
// cannot be rebuilt — documents, settings, accounts, 专题, uploaded site files — lives in the
// SQLite database (sqlite_path); the search index under DATA/index/ is derived from it and
// rebuilt on restore, so a backup is a copy of that database alone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>

#include "app/library.h"

namespace wenku::app {

// A refusal or failure of backup or restore; the message says what and why, for the operator.
class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BackupReport {
  std::int64_t documents = 0;  // documents not soft-deleted in the copy
  std::uintmax_t bytes = 0;    // size of the backup file
};

// Writes a consistent copy of the database of `config` to the new file `out`
// (store::backup_sqlite: the database as of one moment, while a running server and imports
// go on reading and writing it). The copy is written to a temporary file beside `out`, checked
// (store::check_sqlite_file: integrity and schema), synced, and only then renamed to `out`, so
// `out` is either absent or complete. Refuses, writing nothing, when `out` exists or the
// database does not. Throws BackupError with the reason (a store::StoreError's message
// included); the temporary file is removed then.
BackupReport backup_library(const LibraryConfig& config, const std::filesystem::path& out);

struct RestoreReport {
  std::int64_t documents = 0;  // documents not soft-deleted, as the restored library counts them
  double index_seconds = 0;    // time to open the library, rebuilding its index
};

// Makes the backup `in` the database of `config` and rebuilds the index from it. Refuses,
// changing nothing, unless the data directory is absent or empty (what a killed restore left
// there, its temporary database, is removed first) and the database file (which
// `--db sqlite:PATH` may place elsewhere) absent, and when `in` is not a sound Wenku database
// (store::check_sqlite_file). The database is copied to a temporary file beside its place,
// checked, synced and renamed into place; then the library is opened (Library), which builds
// the index from the store. Throws BackupError with the reason; a failed copy leaves no file
// behind, and a data directory this call created is removed again. Should opening the library
// fail after the copy, the database stays restored and the message says so.
RestoreReport restore_library(const LibraryConfig& config, const std::filesystem::path& in);

}  // namespace wenku::app
