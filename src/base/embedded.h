// Files compiled into the binary at build time (SQL migrations, page templates,
// static assets), so an installed `wenku` needs nothing beside it but its dictionaries.
#pragma once

#include <string_view>
#include <vector>

namespace wenku::embedded {

struct File {
  std::string_view path;  // relative to its source folder, e.g. "001_init.sql"
  std::string_view data;  // the file's bytes
};

// SQL migrations from src/store/sql/, sorted by path (so by version number).
const std::vector<File>& migrations();
// PostgreSQL migrations from src/store/sql/pg/, sorted by path.
const std::vector<File>& pg_migrations();
// Mustache templates from templates/, sorted by path.
const std::vector<File>& templates();
// Static assets from static/, sorted by path.
const std::vector<File>& static_files();

// Original sample texts from demo/ (Markdown, first line the title), sorted by path.
const std::vector<File>& demo_texts();

// Returns the file at `path` in `files`, or nullptr when absent.
const File* find(const std::vector<File>& files, std::string_view path);

}  // namespace wenku::embedded
