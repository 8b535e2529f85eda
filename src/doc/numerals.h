// Chinese numerals (一 … 九, 十 百 千 万 亿, 零 〇 两) as used in headings, dates and
// quantities of official texts. Pure functions on UTF-8 text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wenku::doc {

// The leading run of Chinese numeral characters of a string.
struct NumeralRun {
  std::size_t bytes = 0;   // byte length of the run; 0 when `s` does not start with one
  std::int64_t value = 0;  // its value: positional for digit strings (二〇二一 -> 2021),
                           // else by the units (三百零五 -> 305, 十二万 -> 120000)
  bool has_unit = false;   // the run contains 十, 百, 千, 万 or 亿
  std::size_t chars = 0;   // number of characters in the run
};

// Reads the longest run of at most 12 numeral characters at the start of `s`. Runs made only
// of 两 (a measure word far more often than a number) are not numerals.
NumeralRun chinese_numeral_prefix(std::string_view s);

// The value of `s` when all of it is one numeral run of at most 12 characters, else -1.
std::int64_t chinese_numeral_value(std::string_view s);

// Reads the leading run of ASCII or full-width digits of `s`: its byte length and value
// (saturating at 10^9; 0 bytes when `s` does not start with a digit).
struct DigitRun {
  std::size_t bytes = 0;
  std::int64_t value = 0;
};
DigitRun digit_prefix(std::string_view s);

}  // namespace wenku::doc
