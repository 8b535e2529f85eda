// Reading zip archives (.xlsx and .docx downloads) in tests; needs libzip.
#pragma once

#include <zip.h>

#include <string>
#include <utility>
#include <vector>

namespace wenku::testing {

// The files of a zip archive (an .xlsx, a .docx) in archive order, name and contents; empty
// when it is not one.
inline std::vector<std::pair<std::string, std::string>> zip_entries(const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) return {};
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (!archive) {
    zip_source_free(source);
    return {};
  }
  std::vector<std::pair<std::string, std::string>> entries;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (!file) continue;
    std::string contents;
    char buffer[8192];
    zip_int64_t n;
    while ((n = zip_fread(file, buffer, sizeof buffer)) > 0)
      contents.append(buffer, static_cast<std::size_t>(n));
    zip_fclose(file);
    entries.emplace_back(zip_get_name(archive, static_cast<zip_uint64_t>(i), 0), contents);
  }
  zip_close(archive);
  return entries;
}

// The text of every file of a zip archive, concatenated; "" when it is not one.
inline std::string unzipped(const std::string& bytes) {
  std::string out;
  for (const auto& entry : zip_entries(bytes)) out += entry.second;
  return out;
}

}  // namespace wenku::testing
