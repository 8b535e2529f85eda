// Internal to the search module: scans of long texts for snippets over a member's whole text
// (laws of up to 300 KB): finding every occurrence of a term, counting code points. SSE2 on
// x86-64 (its baseline), portable code elsewhere.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>

#include "text/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wenku::search {

// Finds `needle` in texts, as memmem does, but faster on UTF-8 Chinese: 16 positions at a
// time are screened by two bytes of the needle (SSE2), and only positions where both match
// are compared whole. The two bytes are the needle's first continuation byte (for a Chinese
// character, its second byte; lead bytes 0xE4–0xE9 start a third of all positions) and its
// last byte. glibc's memmem pays a set-up per call and skips little on text whose byte pairs
// repeat: on a 310 KB law, 2.5–8× slower for words that occur hundreds of times (one call
// per occurrence), 1.2–3× for rare ones (bench/README.md, issue 17).
class SubstringFinder {
 public:
  explicit SubstringFinder(std::string_view needle) : needle_(needle) {
    if (needle_.size() < 2) return;
    last_ = needle_.size() - 1;
    for (std::size_t i = 0; i < last_; ++i) {
      if ((static_cast<unsigned char>(needle_[i]) & 0xC0) == 0x80) {
        first_ = i;
        break;
      }
    }
  }

  // The byte offset of the first occurrence of the needle in `text` that starts at or after
  // `from`; npos when there is none (or `from` > text.size()). An empty needle is found at
  // `from`.
  std::size_t find(std::string_view text, std::size_t from) const {
    const std::size_t k = needle_.size();
    if (from > text.size() || text.size() - from < k) return std::string_view::npos;
    if (k == 0) return from;
    const char* s = text.data();
    const std::size_t n = text.size();
    if (k == 1) {
      const void* hit = std::memchr(s + from, needle_[0], n - from);
      return hit == nullptr ? std::string_view::npos
                            : static_cast<std::size_t>(static_cast<const char*>(hit) - s);
    }
    std::size_t i = from;
#if defined(__SSE2__)
    const __m128i first = _mm_set1_epi8(needle_[first_]);
    const __m128i last = _mm_set1_epi8(needle_[last_]);
    // Positions i … i + 15 whose bytes at first_ and last_ both lie inside the text.
    for (; n - i >= last_ + 16; i += 16) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + first_));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + last_));
      auto mask = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
      while (mask != 0) {
        const auto bit = static_cast<std::size_t>(__builtin_ctz(mask));
        if (std::memcmp(s + i + bit, needle_.data(), k) == 0) return i + bit;
        mask &= mask - 1;
      }
    }
#endif
    const void* hit = ::memmem(s + i, n - i, needle_.data(), k);
    return hit == nullptr ? std::string_view::npos
                          : static_cast<std::size_t>(static_cast<const char*>(hit) - s);
  }

 private:
  std::string_view needle_;
  std::size_t first_ = 0;  // the two screening positions of the needle
  std::size_t last_ = 0;
};

// The number of code points of `s` (valid UTF-8 or not: every byte that is not a
// continuation byte 10xxxxxx counts), as text::count_code_points, 16 bytes per step: the
// snippet maps its passage back to the original text by counting code points up to it, deep
// into a long text for a member (text::count_code_points widens every byte to a 64-bit sum:
// about 2.5 instructions per byte against 0.2 here).
inline std::size_t count_code_points_fast(std::string_view s) {
#if defined(__SSE2__)
  const char* p = s.data();
  std::size_t i = 0;
  std::size_t continuation = 0;
  const __m128i lead = _mm_set1_epi8(static_cast<char>(0xC0));  // signed: 0x80–0xBF are below
  while (s.size() - i >= 16) {
    // Per-byte counters, summed before they can overflow (255 steps).
    const std::size_t steps = std::min<std::size_t>((s.size() - i) / 16, 255);
    __m128i counts = _mm_setzero_si128();
    for (std::size_t step = 0; step < steps; ++step, i += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      counts = _mm_sub_epi8(counts, _mm_cmplt_epi8(bytes, lead));
    }
    const __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());
    continuation += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
                    static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  }
  for (; i < s.size(); ++i) continuation += (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
  return s.size() - continuation;
#else
  return text::count_code_points(s);
#endif
}

}  // namespace wenku::search
