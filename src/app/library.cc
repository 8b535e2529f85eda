#include "app/library.h"

#include <stdexcept>
#include <string_view>

namespace wenku::app {

std::filesystem::path sqlite_path(const LibraryConfig& config) {
  if (config.db_url.empty()) return config.data_dir / "wenku.sqlite";
  constexpr std::string_view kScheme = "sqlite:";
  if (config.db_url.starts_with(kScheme)) return config.db_url.substr(kScheme.size());
  throw std::invalid_argument("unsupported --db URL '" + config.db_url +
                              "': this build stores documents in SQLite (sqlite:PATH)");
}

Library::Library(const LibraryConfig& config) {
  std::filesystem::create_directories(config.data_dir);
  store_ = store::open_sqlite(sqlite_path(config));
  const auto dict_dir = text::find_dict_dir(config.dict_dir);
  segmenter_ = std::make_unique<text::Segmenter>(dict_dir);
  enricher_ = std::make_unique<Enricher>(dict_dir, *segmenter_);
  aliases_ = std::make_unique<search::Aliases>(search::Aliases::load(dict_dir));
  index_ = std::make_unique<search::Index>(config.data_dir / "index", *segmenter_, *aliases_);
  if (index_->writable()) index_->catch_up(*store_);
}

Library::~Library() = default;

}  // namespace wenku::app
