#include "doc/preview.h"

#include "text/utf8.h"

namespace wenku::doc {

namespace {

constexpr std::size_t kMaxEntityBytes = 10;  // longest entity we guard, e.g. "&hellip;"

bool ends_sentence(char32_t cp) {
  switch (cp) {
    case U'。':
    case U'！':
    case U'？':
    case U'；':
    case U'!':
    case U'?':
    case U'\n':
      return true;
    default:
      return false;
  }
}

bool ends_clause(char32_t cp) {
  switch (cp) {
    case U'，':
    case U'、':
    case U'：':
    case U',':
    case U':':
      return true;
    default:
      return false;
  }
}

// Closing marks that belong to the sentence before them, so that 。” is never split.
bool closes(char32_t cp) {
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

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Moves `cut` back so that [0, cut) of `s` ends outside a tag or entity.
std::size_t outside_markup(std::string_view s, std::size_t cut) {
  const std::string_view head = s.substr(0, cut);
  if (const std::size_t open = head.rfind('<');
      open != std::string_view::npos && head.find('>', open) == std::string_view::npos) {
    cut = open;
  }
  if (const std::size_t amp = s.substr(0, cut).rfind('&');
      amp != std::string_view::npos && cut - amp <= kMaxEntityBytes &&
      s.substr(amp, cut - amp).find(';') == std::string_view::npos) {
    cut = amp;
  }
  return cut;
}

// The best cut of `head`, a proper prefix of `content`: see the header.
std::size_t best_cut(std::string_view content, std::string_view head, std::size_t max_chars) {
  std::size_t sentence = 0, clause = 0;  // byte ends of the last boundaries found; 0: none
  // Only cut in the latter half: its first code point is number ceil(max_chars / 2).
  for (std::size_t pos = text::prefix_code_points(head, (max_chars + 1) / 2).size();
       pos < head.size();) {
    const std::size_t start = pos;
    const char32_t cp = text::decode_at(head, pos);
    if (cp == U'\n') {
      sentence = start;
    } else if (ends_sentence(cp) || (sentence == start && closes(cp))) {
      sentence = pos;
    } else if (ends_clause(cp)) {
      clause = pos;
    }
  }
  if (sentence > 0) return sentence;
  if (clause > 0) return clause;
  std::size_t cut = head.size();
  while (cut > 0 && is_ascii_alnum(content[cut - 1]) && is_ascii_alnum(content[cut])) --cut;
  return cut > 0 ? cut : head.size();
}

}  // namespace

std::string_view preview(const Document& d, const PreviewOptions& options) {
  const std::string_view content = d.content;
  const std::string_view head = text::prefix_code_points(content, options.chars);
  if (head.size() == content.size() || content[head.size()] == '\n') return head;
  const std::size_t cut = outside_markup(content, best_cut(content, head, options.chars));
  return content.substr(0, cut);
}

}  // namespace wenku::doc
