// parse_plain_text: a .txt or .md file -> a validated document (first line the title).
#include <filesystem>

#include "io/import.h"
#include "io/validate.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

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
  d.id = detail::id_for_file(file_name);
  d.title = title;
  d.source = file_name;
  d.content = detail::normalize_paragraphs(bytes);
  if (d.content.empty()) return failure("no text after the title");
  return Parsed{std::move(d), {}};
}

}  // namespace wenku::io
