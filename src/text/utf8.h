// UTF-8 validation at the boundary: every byte string from outside passes through here
// before it is stored, segmented or indexed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wenku::text {

// Returns the byte offset of the first invalid UTF-8 sequence in `s` (overlong forms,
// surrogates, code points above U+10FFFF and truncated sequences are invalid), or
// std::nullopt when `s` is entirely valid. NUL bytes are rejected as invalid too, since no
// text of ours contains them.
std::optional<std::size_t> find_invalid_utf8(std::string_view s);

// True when `s` is valid UTF-8 without NUL bytes.
inline bool is_valid_utf8(std::string_view s) { return !find_invalid_utf8(s).has_value(); }

// Number of code points in valid UTF-8 `s`.
std::size_t count_code_points(std::string_view s);

// Returns the longest prefix of valid UTF-8 `s` that has at most `max_code_points` code
// points (never cuts inside a sequence).
std::string_view prefix_code_points(std::string_view s, std::size_t max_code_points);

// Returns the longest prefix of `s`, valid UTF-8 cut at any byte, that ends on a code point
// boundary: drops a last sequence the cut left incomplete.
std::string_view whole_code_points(std::string_view s);

// Trims ASCII whitespace and U+3000 (ideographic space) from both ends.
std::string_view trim(std::string_view s);

// True when the code point is a CJK unified ideograph (basic block or extension A).
bool is_han(char32_t cp);

// Decodes one code point at `s[pos]` of valid UTF-8, advancing `pos`.
char32_t decode_at(std::string_view s, std::size_t& pos);

// Decodes the code point at `s[pos]` (pos < s.size()) and advances `pos` past it; returns
// std::nullopt and leaves `pos` unchanged when the sequence there is invalid UTF-8 or NUL
// (the rules of find_invalid_utf8). For loops that validate while they decode.
std::optional<char32_t> decode_checked(std::string_view s, std::size_t& pos);

}  // namespace wenku::text
