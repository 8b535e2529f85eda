// URL helpers for building links in pages.
#pragma once

#include <string>
#include <string_view>

namespace wenku::web {

// Percent-encodes `s` for use as one query-string value: every byte except ASCII letters,
// digits and `-._~` becomes %XX (UTF-8 bytes included), so `&`, `=`, `+`, `#` and spaces
// cannot leak into the surrounding URL. The result is plain ASCII.
std::string encode_query_value(std::string_view s);

}  // namespace wenku::web
