// The folding is precomputed once per process into a table over every code point up to
// U+3FFFF (planes 0-3: everything assigned that NFKC or OpenCC can change), so that
// normalize_key is a table lookup per code point: calling ICU's normaliser and OpenCC on each
// text would cost two extra copies and OpenCC's dictionary matching per call.
#include "text/normalize.h"

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <opencc/SimpleConverter.hpp>

#include <cstdint>
#include <memory>
#include <vector>

#include "text/utf8.h"

namespace wenku::text {

namespace {

constexpr char32_t kTableEnd = 0x40000;  // code points at or above it fold to themselves

bool is_surrogate(char32_t c) { return c >= 0xD800 && c <= 0xDFFF; }

// Step 1 of normalize_char: NFKC_Casefold of `c` alone when that is one code point.
char32_t nfkc_casefold_char(const icu::Normalizer2& nfkc_cf, char32_t c) {
  if (is_surrogate(c) || nfkc_cf.isInert(static_cast<UChar32>(c))) return c;
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString folded =
      nfkc_cf.normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
  if (U_FAILURE(status) || folded.countChar32() != 1) return c;
  return static_cast<char32_t>(folded.char32At(0));
}

void append_utf8(std::string& out, char32_t c) {
  char buf[U8_MAX_LENGTH];
  std::size_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out.append(buf, n);
}

// Step 2: maps every Han code point of `table` through OpenCC t2s.json character by
// character. The characters are converted in one call, one per line, so that no phrase rule
// (all of which span several characters) can apply.
void apply_traditional_to_simplified(std::vector<char32_t>& table) {
  std::vector<char32_t> han;
  std::string input;
  for (char32_t c = 0; c < kTableEnd; ++c) {
    UErrorCode status = U_ZERO_ERROR;
    const char32_t folded = table[c];
    if (uscript_getScript(static_cast<UChar32>(folded), &status) != USCRIPT_HAN) continue;
    han.push_back(c);
    append_utf8(input, folded);
    input += '\n';
  }
  std::string output;
  try {
    output = opencc::SimpleConverter("t2s.json").Convert(input);
  } catch (const std::exception& e) {
    throw std::runtime_error(
        fmt::format("OpenCC t2s.json (package libopencc-data) cannot be loaded: {}", e.what()));
  }
  std::size_t pos = 0;
  for (char32_t c : han) {
    const std::size_t end = output.find('\n', pos);
    if (end == std::string::npos) throw std::runtime_error("OpenCC t2s.json: short output");
    const std::string_view line(output.data() + pos, end - pos);
    std::size_t at = 0;
    // A character that became anything but one character keeps its step-1 form.
    if (!line.empty() && is_valid_utf8(line) && count_code_points(line) == 1) {
      table[c] = decode_at(line, at);
    }
    pos = end + 1;
  }
}

// The complete table: normalize_char for every code point below kTableEnd, closed under
// repetition so that folding is idempotent (OpenCC maps a few characters to characters that
// it maps again).
std::vector<char32_t> build_table() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(fmt::format("ICU NFKC_Casefold: {}", u_errorName(status)));
  }
  std::vector<char32_t> table(kTableEnd);
  for (char32_t c = 0; c < kTableEnd; ++c) table[c] = nfkc_casefold_char(*nfkc_cf, c);
  apply_traditional_to_simplified(table);
  for (char32_t c = 0; c < kTableEnd; ++c) {
    for (int round = 0; round < 4 && table[c] < kTableEnd && table[table[c]] != table[c]; ++round) {
      table[c] = table[table[c]];
    }
  }
  return table;
}

const std::vector<char32_t>& fold_table() {
  static const std::vector<char32_t> table = build_table();
  return table;
}

}  // namespace

InvalidUtf8::InvalidUtf8(std::string_view what, std::size_t offset)
    : std::invalid_argument(
          fmt::format("{} is not valid UTF-8 (bad byte sequence or NUL at byte {})", what, offset)),
      offset_(offset) {}

void require_valid_utf8(std::string_view text, std::string_view what) {
  if (auto bad = find_invalid_utf8(text)) throw InvalidUtf8(what, *bad);
}

char32_t normalize_char(char32_t c) {
  const auto& table = fold_table();
  return c < kTableEnd ? table[c] : c;
}

std::string normalize_key(std::string_view text) {
  const auto& table = fold_table();
  // Validated while folded, in one pass, into a buffer that cannot overflow: a code point
  // folds to one of at most twice its UTF-8 length (ASCII folds to ASCII).
  std::string out(2 * text.size(), '\0');
  auto* const begin = reinterpret_cast<std::uint8_t*>(out.data());
  std::size_t written = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80 && byte != 0) {  // ASCII fast path: folds to ASCII (only A-Z change)
      begin[written++] = static_cast<std::uint8_t>(table[byte]);
      ++pos;
      continue;
    }
    // Three-byte fast path (Han text and its punctuation): lead bytes E1..EC and EE..EF
    // admit any two continuation bytes (E0 and ED restrict the second byte: decoded below).
    if (((byte >= 0xE1 && byte <= 0xEC) || byte >= 0xEE) && byte <= 0xEF &&
        text.size() - pos >= 3) {
      const auto b1 = static_cast<unsigned char>(text[pos + 1]);
      const auto b2 = static_cast<unsigned char>(text[pos + 2]);
      if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80) {
        const char32_t c = ((byte & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
        const char32_t folded = table[c];
        if (folded == c) {
          begin[written] = byte;
          begin[written + 1] = b1;
          begin[written + 2] = b2;
          written += 3;
        } else {
          U8_APPEND_UNSAFE(begin, written, folded);
        }
        pos += 3;
        continue;
      }
    }
    const auto c = decode_checked(text, pos);
    if (!c) throw InvalidUtf8("text", pos);
    U8_APPEND_UNSAFE(begin, written, *c < kTableEnd ? table[*c] : *c);
  }
  out.resize(written);
  return out;
}

}  // namespace wenku::text
