// Wiring: opens the store, the segmenter and the index for one data directory.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "app/enricher.h"
#include "search/aliases.h"
#include "search/index.h"
#include "store/store.h"
#include "text/segmenter.h"

namespace wenku::app {

struct LibraryConfig {
  std::filesystem::path data_dir = "wenku-data";  // holds wenku.sqlite and index/
  // "" (data_dir/wenku.sqlite), "sqlite:PATH" or "postgresql://USER@HOST[:PORT]/DB…"
  std::string db_url;
  std::string db_read_url;         // "" or a hot standby of a PostgreSQL db_url (store::open_store)
  std::filesystem::path dict_dir;  // empty: text::find_dict_dir() decides
};

// The database URL `config` names: db_url, or sqlite:DATA/wenku.sqlite when it is empty.
std::string database_url(const LibraryConfig& config);

// Opens the database `config` names (store::open_store), creating the directory of an SQLite
// file when absent. Throws std::invalid_argument for an unsupported URL, StoreError when the
// database cannot be opened.
std::unique_ptr<store::Store> open_database(const LibraryConfig& config);

// Returns the SQLite file `config` names. Throws std::invalid_argument when it names a
// PostgreSQL database (for commands that work on the SQLite file itself: backup, restore).
std::filesystem::path sqlite_path(const LibraryConfig& config);

// A library: the store (source of truth), the segmenter and the derived index, opened
// together. When this process maintains the index (see search::Index::writable), opening
// catches it up with the store (rebuilding it after an unclean shutdown); otherwise the
// process that maintains it (a running server) follows the store's changes.
class Library {
 public:
  // Creates `data_dir` when absent. Throws on any failure to open.
  explicit Library(const LibraryConfig& config);
  ~Library();

  store::Store& store() { return *store_; }
  search::Index& index() { return *index_; }
  const text::Segmenter& segmenter() const { return *segmenter_; }
  text::Segmenter& segmenter() { return *segmenter_; }
  const search::Aliases& aliases() const { return *aliases_; }
  const Enricher& enricher() const { return *enricher_; }
  Enricher& enricher() { return *enricher_; }

 private:
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<text::Segmenter> segmenter_;
  std::unique_ptr<search::Aliases> aliases_;
  std::unique_ptr<Enricher> enricher_;
  std::unique_ptr<search::Index> index_;
};

}  // namespace wenku::app
