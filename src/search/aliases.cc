#include "search/aliases.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <variant>

#include "base/string_map.h"
#include "doc/numerals.h"
#include "text/file_lines.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace wenku::search {

namespace {

constexpr std::string_view kFileName = "aliases.utf8";

// ---- reading the table ---------------------------------------------------------------------

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The fields of `line` separated by runs of spaces and tabs.
std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

struct Form {
  std::string key;  // normalize_key'd; parts joined by ' '
  bool single = true;
};

// One group of equivalent forms from valid UTF-8 `line`, normalized and deduplicated, in the
// order of the line. Returns an error message instead for a malformed line.
std::variant<std::vector<Form>, std::string> read_group(std::string_view line) {
  std::vector<Form> forms;
  for (std::string_view field : split_fields(line)) {
    Form form;
    std::size_t start = 0;
    while (true) {
      const std::size_t plus = field.find('+', start);
      const std::string_view part = field.substr(start, plus - start);
      if (part.empty()) return "empty part in '" + std::string(field) + "'";
      const std::string key = text::normalize_key(part);
      if (key.find_first_of(" \t") != std::string::npos) {
        return "'" + std::string(part) + "' holds a space once normalized";
      }
      if (!form.key.empty()) form.key += ' ';
      form.key += key;
      if (plus == std::string_view::npos) break;
      form.single = false;
      start = plus + 1;
    }
    const bool seen = std::ranges::any_of(forms, [&](const Form& f) { return f.key == form.key; });
    if (!seen) forms.push_back(std::move(form));
  }
  if (forms.size() < 2) return std::string("a group needs at least two different forms");
  if (forms.size() > Aliases::kMaxVariants + 1) {
    return "a group has at most " + std::to_string(Aliases::kMaxVariants + 1) + " forms";
  }
  if (std::ranges::none_of(forms, [](const Form& f) { return f.single; })) {
    return std::string("a group needs a form of one part (without '+')");
  }
  return forms;
}

char32_t first_code_point(std::string_view s) {
  std::size_t pos = 0;
  return text::decode_at(s, pos);
}

// ---- numerals -------------------------------------------------------------------------------

constexpr std::array<std::string_view, 10> kDigits = {"〇", "一", "二", "三", "四",
                                                      "五", "六", "七", "八", "九"};

// `n` (1..99999) in Chinese numerals as 公文 write counts: 十九, 二十, 一百零五, 一千零一十.
std::string chinese_number(std::int64_t n) {
  static constexpr std::array<std::pair<std::int64_t, std::string_view>, 4> kUnits = {
      {{10'000, "万"}, {1'000, "千"}, {100, "百"}, {10, "十"}}};
  std::string out;
  bool pending_zero = false;
  for (const auto& [unit, name] : kUnits) {
    const std::int64_t d = n / unit % 10;
    if (d == 0) {
      pending_zero = !out.empty();
      continue;
    }
    if (pending_zero) out += "零";
    pending_zero = false;
    if (!(unit == 10 && d == 1 && out.empty())) out += kDigits[d];  // 十九, not 一十九
    out += name;
  }
  if (n % 10 != 0) {
    if (pending_zero) out += "零";
    out += kDigits[n % 10];
  }
  return out;
}

// `n` digit by digit, as years are written: 二〇一九.
std::string chinese_digits(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (char c : digits) out += kDigits[c - '0'];
  return out;
}

// A number read at the start of a string: Arabic digits or a Chinese numeral.
struct Number {
  std::size_t bytes = 0;  // 0: no number
  std::int64_t value = 0;
  bool arabic = false;
  bool has_unit = false;   // Chinese with 十 百 千 万 亿
  std::size_t digits = 0;  // Arabic digits or Chinese characters
};

Number read_number(std::string_view s) {
  Number n;
  if (const doc::DigitRun d = doc::digit_prefix(s); d.bytes > 0) {
    n.bytes = d.bytes;
    n.value = d.value;
    n.arabic = true;
    n.digits = text::count_code_points(s.substr(0, d.bytes));
    return n;
  }
  const doc::NumeralRun c = doc::chinese_numeral_prefix(s);
  n.bytes = c.bytes;
  n.value = c.value;
  n.has_unit = c.has_unit;
  n.digits = c.chars;
  return n;
}

// A count written the way people write counts: Arabic, or Chinese with units or of one digit
// (十九, 四; not 一九).
bool is_count(const Number& n) { return n.bytes > 0 && (n.arabic || n.has_unit || n.digits == 1); }

bool in_range(const Number& n, std::int64_t lo, std::int64_t hi) {
  return is_count(n) && n.value >= lo && n.value <= hi;
}

// A cursor over the run from a position: literal and number matching.
class Cursor {
 public:
  Cursor(std::string_view s, std::size_t pos) : s_(s), pos_(pos) {}
  std::size_t pos() const { return pos_; }
  bool literal(std::string_view lit) {
    if (s_.substr(pos_).starts_with(lit)) {
      pos_ += lit.size();
      return true;
    }
    return false;
  }
  // One of `lits` (the first that matches; put longer ones first), or none.
  void optional(std::span<const std::string_view> lits) {
    for (std::string_view lit : lits) {
      if (literal(lit)) return;
    }
  }
  Number number() {
    const Number n = read_number(s_.substr(pos_));
    pos_ += n.bytes;
    return n;
  }

 private:
  std::string_view s_;
  std::size_t pos_;
};

// A numeral rule's match: where it ends, and the canonical forms of what it found.
struct RuleMatch {
  std::size_t end = 0;
  std::vector<std::string> forms;
};

void keep_longer(std::optional<RuleMatch>& best, std::optional<RuleMatch> candidate) {
  if (candidate && (!best || candidate->end > best->end)) best = std::move(candidate);
}

constexpr std::array<std::string_view, 3> kPartyPrefixes = {"中国共产党", "中共", "党的"};

RuleMatch congress(std::size_t end, std::int64_t n) {
  const std::string cn = chinese_number(n);
  return {end, {cn + "大", "第" + cn + "次全国代表大会"}};
}

// [党的|中共|中国共产党]十九大, 19大; [..]第十九次全国代表大会.
std::optional<RuleMatch> match_congress(std::string_view s, std::size_t pos) {
  Cursor c(s, pos);
  c.optional(kPartyPrefixes);
  const std::size_t after_prefix = c.pos();
  if (const Number n = c.number(); in_range(n, 11, 29) && c.literal("大")) {
    return congress(c.pos(), n.value);
  }
  c = Cursor(s, after_prefix);
  if (!c.literal("第")) return std::nullopt;
  if (const Number n = c.number(); in_range(n, 11, 29) && c.literal("次全国代表大会")) {
    return congress(c.pos(), n.value);
  }
  return std::nullopt;
}

// [prefix][第]十九届四中全会, 19届4中全会; [prefix][第]十九届中央委员会第四次全体会议.
std::optional<RuleMatch> match_plenum(std::string_view s, std::size_t pos) {
  Cursor c(s, pos);
  c.optional(kPartyPrefixes);
  c.literal("第");
  const Number term = c.number();
  if (!in_range(term, 1, 99) || !c.literal("届")) return std::nullopt;
  const std::size_t after_term = c.pos();
  Number session = c.number();  // 四中全会
  if (!in_range(session, 1, 9) || !c.literal("中全会")) {
    c = Cursor(s, after_term);  // 中央委员会第四次全体会议
    if (!c.literal("中央委员会第")) return std::nullopt;
    session = c.number();
    if (!in_range(session, 1, 9) || !c.literal("次全体会议")) return std::nullopt;
  }
  const std::string x = chinese_number(term.value);
  const std::string y = chinese_number(session.value);
  return RuleMatch{c.pos(),
                   {x + "届" + y + "中全会", "第" + x + "届中央委员会第" + y + "次全体会议"}};
}

// 十四五; [第]十四个五年规划.
std::optional<RuleMatch> match_five_year_plan(std::string_view s, std::size_t pos) {
  std::int64_t n = 0;
  std::size_t end = 0;
  const std::string_view rest = s.substr(pos);
  const doc::NumeralRun run = doc::chinese_numeral_prefix(rest);
  constexpr std::string_view kFive = "五";
  if (run.chars >= 3 && rest.substr(0, run.bytes).ends_with(kFive)) {
    const std::int64_t v = doc::chinese_numeral_value(rest.substr(0, run.bytes - kFive.size()));
    if (v >= 11 && v <= 19) {
      n = v;
      end = pos + run.bytes;
    }
  }
  if (n == 0) {
    Cursor c(s, pos);
    c.literal("第");
    const Number m = c.number();
    if (!m.arabic && in_range(m, 11, 19) && c.literal("个五年规划")) {
      n = m.value;
      end = c.pos();
    }
  }
  if (n == 0) return std::nullopt;
  const std::string cn = chinese_number(n);
  return RuleMatch{end, {cn + "五", "第" + cn + "个五年规划"}};
}

bool is_ascii_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

// After four digits: a quantity rather than a year (2000万, 1949元, 2019.5, 2019%).
bool is_quantity_after(char32_t c) {
  static constexpr std::u32string_view kAfter =
      U"0123456789.%万亿千百十元余多个人家户名件项吨亩米台辆所只号";
  return kAfter.find(c) != std::u32string_view::npos;
}

// 2019, 2019年, 二〇一九年, 二零一九年; `prev` is the code point before `pos` (0 at the start).
std::optional<RuleMatch> match_year(std::string_view s, std::size_t pos, char32_t prev) {
  Cursor c(s, pos);
  const Number n = c.number();
  if (n.digits != 4 || n.has_unit || n.value < 1900 || n.value > 2099) return std::nullopt;
  if (n.arabic) {
    if (is_ascii_digit(prev) || prev == U'.' || prev == U'第') return std::nullopt;
    if (!c.literal("年") && c.pos() < s.size()) {
      std::size_t next = c.pos();
      if (is_quantity_after(text::decode_at(s, next))) return std::nullopt;
    }
  } else if (!c.literal("年")) {
    return std::nullopt;
  }
  const std::string arabic = std::to_string(n.value);
  return RuleMatch{c.pos(), {arabic, arabic + "年", chinese_digits(n.value) + "年"}};
}

// 第19次 <-> 第十九次, and before 届, 条, 章.
std::optional<RuleMatch> match_ordinal(std::string_view s, std::size_t pos) {
  Cursor c(s, pos);
  if (!c.literal("第")) return std::nullopt;
  const Number n = c.number();
  if (!in_range(n, 1, 99'999)) return std::nullopt;
  for (std::string_view what : {"次", "届", "条", "章"}) {
    if (c.literal(what)) {
      return RuleMatch{c.pos(),
                       {"第" + chinese_number(n.value) + std::string(what),
                        "第" + std::to_string(n.value) + std::string(what)}};
    }
  }
  return std::nullopt;
}

bool is_chinese_numeral_start(char32_t c) {
  static constexpr std::u32string_view kStarts = U"〇零一二两三四五六七八九十百千万亿";
  return kStarts.find(c) != std::u32string_view::npos;
}

// The longest numeral-rule match at `pos`.
std::optional<RuleMatch> match_rules(std::string_view s, std::size_t pos, char32_t first,
                                     char32_t prev) {
  const bool digit = is_ascii_digit(first);
  const bool numeral = is_chinese_numeral_start(first);
  if (!digit && !numeral && first != U'第' && first != U'党' && first != U'中') {
    return std::nullopt;
  }
  // Inside a number (the 19 of 119大, the 十九 of 三十九大) no number starts.
  if ((digit && is_ascii_digit(prev)) || (numeral && is_chinese_numeral_start(prev))) {
    return std::nullopt;
  }
  std::optional<RuleMatch> best;
  keep_longer(best, match_congress(s, pos));
  keep_longer(best, match_plenum(s, pos));
  keep_longer(best, match_five_year_plan(s, pos));
  keep_longer(best, match_year(s, pos, prev));
  keep_longer(best, match_ordinal(s, pos));
  return best;
}

bool is_ascii_alnum(char32_t c) {
  return is_ascii_digit(c) || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

}  // namespace

Aliases::Aliases() = default;

Aliases Aliases::load(const std::filesystem::path& dict_dir) {
  const std::filesystem::path file = dict_dir / kFileName;
  // Variants per form, in file order; a form in several groups collects them all.
  StringMap<std::vector<std::string>> variants;
  std::vector<std::string> order;  // forms in order of first appearance
  std::size_t line_number = 0;
  text::for_each_file_line(file, [&](const std::string& raw) {
    ++line_number;
    std::string_view line = raw;
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const auto fail = [&](const std::string& what) {
      throw std::runtime_error(file.string() + ":" + std::to_string(line_number) + ": " + what);
    };
    if (!text::is_valid_utf8(line)) fail("not valid UTF-8");
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') return;
    auto group = read_group(line);
    if (const auto* error = std::get_if<std::string>(&group)) fail(*error);
    const auto& forms = std::get<std::vector<Form>>(group);
    for (const Form& form : forms) {
      if (!form.single) continue;
      auto [it, inserted] = variants.try_emplace(form.key);
      if (inserted) order.push_back(form.key);
      for (const Form& other : forms) {
        if (other.key == form.key || it->second.size() >= kMaxVariants) continue;
        if (std::ranges::find(it->second, other.key) == it->second.end()) {
          it->second.push_back(other.key);
        }
      }
    }
  });
  Aliases aliases;
  aliases.entries_.reserve(order.size());
  for (std::string& form : order) {
    const char32_t first = first_code_point(form);
    auto node = variants.extract(form);
    aliases.entries_.push_back({first, std::move(form), std::move(node.mapped())});
  }
  std::ranges::sort(aliases.entries_, [](const Entry& a, const Entry& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.form.size() != b.form.size()) return a.form.size() > b.form.size();
    return a.form < b.form;
  });
  return aliases;
}

std::vector<AliasMatch> Aliases::find(std::string_view run) const {
  std::vector<AliasMatch> matches;
  char32_t prev = 0;
  std::size_t pos = 0;
  while (pos < run.size()) {
    std::size_t next = pos;
    const std::optional<char32_t> decoded = text::decode_checked(run, next);
    if (!decoded) {  // not valid UTF-8 after all: step over the byte
      prev = 0;
      ++pos;
      continue;
    }
    const char32_t cp = *decoded;
    // The longest table form at `pos`.
    const Entry* entry = nullptr;
    auto it = std::ranges::lower_bound(entries_, cp, {}, &Entry::first);
    for (; it != entries_.end() && it->first == cp; ++it) {
      if (!run.substr(pos).starts_with(it->form)) continue;
      if (is_ascii_alnum(cp) && is_ascii_alnum(prev)) continue;
      const std::size_t end = pos + it->form.size();
      if (end < run.size() && is_ascii_alnum(static_cast<unsigned char>(it->form.back())) &&
          is_ascii_alnum(static_cast<unsigned char>(run[end]))) {
        continue;
      }
      entry = &*it;
      break;
    }
    std::optional<RuleMatch> rule = match_rules(run, pos, cp, prev);
    if (rule && (!entry || rule->end > pos + entry->form.size())) {
      AliasMatch match{pos, rule->end, {}};
      const std::string_view typed = run.substr(pos, rule->end - pos);
      for (std::string& form : rule->forms) {
        if (form != typed) match.variants.push_back(std::move(form));
      }
      matches.push_back(std::move(match));
      pos = rule->end;
    } else if (entry) {
      matches.push_back({pos, pos + entry->form.size(), entry->variants});
      pos += entry->form.size();
    } else {
      prev = cp;
      pos = next;
      continue;
    }
    // The code point before the new position: the last one of the match.
    std::size_t back = pos - 1;
    while (back > 0 && (static_cast<unsigned char>(run[back]) & 0xC0) == 0x80) --back;
    prev = text::decode_at(run, back);
  }
  return matches;
}

}  // namespace wenku::search
