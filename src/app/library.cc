#include "app/library.h"

#include <stdexcept>
#include <string_view>

namespace wenku::app {

namespace {
constexpr std::string_view kSqliteScheme = "sqlite:";
}  // namespace

std::string database_url(const LibraryConfig& config) {
  if (!config.db_url.empty()) return config.db_url;
  return std::string(kSqliteScheme) + (config.data_dir / "wenku.sqlite").string();
}

std::unique_ptr<store::Store> open_database(const LibraryConfig& config) {
  const auto url = database_url(config);
  if (url.starts_with(kSqliteScheme)) {
    const std::filesystem::path path = url.substr(kSqliteScheme.size());
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  }
  return store::open_store(url, config.db_read_url);
}

std::filesystem::path sqlite_path(const LibraryConfig& config) {
  const auto url = database_url(config);
  if (url.starts_with(kSqliteScheme)) return url.substr(kSqliteScheme.size());
  if (store::is_postgres_url(url)) {
    throw std::invalid_argument(
        "this command works on the embedded SQLite database; for PostgreSQL use pg_dump and "
        "pg_restore (docs/deploy.md)");
  }
  throw std::invalid_argument("unsupported --db URL '" + url +
                              "' (expected sqlite:PATH or postgresql://USER@HOST/DB)");
}

Library::Library(const LibraryConfig& config) {
  std::filesystem::create_directories(config.data_dir);
  store_ = open_database(config);
  const auto dict_dir = text::find_dict_dir(config.dict_dir);
  segmenter_ = std::make_unique<text::Segmenter>(dict_dir);
  enricher_ = std::make_unique<Enricher>(dict_dir, *segmenter_);
  aliases_ = std::make_unique<search::Aliases>(search::Aliases::load(dict_dir));
  index_ = std::make_unique<search::Index>(config.data_dir / "index", *segmenter_, *aliases_);
  if (index_->writable()) index_->catch_up(*store_);
}

Library::~Library() = default;

}  // namespace wenku::app
