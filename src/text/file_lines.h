// Reading the dictionary files of the text module line by line (internal to the module).
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace wenku::text {

// Calls `fn(line)` for each line of `file` (a const std::string&, without its '\n'), in
// order. Throws std::runtime_error("cannot read dictionary FILE") when the file cannot be
// opened.
template <typename Fn>
void for_each_file_line(const std::filesystem::path& file, Fn fn) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read dictionary " + file.string());
  for (std::string line; std::getline(in, line);) fn(std::as_const(line));
}

}  // namespace wenku::text
