// Checks, normal forms and small helpers shared by the importers (internal to the io module).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wenku::io::detail {

// True when `id` is non-empty and made only of the characters [A-Za-z0-9._-].
bool is_valid_id(std::string_view id);

// True for "", "YYYY", "YYYY-MM" and "YYYY-MM-DD" naming a real month and day
// (2024-02-29 is valid, 2023-02-29 and 2023-13 are not).
bool is_valid_date(std::string_view date);

// "invalid UTF-8 at byte N" for the first invalid sequence (or NUL) of `s`, N being its
// 0-based offset plus `base`; nullopt when `s` is valid.
std::optional<std::string> utf8_error(std::string_view s, std::size_t base = 0);

// "<what> exceeds 8 MiB": the reason for input larger than kMaxDocumentBytes.
std::string too_large(std::string_view what);

// "<what> exceeds N MiB": the reason for input larger than `limit_bytes`.
std::string too_large(std::string_view what, std::size_t limit_bytes);

// The id of the document read from a whole file named `file_name` (a path or a bare name),
// derived from its stem so that re-importing the same file updates it: the stem itself when
// it is a valid id, else "doc-" + 16 hex digits of FNV-1a 64 of the stem's bytes.
std::string id_for_file(std::string_view file_name);

// `s` with ASCII letters lower-cased (for matching file extensions).
std::string ascii_lower(std::string_view s);

// The content normal form of doc::Document: `text` split on '\n', each line trimmed
// (text::trim, which also drops a '\r'), empty lines dropped, joined with '\n'.
std::string normalize_paragraphs(std::string_view text);

}  // namespace wenku::io::detail
