#include "store/migration.h"

#include <fmt/format.h>

#include <charconv>

#include "store/store_error.h"

namespace wenku::store {

int migration_version(std::string_view file_name) {
  int version = 0;
  auto [end, ec] = std::from_chars(file_name.data(), file_name.data() + file_name.size(), version);
  if (ec != std::errc() || version <= 0 || end == file_name.data() + file_name.size() ||
      *end != '_') {
    throw StoreError(fmt::format(
        "store: migration file name \"{}\" does not start with a version like 001_", file_name));
  }
  return version;
}

}  // namespace wenku::store
