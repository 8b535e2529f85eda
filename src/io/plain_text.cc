// parse_plain_text: a .txt or .md file -> a validated document (first line the title).
#include <fmt/format.h>

#include <cstdint>
#include <filesystem>

#include "io/import.h"
#include "io/validate.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// FNV-1a, 64 bit: a fixed function, so ids stay the same across builds and platforms.
std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string id_for_stem(const std::string& stem) {
  if (detail::is_valid_id(stem)) return stem;
  return fmt::format("doc-{:016x}", stable_hash(stem));
}

// Removes a Markdown ATX heading marker ("# ", "## " … "###### ") from a title line.
std::string_view strip_heading_marker(std::string_view line) {
  auto hashes = line.find_first_not_of('#');
  if (hashes == 0 || hashes > 6 || hashes == std::string_view::npos || line[hashes] != ' ')
    return line;
  return text::trim(line.substr(hashes));
}

// Splits off the first non-empty (trimmed) line of `text`; `text` keeps the rest.
std::string_view take_first_line(std::string_view& text) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text::trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty()) return line;
  }
  return {};
}

Parsed failure(std::string reason) { return Parsed{std::nullopt, std::move(reason)}; }

}  // namespace

Parsed parse_plain_text(std::string_view bytes, std::string_view file_name) {
  if (bytes.size() > kMaxDocumentBytes) return failure(detail::too_large("file"));
  const std::size_t bom = bytes.starts_with(kBom) ? kBom.size() : 0;
  bytes.remove_prefix(bom);
  if (auto error = detail::utf8_error(bytes, bom)) return failure(*error);

  const std::filesystem::path path(file_name);
  std::string_view title = take_first_line(bytes);
  if (detail::ascii_lower(path.extension().string()) == ".md") title = strip_heading_marker(title);
  if (title.empty()) return failure("no title: the file has no text");

  doc::Document d;
  d.id = id_for_stem(path.stem().string());
  d.title = title;
  d.source = file_name;
  d.content = detail::normalize_paragraphs(bytes);
  if (d.content.empty()) return failure("no text after the title");
  return Parsed{std::move(d), {}};
}

}  // namespace wenku::io
