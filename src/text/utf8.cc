// Hand-written UTF-8 decoding (RFC 3629): the rules are short enough to state exactly
// here. Whole strings are validated by simdjson's SIMD validator first (the same RFC 3629
// rules), which runs at several GB/s: each imported text is validated at several boundaries
// (reader, store, normaliser, segmenter), and decoding it byte by byte was 3 % of an import.
#include "text/utf8.h"

#include <simdjson.h>

#include <cstring>
#include <optional>

namespace wenku::text {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Decodes the sequence at `s[pos]`, advancing `pos` past it; std::nullopt (and `pos`
// unchanged) when it is invalid: a stray continuation byte, a lead byte 0xC0/0xC1/0xF5..0xFF,
// a truncated sequence, an overlong form, a surrogate or a code point above U+10FFFF.
std::optional<char32_t> decode(std::string_view s, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;  // smallest code point that needs `length` bytes
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (s.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if (!is_continuation(b)) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += length;
  return cp;
}

}  // namespace

std::optional<char32_t> decode_checked(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  auto cp = decode(s, pos);
  if (cp == char32_t{0}) {
    pos = start;
    return std::nullopt;
  }
  return cp;
}

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
  if (simdjson::validate_utf8(s.data(), s.size()) &&
      (s.empty() || std::memchr(s.data(), 0, s.size()) == nullptr)) {
    return std::nullopt;
  }
  // Invalid or holding a NUL: find where, by decoding.
  std::size_t pos = 0;
  while (pos < s.size()) {
    if (!decode_checked(s, pos)) return pos;
  }
  return std::nullopt;
}

std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += !is_continuation(static_cast<unsigned char>(c));
  return n;
}

std::string_view prefix_code_points(std::string_view s, std::size_t max_code_points) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(static_cast<unsigned char>(s[i])) && seen++ == max_code_points) {
      return s.substr(0, i);
    }
  }
  return s;
}

std::string_view whole_code_points(std::string_view s) {
  std::size_t start = s.size();
  while (start > 0 && s.size() - start < 4 &&
         is_continuation(static_cast<unsigned char>(s[start - 1]))) {
    --start;
  }
  if (start == 0) return s.substr(0, 0);
  const auto lead = static_cast<unsigned char>(s[start - 1]);
  const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  return start - 1 + length <= s.size() ? s : s.substr(0, start - 1);
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kAsciiSpace = " \t\n\v\f\r";
  constexpr std::string_view kIdeographicSpace = "\u3000";
  auto ascii_space = [&](char c) { return kAsciiSpace.find(c) != std::string_view::npos; };
  while (true) {
    if (!s.empty() && ascii_space(s.front())) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && ascii_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

bool is_han(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) ||  // CJK Unified Ideographs
         (cp >= 0x3400 && cp <= 0x4DBF);    // Extension A
}

char32_t decode_at(std::string_view s, std::size_t& pos) {
  if (auto cp = decode(s, pos)) return *cp;
  ++pos;  // invalid input despite the contract: step over one byte, never out of bounds
  return kReplacement;
}

}  // namespace wenku::text
