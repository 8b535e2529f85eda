// Normalisation of text into search keys: the stored text is never altered; this folds the
// copies fed to the index and the query terms so that variants of one string compare equal.
//
// How search uses it: apply normalize_key() to BOTH sides, to every text column fed to
// Groonga (title, content, and the text given to the segmenter for the words column) and to
// every query term before it is escaped. Then 廣州共產黨, 广州共产党 and ＧＤＰ/gdp match
// each other. Because the folding maps each code point to exactly one code point, the key
// of a substring is the substring of the key: any substring of a text is found by the key
// of that substring (the exact-substring recall invariant survives), and a match at code
// points [i, j) of a key is the span [i, j) of the original text, so snippets and
// highlights can be cut from the original (the UTF-8 byte offsets do differ: ＡＢ is six
// bytes, ab is two; convert through code point positions).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wenku::text {

// Thrown for input bytes that are not valid UTF-8 (or contain NUL); `offset` is the byte
// offset of the first invalid sequence.
class InvalidUtf8 : public std::invalid_argument {
 public:
  InvalidUtf8(std::string_view what, std::size_t offset);
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

// Throws InvalidUtf8 naming `what` (e.g. "query") and the byte offset when `text` is not
// valid UTF-8 without NUL bytes (text::find_invalid_utf8); returns otherwise. The check to
// make at every boundary where outside bytes enter the text functions.
void require_valid_utf8(std::string_view text, std::string_view what);

// The search-key form of one code point. Composed of, in order:
//  1. NFKC with case folding (ICU NFKC_Casefold) of the code point alone: full-width
//     ASCII becomes ASCII (Ａ→a, ０→0, （→( ), half-width katakana becomes full-width,
//     U+3000 becomes a space, CJK compatibility ideographs become unified ones, Latin,
//     Greek and Cyrillic are case-folded; a code point whose NFKC_Casefold is not exactly
//     one code point (㈠ → "(一)", ß → "ss", U+200B → "") is left as it is, to keep the
//     one-to-one property;
//  2. Traditional→Simplified per character with OpenCC's t2s.json (its TSCharacters table,
//     the first candidate: 廣→广, 乾→干, 後→后). Phrase rules (乾隆 stays 乾隆 in OpenCC's
//     phrase mode) are deliberately not applied: a context-dependent rule would make the key
//     of a substring differ from the substring of the key.
// Idempotent: normalize_char(normalize_char(c)) == normalize_char(c). Code points outside
// U+0000..U+10FFFF and surrogates are returned unchanged.
char32_t normalize_char(char32_t c);

// The search key of valid UTF-8 `text`: normalize_char applied to every code point. The
// result has exactly as many code points as `text`, in the same order (code point i of the
// key is the fold of code point i of the text); its byte length may differ. Idempotent.
// Throws InvalidUtf8 (what = "text") for invalid UTF-8 or NUL bytes.
// Thread-safe; the first call in a process builds the folding tables (tens of milliseconds,
// OpenCC and ICU data from the system); later calls only read them.
// Speed (Release, one core, corpus text): see bench/normalize_bench.cc and the comment in
// normalize.cc.
std::string normalize_key(std::string_view text);

}  // namespace wenku::text
