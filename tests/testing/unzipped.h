// Reading zip archives (.xlsx downloads) in tests; needs libzip.
#pragma once

#include <zip.h>

#include <string>

namespace wenku::testing {

// The text of every file of a zip archive (an .xlsx), concatenated; "" when it is not one.
inline std::string unzipped(const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) return "";
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (!archive) {
    zip_source_free(source);
    return "";
  }
  std::string out;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (!file) continue;
    char buffer[8192];
    zip_int64_t n;
    while ((n = zip_fread(file, buffer, sizeof buffer)) > 0)
      out.append(buffer, static_cast<std::size_t>(n));
    zip_fclose(file);
  }
  zip_close(archive);
  return out;
}

}  // namespace wenku::testing
