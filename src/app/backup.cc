#include "app/backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <regex>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "store/sqlite_backup.h"

namespace wenku::app {

namespace {

namespace fs = std::filesystem;

fs::path parent_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// A name beside `target` for the file that becomes it, unique to this process.
fs::path temporary_beside(const fs::path& target, std::string_view what) {
  return parent_of(target) / fmt::format(".{}.{}-{}", target.filename().string(), what, getpid());
}

// Flushes the file or directory `path` to disk.
void sync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0 || ::fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    throw BackupError(fmt::format("cannot sync {}: {}", path.string(), std::strerror(error)));
  }
  ::close(fd);
}

// Renames `from` to `to` unless `to` exists, atomically: a file another process puts at `to`
// meanwhile is never replaced.
void rename_no_replace(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
  int error = errno;
  if (error == EINVAL || error == ENOSYS) {
    // A file system without RENAME_NOREPLACE: a hard link refuses an existing name too.
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return;
    }
    error = errno;
  }
  if (error == EEXIST) {
    throw BackupError(fmt::format("{} appeared meanwhile; it was left as it is", to.string()));
  }
  throw BackupError(
      fmt::format("cannot rename {} to {}: {}", from.string(), to.string(), std::strerror(error)));
}

// Removes `path` on destruction unless kept.
class RemoveUnlessKept {
 public:
  explicit RemoveUnlessKept(fs::path path) : path_(std::move(path)) {}
  ~RemoveUnlessKept() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove(path_, ec);
  }
  RemoveUnlessKept(const RemoveUnlessKept&) = delete;
  RemoveUnlessKept& operator=(const RemoveUnlessKept&) = delete;
  void keep() { path_.clear(); }

 private:
  fs::path path_;
};

// Throws BackupError when something is at `database` or one of its companion files.
void refuse_existing_database(const fs::path& database) {
  std::error_code ec;
  // The companions SQLite keeps beside a database mean one is there as well.
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const fs::path path = database.string() + suffix;
    if (fs::exists(fs::symlink_status(path, ec))) {
      throw BackupError(
          fmt::format("{} exists: wenku restore never replaces a database; restore into a new data "
                      "directory, or move the old one away first",
                      path.string()));
    }
  }
}

// The tag of a restore's temporary database (copy_into_place).
constexpr std::string_view kRestoringTag = "restoring";

// Removes from the directory `dir` what a killed restore left there: its temporary database
// (".NAME.restoring-PID", as temporary_beside names it, and SQLite's journal beside it) when
// process PID no longer runs.
void remove_abandoned_restores(const fs::path& dir) {
  static const std::regex temporary(R"(\..+\.)" + std::string(kRestoringTag) +
                                    R"(-([0-9]{1,9})(-journal|-wal|-shm)?)");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!std::regex_match(name, match, temporary)) continue;
    const auto pid = static_cast<pid_t>(std::stol(match[1].str()));
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // running, or not ours to judge
    std::error_code ignored;
    fs::remove(entry.path(), ignored);
  }
}

// Throws BackupError unless `dir` is absent or an empty directory (once what a killed restore
// left in it is gone).
void refuse_non_empty(const fs::path& dir) {
  std::error_code ec;
  const auto status = fs::symlink_status(dir, ec);
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status)) {
    throw BackupError(fmt::format("{} is not a directory", dir.string()));
  }
  remove_abandoned_restores(dir);
  if (!fs::is_empty(dir, ec) || ec) {
    throw BackupError(fmt::format(
        "{} is not empty: wenku restore only restores into an empty or absent data directory, "
        "so that it never mixes with or replaces a library; restore into a new directory, or "
        "move its contents away first",
        dir.string()));
  }
}

// Copies the database `from` to `to` (which must not exist) through a temporary file beside
// it named with `tag`, checked before it is renamed into place, and synced; returns the live
// documents it holds. On failure no file is left and BackupError says "`what` failed: …".
std::int64_t copy_into_place(const fs::path& from, const fs::path& to, std::string_view tag,
                             const std::string& what) {
  const fs::path temporary = temporary_beside(to, tag);
  RemoveUnlessKept remove(temporary);
  std::int64_t documents = 0;
  try {
    store::backup_sqlite(from, temporary);
    documents = store::check_sqlite_file(temporary).documents;
  } catch (const store::StoreError& e) {
    throw BackupError(fmt::format("{} failed: {}", what, e.what()));
  }
  sync_path(temporary, /*directory=*/false);
  rename_no_replace(temporary, to);
  remove.keep();
  sync_path(parent_of(to), /*directory=*/true);
  return documents;
}

}  // namespace

BackupReport backup_library(const LibraryConfig& config, const fs::path& out) {
  const fs::path database = sqlite_path(config);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(out, ec))) {
    throw BackupError(fmt::format(
        "{} exists: wenku backup never overwrites a file; remove it or choose another name",
        out.string()));
  }
  if (!fs::is_regular_file(database, ec)) {
    throw BackupError(fmt::format("no database at {}: nothing to back up", database.string()));
  }
  BackupReport report;
  report.documents =
      copy_into_place(database, out, "partial", fmt::format("backup of {}", database.string()));
  report.bytes = fs::file_size(out);
  return report;
}

RestoreReport restore_library(const LibraryConfig& config, const fs::path& in) {
  const fs::path database = sqlite_path(config);
  refuse_non_empty(config.data_dir);
  refuse_existing_database(database);
  try {
    store::check_sqlite_file(in);
  } catch (const store::StoreError& e) {
    throw BackupError(
        fmt::format("{} is not a Wenku backup to restore: {}", in.string(), e.what()));
  }

  std::error_code ec;
  const bool data_dir_existed = fs::exists(config.data_dir, ec);
  fs::create_directories(config.data_dir);
  fs::create_directories(parent_of(database));
  try {
    copy_into_place(in, database, kRestoringTag, fmt::format("restore of {}", in.string()));
  } catch (...) {
    if (!data_dir_existed) fs::remove(config.data_dir, ec);  // only when still empty
    throw;
  }

  // The index is derived: opening the library finds none and builds it from the store.
  const auto start = std::chrono::steady_clock::now();
  RestoreReport report;
  try {
    Library library(config);
    report.documents = library.store().count();
  } catch (const std::exception& e) {
    throw BackupError(fmt::format(
        "the database was restored to {}, but opening the library failed: {}; once that is "
        "mended, `wenku reindex` builds the index",
        database.string(), e.what()));
  }
  report.index_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace wenku::app
