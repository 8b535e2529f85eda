#include "access/visible.h"

#include <string_view>

#include "text/utf8.h"

namespace wenku::access {

namespace {

// Punctuation that ends a sentence; a preview may stop right after it.
bool ends_sentence(char32_t cp) {
  switch (cp) {
    case U'。':
    case U'！':
    case U'？':
    case U'；':
    case U'!':
    case U'?':
      return true;
    default:
      return false;
  }
}

// Closing marks that belong to the sentence before them, so 。” is never split.
bool closes_sentence(char32_t cp) {
  switch (cp) {
    case U'”':
    case U'’':
    case U'」':
    case U'』':
    case U'）':
    case U'》':
    case U')':
    case U'"':
      return true;
    default:
      return false;
  }
}

// The guest preview of `content`: the whole text when it has at most `max_chars` code
// points; else its first `max_chars` code points, cut back to the last paragraph or
// sentence end among them when that end lies in their latter half.
std::string_view preview(std::string_view content, std::size_t max_chars) {
  const std::string_view head = text::prefix_code_points(content, max_chars);
  if (head.size() == content.size() || content[head.size()] == '\n') return head;
  std::size_t cut = 0;  // byte length of the best cut found so far; 0: none
  std::size_t index = 0;
  for (std::size_t pos = 0; pos < head.size(); ++index) {
    const std::size_t start = pos;
    const char32_t cp = text::decode_at(head, pos);
    if (2 * index < max_chars) continue;  // only cut in the latter half
    if (cp == U'\n') {
      cut = start;  // the paragraph before the line break
    } else if (ends_sentence(cp) || (cut == start && closes_sentence(cp))) {
      cut = pos;
    }
  }
  return cut > 0 ? head.substr(0, cut) : head;
}

}  // namespace

Visible visible(const doc::Document& d, const Viewer& viewer, const Policy& policy) {
  if (d.deleted && viewer.role != Role::kAdmin) return Visible{};
  const bool full_text = viewer.role != Role::kGuest || policy.guests_read_full_text;
  const std::string_view shown = full_text ? d.content : preview(d.content, policy.preview_chars);
  return Visible{true, shown.size() == d.content.size(), std::string(shown)};
}

}  // namespace wenku::access
