#include "doc/numerals.h"

#include "text/utf8.h"

namespace wenku::doc {

namespace {

constexpr std::size_t kMaxNumeralChars = 12;
constexpr std::int64_t kDigitCap = 1'000'000'000;

// 0..9 for a digit character, -1 otherwise.
int digit_of(char32_t cp) {
  switch (cp) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

// 10, 100, 1000 for the small units, 0 otherwise.
int small_unit_of(char32_t cp) {
  switch (cp) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    default:
      return 0;
  }
}

// 10^4 and 10^8 for 万 and 亿, 0 otherwise.
std::int64_t large_unit_of(char32_t cp) {
  switch (cp) {
    case U'万':
      return 10'000;
    case U'亿':
      return 100'000'000;
    default:
      return 0;
  }
}

bool is_numeral(char32_t cp) {
  return digit_of(cp) >= 0 || small_unit_of(cp) > 0 || large_unit_of(cp) > 0;
}

// Value of a run with units, read left to right: 三百零五 = 3*100 + 5; 十二 = 1*10 + 2;
// 一亿二千万 = (1)*10^8 + (2*1000)*10^4.
class UnitValue {
 public:
  void add(char32_t cp) {
    if (int d = digit_of(cp); d >= 0) {
      digit_ = d;
      has_digit_ = true;
    } else if (int u = small_unit_of(cp); u > 0) {
      section_ += (has_digit_ ? digit_ : 1) * u;  // a bare 十 means 一十
      digit_ = 0;
      has_digit_ = false;
    } else if (std::int64_t big = large_unit_of(cp); big > 0) {
      const std::int64_t part = section_ + digit_;
      total_ = big > total_ ? (total_ + part) * big : total_ + part * big;
      section_ = 0;
      digit_ = 0;
      has_digit_ = false;
    }
  }
  std::int64_t value() const { return total_ + section_ + digit_; }

 private:
  std::int64_t total_ = 0;
  std::int64_t section_ = 0;
  std::int64_t digit_ = 0;
  bool has_digit_ = false;
};

}  // namespace

NumeralRun chinese_numeral_prefix(std::string_view s) {
  NumeralRun run;
  std::int64_t positional = 0;
  UnitValue by_units;
  bool only_liang = true;
  for (std::size_t pos = 0; pos < s.size() && run.chars < kMaxNumeralChars;) {
    const char32_t cp = text::decode_at(s, pos);
    if (!is_numeral(cp)) break;
    only_liang = only_liang && cp == U'两';
    run.has_unit = run.has_unit || digit_of(cp) < 0;
    if (digit_of(cp) >= 0) positional = positional * 10 + digit_of(cp);
    by_units.add(cp);
    run.bytes = pos;
    ++run.chars;
  }
  if (only_liang) return NumeralRun{};
  run.value = run.has_unit ? by_units.value() : positional;
  return run;
}

std::int64_t chinese_numeral_value(std::string_view s) {
  const NumeralRun run = chinese_numeral_prefix(s);
  return run.bytes > 0 && run.bytes == s.size() ? run.value : -1;
}

DigitRun digit_prefix(std::string_view s) {
  DigitRun run;
  for (std::size_t pos = 0; pos < s.size();) {
    const char32_t cp = text::decode_at(s, pos);
    int d = -1;
    if (cp >= U'0' && cp <= U'9') d = static_cast<int>(cp - U'0');
    if (cp >= U'０' && cp <= U'９') d = static_cast<int>(cp - U'０');
    if (d < 0) break;
    run.value = run.value >= kDigitCap ? kDigitCap : run.value * 10 + d;
    run.bytes = pos;
  }
  return run;
}

}  // namespace wenku::doc
