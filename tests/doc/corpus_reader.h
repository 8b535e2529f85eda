// Test helper: reads documents of a corpus JSON Lines file (plain or zstd-compressed).
#pragma once

#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "doc/document.h"

namespace wenku::doc::testing {

// The whole (decompressed) contents of `path`.
inline std::string read_corpus_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string bytes = ss.str();
  if (path.extension() != ".zst") return bytes;
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::string out;
  std::vector<char> buffer(ZSTD_DStreamOutSize());
  ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
  while (input.pos < input.size) {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    const std::size_t rc = ZSTD_decompressStream(ctx.get(), &output, &input);
    if (ZSTD_isError(rc)) throw std::runtime_error("corrupt zstd data in " + path.string());
    out.append(buffer.data(), output.pos);
  }
  return out;
}

// The documents of `path` whose ids are in `ids` (all of them when `ids` is empty), by id.
inline std::map<std::string, Document> read_corpus_docs(const std::filesystem::path& path,
                                                        const std::set<std::string>& ids = {}) {
  std::map<std::string, Document> docs;
  std::istringstream lines(read_corpus_file(path));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    const std::string id = j.at("id");
    if (!ids.empty() && !ids.contains(id)) continue;
    Document d;
    d.id = id;
    d.title = j.at("title");
    d.date = j.value("date", "");
    d.content = j.at("content");
    docs.emplace(id, std::move(d));
  }
  return docs;
}

}  // namespace wenku::doc::testing
