// What io::clean_up must never lose, for the clean-up tests and the corpus test.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "text/utf8.h"

namespace wenku::testing {

// The code points of `s` other than spaces (those clean_up trims) and line breaks, sorted:
// what clean_up must keep, wherever it moves them (body or source note).
inline std::u32string kept_characters(const std::string& s) {
  std::u32string out;
  for (std::size_t pos = 0; pos < s.size();) {
    const char32_t cp = text::decode_at(s, pos);
    constexpr std::u32string_view kSpaces = U" \t\n\u00a0\u2003\u3000";
    if (kSpaces.find(cp) == std::u32string_view::npos) out.push_back(cp);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace wenku::testing
