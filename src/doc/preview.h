// The guest preview of a document: its opening, cut at a natural boundary.
#pragma once

#include <cstddef>
#include <string_view>

#include "doc/document.h"

namespace wenku::doc {

struct PreviewOptions {
  std::size_t chars = 600;  // at most this many characters (code points) of the text
};

// Returns the preview of `d.content` (a prefix of it, valid as long as `d` is): all of it
// when it has at most `options.chars` characters; else its first `options.chars`
// characters cut back to the last paragraph or sentence end (。！？；!? with the closing
// quotes and brackets after it) in their latter half; failing that to the last clause end
// (，、：,:); failing that to the last point that is not inside an ASCII word or number.
// The cut never falls inside a UTF-8 sequence, an unclosed markup tag (<…>) or an entity
// (&…;), so it is empty when `options.chars` is 0 or the text opens with a long unclosed tag.
std::string_view preview(const Document& d, const PreviewOptions& options = {});

}  // namespace wenku::doc
