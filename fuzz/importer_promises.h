// What every file importer promises for any input, checked by the importer fuzz targets:
// either a reason, or a document with the id and source of `file_name`, a one-line non-empty
// UTF-8 title and non-empty UTF-8 content in its normal paragraph form. Aborts otherwise.
#pragma once

#include <cstdlib>
#include <string_view>

#include "io/import.h"
#include "io/validate.h"
#include "text/utf8.h"

namespace wenku::fuzz {

inline void require(bool condition) {
  if (!condition) std::abort();
}

// Checks `parsed` against the promises above; returns the document (pointing into `parsed`),
// or nullptr for a reason.
inline const doc::Document* check_importer_promises(const io::Parsed& parsed,
                                                    std::string_view file_name) {
  if (!parsed.doc) {
    require(!parsed.error.empty());
    return nullptr;
  }
  const doc::Document& d = *parsed.doc;
  require(d.id == "fuzz" && d.source == file_name);
  require(!d.title.empty() && text::is_valid_utf8(d.title) && d.title.find('\n') == d.title.npos);
  require(!d.content.empty() && text::is_valid_utf8(d.content));
  require(io::detail::normalize_paragraphs(d.content) == d.content);
  return &d;
}

// The document returned would point into a temporary.
const doc::Document* check_importer_promises(io::Parsed&& parsed,
                                             std::string_view file_name) = delete;

}  // namespace wenku::fuzz
