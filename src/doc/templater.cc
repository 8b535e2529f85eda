#include "doc/templater.h"

#include <unicode/bytestrie.h>
#include <unicode/bytestriebuilder.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

#include "doc/numerals.h"
#include "text/utf8.h"

namespace wenku::doc {

namespace {

// ---- text helpers -------------------------------------------------------------------------

// The code point that ends right before byte `pos` of valid UTF-8 `s` (0 at the start).
char32_t code_point_before(std::string_view s, std::size_t pos) {
  if (pos == 0) return 0;
  std::size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return text::decode_at(s, start);
}

char32_t code_point_at(std::string_view s, std::size_t pos) {
  return pos < s.size() ? text::decode_at(s, pos) : 0;
}

bool is_latin(char32_t cp) { return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z'); }

bool is_digit(char32_t cp) { return (cp >= U'0' && cp <= U'9') || (cp >= U'０' && cp <= U'９'); }

template <std::size_t N>
bool starts_with_any(std::string_view s, const std::array<std::string_view, N>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return s.starts_with(w); });
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// A set of code points of the Basic Multilingual Plane, one bit each: a membership test that
// rejects most positions of a text before any string comparison.
using BmpSet = std::bitset<0x10000>;

bool contains(const BmpSet& set, char32_t cp) { return cp < set.size() && set[cp]; }

// The first code points of `words` (valid UTF-8, each starting with a BMP code point).
template <std::size_t N>
BmpSet first_code_points(const std::array<std::string_view, N>& words) {
  BmpSet set;
  for (std::string_view word : words) {
    std::size_t pos = 0;
    set.set(text::decode_at(word, pos));
  }
  return set;
}

// ---- numbers in digits --------------------------------------------------------------------

// Byte length of a decimal point or thousands comma at the start of `s` that a digit
// follows, else 0.
std::size_t separator_length(std::string_view s) {
  for (std::string_view sep : {".", "．", ","}) {
    if (s.starts_with(sep) && digit_prefix(s.substr(sep.size())).bytes > 0) return sep.size();
  }
  return 0;
}

// End of the number starting at `pos`: digits with decimal points and thousands commas.
std::size_t digits_end(std::string_view s, std::size_t pos) {
  pos += digit_prefix(s.substr(pos)).bytes;
  while (const std::size_t sep = separator_length(s.substr(pos))) {
    pos += sep;
    pos += digit_prefix(s.substr(pos)).bytes;
  }
  return pos;
}

bool at_line_start(std::string_view s, std::size_t pos) {
  const std::size_t newline = pos == 0 ? std::string_view::npos : s.rfind('\n', pos - 1);
  const std::size_t line = newline == std::string_view::npos ? 0 : newline + 1;
  return text::trim(s.substr(line, pos - line)).empty();
}

// Whether the digits at [begin, end) are a list marker, an ordinal or part of a Latin code.
bool digits_stay(std::string_view s, std::size_t begin, std::size_t end) {
  const char32_t before = code_point_before(s, begin);
  const char32_t after = code_point_at(s, end);
  if (is_latin(before) || is_latin(after)) return true;                          // 5G, G20
  if (before == U'-' && is_latin(code_point_before(s, begin - 1))) return true;  // COVID-19
  if (before == U'第') return true;                                              // 第3次
  if ((before == U'（' || before == U'(') && (after == U'）' || after == U')')) return true;
  return at_line_start(s, begin) && (after == U'.' || after == U'．' || after == U'、');
}

void digit_spans(std::string_view s, std::vector<TemplateSpan>& out) {
  for (std::size_t pos = 0; pos < s.size();) {
    std::size_t next = pos;
    if (!is_digit(text::decode_at(s, next))) {
      pos = next;
      continue;
    }
    const std::size_t end = digits_end(s, pos);
    if (!digits_stay(s, pos, end)) out.push_back({pos, end, SpanKind::kNumber, {}});
    pos = end;
  }
}

// ---- numbers in Chinese numerals ----------------------------------------------------------

// Words after a numeral that make it a quantity. Not 号: a numeral before it names a thing
// (神舟十四号, 一号文件) unless it is the day of a date (…月二十号).
constexpr std::array<std::string_view, 57> kMeasureWords{
    "余", "多",   "个",   "年",   "月", "日", "天",   "周", "岁",   "小时", "分钟", "家",
    "户", "人",   "名",   "位",   "项", "次", "倍",   "元", "美元", "公里", "千米", "米",
    "亩", "公顷", "平方", "立方", "吨", "斤", "千瓦", "件", "批",   "座",   "所",   "条",
    "台", "辆",   "套",   "支",   "种", "类", "场",   "期", "篇",   "部",   "份",   "款",
    "艘", "架",   "枚",   "只",   "头", "株", "层",   "间", "处"};

constexpr std::array<std::string_view, 2> kFractionWords{"百分之", "千分之"};

// Whether numeral run `run` states a number: it does not start with a unit other than 十
// (百万, 万千, 千百 and 百分之百 are magnitudes or figures of speech).
bool states_a_number(std::string_view run) {
  return !run.empty() && !run.starts_with("百") && !run.starts_with("千") &&
         !run.starts_with("万") && !run.starts_with("亿");
}

// Byte length of the number a quantity's numeral run `run` states, without the magnitude
// 万/亿 that ends it (十二万 -> 十二, 三千万 -> 三千, 五亿 -> 五); 0 when it states none (万亿
// after digits, 百万).
std::size_t stated_number_bytes(std::string_view run) {
  while (run.ends_with("万") || run.ends_with("亿")) run.remove_suffix(3);
  return states_a_number(run) ? run.size() : 0;
}

// Whether `s` starts with the day of a date in numerals: 五日, 二十号.
bool starts_with_day(std::string_view s) {
  const std::size_t digits = chinese_numeral_prefix(s).bytes;
  return digits > 0 && (s.substr(digits).starts_with("日") || s.substr(digits).starts_with("号"));
}

void numeral_spans(std::string_view s, std::vector<TemplateSpan>& out) {
  static const BmpSet kFractionStarts = first_code_points(kFractionWords);
  for (std::size_t pos = 0; pos < s.size();) {
    const std::string_view rest = s.substr(pos);
    std::size_t next = pos;
    if (contains(kFractionStarts, text::decode_at(s, next)) &&
        starts_with_any(rest, kFractionWords)) {
      const std::size_t begin = pos + kFractionWords[0].size();
      std::size_t end = begin + chinese_numeral_prefix(s.substr(begin)).bytes;
      if (!states_a_number(s.substr(begin, end - begin))) end = begin;  // 百分之百
      if (end > begin && s.substr(end).starts_with("点")) {             // 百分之八点五
        const std::size_t decimals = chinese_numeral_prefix(s.substr(end + 3)).bytes;
        if (decimals > 0) end += 3 + decimals;
      }
      if (end > begin) out.push_back({begin, end, SpanKind::kNumber, {}});
      pos = end;
      continue;
    }
    const NumeralRun run = chinese_numeral_prefix(rest);
    if (run.bytes == 0) {
      pos = next;
      continue;
    }
    const std::string_view after = rest.substr(run.bytes);
    const std::string_view before = s.substr(0, pos);
    const bool quantity =
        run.chars >= 2 && starts_with_any(after, kMeasureWords) && !before.ends_with("第");
    const bool month = run.chars == 1 && after.starts_with("月") &&
                       (before.ends_with("年") || starts_with_day(after.substr(3)));
    const bool day = (after.starts_with("日") || after.starts_with("号")) && before.ends_with("月");
    const std::size_t number = stated_number_bytes(rest.substr(0, run.bytes));
    if ((quantity || month || day) && number > 0) {
      out.push_back({pos, pos + number, SpanKind::kNumber, {}});
    }
    pos += run.bytes;
  }
}

// ---- names of people ----------------------------------------------------------------------

// Longest first, so that 副书记 wins over 书记.
constexpr std::array<std::string_view, 25> kTitles{
    "常务副", "总书记", "副书记", "秘书长", "董事长", "总经理", "同志", "书记", "区长",
    "市长",   "县长",   "省长",   "州长",   "镇长",   "乡长",   "主任", "部长", "局长",
    "厅长",   "处长",   "科长",   "主席",   "院长",   "校长",   "代表"};

// Common surnames, without those that are also frequent function words or word starts
// before a title (党委书记, 时任, 全区, 和 …).
constexpr std::string_view kSurnames =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁"
    "沈任姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔汤温康施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞柳祝舒阮柯梅凌毕裴霍涂骆翁冉靳柴蒙"
    "鲍喻蒲房滕屈饶牟艾尤穆卓缪麦褚娄窦戚岑晏柏瞿桂佟臧闵苟邬卞姬栾隋刁巫寇桑郎甄丛仲虞敖巩佘池"
    "苑迟邝";

constexpr std::array<std::string_view, 10> kCompoundSurnames{
    "欧阳", "司马", "诸葛", "上官", "慕容", "令狐", "皇甫", "夏侯", "司徒", "公孙"};

// Names that are part of fixed political formulas (以习近平同志为核心, 邓小平理论 …).
constexpr std::array<std::string_view, 9> kFixedNames{
    "习近平", "毛泽东", "邓小平", "江泽民", "胡锦涛", "周恩来", "刘少奇", "朱德", "陈云"};

// Words that look like a surname and a given name but start no name before 同志 or a title
// (国家杜马主席: the Russian Duma; 高级别代表, 董事会主席).
constexpr std::array<std::string_view, 8> kNotNames{"许多", "方面", "地方", "高级",
                                                    "老同", "万名", "杜马", "董事"};

// A surname alone before a title (请王书记, 和吴书记) follows punctuation, the start, or one of
// these function characters; after other characters it ends a word (中方代表, 担任主任, 模范
// 代表, 秘鲁部长) or a name the surname list lacks (费俊龙同志).
constexpr std::u32string_view kBeforeLoneSurname = U"请和与及同向对的由给让跟被是在为把陪";

// Last characters of units, which end no given name (工程处主任, 办公室主任).
constexpr std::u32string_view kUnitChars = U"处局厅委办室会部司科组";

// Characters that join a name to what follows (王毅等出席, 赵明和副区长孙丽); they end no name.
constexpr std::u32string_view kJoiningChars = U"在到赴对和与及等作是";

// Characters of transliterated foreign names (鲁斯塔姆, 沃洛金娃) that Chinese given names
// hardly use: a candidate name containing one is not replaced.
constexpr std::u32string_view kTransliterationChars = U"斯尔姆夫娃契耶奥埃蒂乌";

bool looks_foreign(std::string_view name) {
  for (std::size_t pos = 0; pos < name.size();) {
    if (kTransliterationChars.find(text::decode_at(name, pos)) != std::u32string_view::npos)
      return true;
  }
  return false;
}

// Whether `name` (Han characters) is a word, a unit or a name and a joining character rather
// than a name.
bool not_a_name(std::string_view name) {
  if (starts_with_any(name, kNotNames)) return true;
  const char32_t last = code_point_before(name, name.size());
  return kUnitChars.find(last) != std::u32string_view::npos ||
         kJoiningChars.find(last) != std::u32string_view::npos;
}

// Whether the surname at byte `begin` of `s` may be a name alone (see kBeforeLoneSurname).
bool may_stand_alone(std::string_view s, std::size_t begin) {
  const char32_t before = code_point_before(s, begin);
  return !text::is_han(before) || kBeforeLoneSurname.find(before) != std::u32string_view::npos;
}

bool is_surname(std::string_view han) {
  return han.size() == 3 && kSurnames.find(han) != std::string_view::npos;
}

bool all_han(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();) {
    if (!text::is_han(text::decode_at(s, pos))) return false;
  }
  return true;
}

// Start of the name that ends at `end` (a title follows), or `end` when there is none.
std::size_t name_start(std::string_view s, std::size_t end) {
  // Candidate starts, longest name first: 3 characters, 2, then a lone surname. Each Han
  // character is 3 bytes in UTF-8.
  for (std::size_t chars : {3u, 2u, 1u}) {
    if (end < chars * 3) continue;
    const std::size_t begin = end - chars * 3;
    const std::string_view name = s.substr(begin, end - begin);
    if (!all_han(name)) continue;
    const bool compound = chars >= 3 && contains(kCompoundSurnames, name.substr(0, 6));
    if (!compound && !is_surname(name.substr(0, 3))) continue;
    // 主任王强: the surname candidate 任 belongs to the title before it.
    const std::string_view head = s.substr(0, begin + 3);
    if (chars == 3 &&
        std::any_of(kTitles.begin(), kTitles.end(), [&](auto t) { return head.ends_with(t); })) {
      continue;
    }
    if (contains(kFixedNames, name) || not_a_name(name) || looks_foreign(name)) return end;
    if (chars == 1 && !may_stand_alone(s, begin)) return end;
    return begin;
  }
  return end;
}

// Titles a name may follow (区委书记李明, 副市长赵刚, 人大代表李国伟); 同志 precedes words.
bool names_follow(std::string_view title) { return title != "同志" && title != "常务副"; }

// What may follow a name written after its title: punctuation or the end (any non-Han
// character), 同志, or a verb or conjunction that speeches put after a name.
bool ends_a_name(std::string_view rest) {
  static constexpr std::array<std::string_view, 22> kAfterName{
      "同志", "带队", "率队", "率领", "主持", "出席", "讲话", "指出", "强调", "表示", "宣读",
      "传达", "参加", "前往", "深入", "调研", "听取", "要求", "介绍", "汇报", "一行", "分别"};
  if (rest.empty() || !text::is_han(code_point_at(rest, 0))) return true;
  return kJoiningChars.find(code_point_at(rest, 0)) != std::u32string_view::npos ||
         starts_with_any(rest, kAfterName);
}

// End of the name that starts at `begin` (right after a title), or `begin` when there is none:
// a surname and one or two given characters followed by ends_a_name(). 长江 after …长 is the
// river (本市长江流域), not a name.
std::size_t name_end(std::string_view s, std::size_t begin, std::string_view title) {
  if (title.ends_with("长") && s.substr(begin).starts_with("江")) return begin;
  const bool compound =
      std::any_of(kCompoundSurnames.begin(), kCompoundSurnames.end(),
                  [&](std::string_view c) { return s.substr(begin).starts_with(c); });
  if (!compound && !is_surname(s.substr(begin, 3))) return begin;
  for (std::size_t chars : {3u, 2u}) {
    const std::size_t end = begin + chars * 3;
    if (end > s.size()) continue;
    const std::string_view name = s.substr(begin, end - begin);
    if (!all_han(name) || contains(kFixedNames, name) || not_a_name(name) || looks_foreign(name)) {
      continue;
    }
    if (ends_a_name(s.substr(end))) return end;
  }
  return begin;
}

void person_spans(std::string_view s, std::vector<TemplateSpan>& out) {
  static const BmpSet kTitleStarts = first_code_points(kTitles);
  for (std::size_t pos = 0; pos < s.size();) {
    std::size_t next = pos;
    if (!contains(kTitleStarts, text::decode_at(s, next))) {
      pos = next;
      continue;
    }
    const std::string_view rest = s.substr(pos);
    const auto title =
        std::find_if(kTitles.begin(), kTitles.end(), [&](auto t) { return rest.starts_with(t); });
    if (title == kTitles.end() ||
        (*title == "代表" && rest.substr(title->size()).starts_with("团"))) {
      pos = next;
      continue;
    }
    std::size_t end = pos;
    if (end >= 3 && s.substr(end - 3, 3) == "副") end -= 3;  // 王强副区长
    const std::size_t begin = name_start(s, end);
    if (begin < end) out.push_back({begin, end, SpanKind::kPerson, {}});
    pos += title->size();
    if (begin == end && names_follow(*title)) {  // 区委书记李明
      const std::size_t after = name_end(s, pos, *title);
      const std::string_view added = s.substr(after).starts_with("同志") ? "" : "同志";
      if (after > pos) out.push_back({pos, after, SpanKind::kPerson, added});
    }
  }
}

// ---- universities ------------------------------------------------------------------------

// The name of a university before 大学 (清华大学 -> X大学). Names made of a type word (师范,
// 科技, 人民 …: 浙江师范大学 keeps 师范, its place is replaced) or of function characters
// (一所大学, 各大学, 全国大学) stay.
void university_spans(std::string_view s, std::vector<TemplateSpan>& out) {
  static constexpr std::array<std::string_view, 36> kTypeWords{
      "师范", "科技", "理工", "工业", "农业", "医科", "财经", "政法", "交通",
      "石油", "民族", "人民", "开放", "老年", "职业", "技术", "外国", "语言",
      "电子", "邮电", "海洋", "林业", "中医", "药科", "体育", "艺术", "传媒",
      "矿业", "地质", "航空", "航天", "工程", "经济", "外语", "商业", "社区"};
  static constexpr std::u32string_view kFunctionChars =
      U"的所各本该这那每一两几多名家流好型类在和与及到等大小高个全国是了";
  constexpr std::size_t kNameBytes = 6;  // two Han characters
  for (std::size_t at = s.find("大学"); at != std::string_view::npos; at = s.find("大学", at + 1)) {
    if (at < kNameBytes) continue;
    const std::string_view name = s.substr(at - kNameBytes, kNameBytes);
    if (!all_han(name) || contains(kTypeWords, name)) continue;
    if (kFunctionChars.find(code_point_at(name, 0)) != std::u32string_view::npos ||
        kFunctionChars.find(code_point_at(name, 3)) != std::u32string_view::npos) {
      continue;
    }
    out.push_back({at - kNameBytes, at, SpanKind::kOrganisation, {}});
  }
}

// ---- place names --------------------------------------------------------------------------

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The code point at byte `pos` of `s` and its length in bytes when it lies in the BMP;
// length 0 for a code point above U+FFFF or `pos` at the end. (text::decode_at reads an
// invalid byte as U+FFFD, which starts no name.)
struct BmpBits {
  char32_t code_point = 0;
  std::size_t length = 0;
};

BmpBits bmp_bits_at(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return {};
  std::size_t next = pos;
  const char32_t code_point = text::decode_at(s, next);
  if (code_point > 0xFFFF) return {};
  return {code_point, next - pos};
}

// Whether a name may start at byte `pos` of `s`: false when its first code point starts no
// name (`first_chars`) or its first two start none (`first_pairs`). Code points outside the
// BMP are not filtered; a cut or stray sequence starts nothing.
bool may_start_name(const BmpSet& first_chars, const text::PairFilter& first_pairs,
                    std::string_view s, std::size_t pos) {
  const BmpBits first = bmp_bits_at(s, pos);
  if (first.length == 0) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    return (lead & 0xF8) == 0xF0 && s.size() - pos >= 4;
  }
  if (!first_chars[first.code_point]) return false;
  const BmpBits second = bmp_bits_at(s, pos + first.length);
  return second.length == 0 || first_pairs.may_start(first.code_point, second.code_point);
}

void place_spans(std::string_view s, const PlaceNames& places, std::vector<TemplateSpan>& out) {
  for (std::size_t pos = 0; pos < s.size();) {
    const PlaceNames::Match match = places.longest_name_at(s, pos);
    if (match.bytes > 0) {
      out.push_back({pos, pos + match.proper_bytes, SpanKind::kPlace, {}});
      pos += match.bytes;
    } else {
      text::decode_at(s, pos);
    }
  }
}

// ---- fixed political formulations ---------------------------------------------------------

// Formulations a model text keeps word for word: those named most, and those in which the
// rules above would read a quantity or a name (两个一百年, 十四个坚持, 毛主席). Set phrases
// that hold nothing the rules replace (三个代表, 一带一路, 五位一体) need no entry.
constexpr std::array<std::string_view, 14> kFormulations{"习近平新时代中国特色社会主义思想",
                                                         "以习近平同志为核心的党中央",
                                                         "习近平总书记",
                                                         "毛泽东思想",
                                                         "邓小平理论",
                                                         "党的二十大",
                                                         "十四五",
                                                         "两个确立",
                                                         "四个意识",
                                                         "两个一百年",
                                                         "建军一百年",
                                                         "十四个坚持",
                                                         "十三个方面成就",
                                                         "毛主席"};

// The byte ranges of `s` that formulations of kFormulations cover, sorted and disjoint
// (overlapping occurrences merged).
std::vector<std::pair<std::size_t, std::size_t>> formulation_ranges(std::string_view s) {
  static const BmpSet kStarts = first_code_points(kFormulations);
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t at = pos;
    if (!contains(kStarts, text::decode_at(s, pos))) continue;
    for (std::string_view formulation : kFormulations) {
      if (!s.substr(at).starts_with(formulation)) continue;
      const std::size_t end = at + formulation.size();
      if (!ranges.empty() && at < ranges.back().second) {
        ranges.back().second = std::max(ranges.back().second, end);
      } else {
        ranges.emplace_back(at, end);
      }
    }
  }
  return ranges;
}

// ---- loading ------------------------------------------------------------------------------

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

// The names of a division file, without placeholders (市辖区, 县, 省直辖县级行政区划).
std::vector<std::string> division_names(const std::filesystem::path& path) {
  std::vector<std::string> names;
  const nlohmann::json array = read_json(path);
  if (!array.is_array()) throw std::runtime_error(path.string() + ": not an array");
  for (const auto& entry : array) {
    std::string name = entry.at("name").get<std::string>();
    if (name == "县" || name.find("辖") != std::string::npos) continue;
    names.push_back(std::move(name));
  }
  return names;
}

// The name without the first of `suffixes` it ends with.
template <std::size_t N>
std::string_view strip_suffix(std::string_view name,
                              const std::array<std::string_view, N>& suffixes) {
  for (std::string_view suffix : suffixes) {
    if (name.size() > suffix.size() && name.ends_with(suffix))
      return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

constexpr std::array<std::string_view, 7> kProvinceSuffixes{
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"};
constexpr std::array<std::string_view, 4> kCitySuffixes{"自治州", "地区", "市", "盟"};
constexpr std::array<std::string_view, 7> kAreaSuffixes{"自治县", "自治旗", "新区", "区",
                                                        "县",     "市",     "旗"};

// Short forms of cities that are also common words or names.
constexpr std::array<std::string_view, 21> kAmbiguousCities{
    "白银", "安康", "朝阳", "中山", "黄山", "北海", "普洱", "长治", "大同", "开封", "日照",
    "三明", "来宾", "四平", "大庆", "海口", "河源", "阿里", "山南", "海东", "安顺"};

// Counties and districts named by a generic word, and markers of development zones.
constexpr std::array<std::string_view, 5> kGenericAreas{"新城区", "老城区", "解放区", "市中区",
                                                        "城关区"};
constexpr std::array<std::string_view, 8> kZoneMarkers{"开发区", "管理区", "示范区", "园区",
                                                       "管委会", "委员会", "群岛",   "新城"};

using NameMap = std::map<std::string, std::size_t, std::less<>>;

}  // namespace

PlaceNames::PlaceNames(const NameMap& proper_bytes) : size_(proper_bytes.size()) {
  if (proper_bytes.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  icu::BytesTrieBuilder builder(status);
  for (const auto& [name, proper] : proper_bytes) {
    builder.add(icu::StringPiece(name.data(), static_cast<std::int32_t>(name.size())),
                static_cast<std::int32_t>(proper), status);
    std::size_t pos = 0;
    const char32_t first = name.empty() ? 0 : text::decode_at(name, pos);
    if (first < 0x10000) first_chars_.set(first);
    const char32_t second = pos < name.size() ? text::decode_at(name, pos) : 0;
    if (first < 0x10000 && second != 0 && second < 0x10000) first_pairs_.add(first, second);
  }
  const icu::StringPiece bytes = builder.buildStringPiece(USTRINGTRIE_BUILD_FAST, status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("cannot build the place-name trie: ") +
                             u_errorName(status));
  }
  trie_.assign(bytes.data(), static_cast<std::size_t>(bytes.size()));
}

PlaceNames::Match PlaceNames::longest_name_at(std::string_view s, std::size_t pos) const {
  Match match;
  if (trie_.empty() || pos >= s.size()) return match;
  if (!may_start_name(first_chars_, first_pairs_, s, pos)) return match;  // most end here
  icu::BytesTrie trie(trie_.data());
  std::size_t chars = 0;
  for (std::size_t at = pos; at < s.size();) {
    const auto byte = static_cast<unsigned char>(s[at++]);
    chars += !is_continuation(byte);
    const UStringTrieResult result = trie.next(byte);
    if (USTRINGTRIE_HAS_VALUE(result) && chars >= 2 &&
        (at == s.size() || !is_continuation(static_cast<unsigned char>(s[at])))) {
      match = {at - pos, static_cast<std::size_t>(trie.getValue())};
    }
    if (!USTRINGTRIE_HAS_NEXT(result)) break;
  }
  return match;
}

PlaceNames load_place_names(const std::filesystem::path& dir) {
  NameMap places;
  for (const std::string& name : division_names(dir / "provinces.json")) {
    const std::string_view proper = strip_suffix(name, kProvinceSuffixes);
    places.emplace(name, proper.size());
    places.emplace(proper, proper.size());
  }
  for (const std::string& name : division_names(dir / "cities.json")) {
    const std::string_view proper = strip_suffix(name, kCitySuffixes);
    places.emplace(name, proper.size());
    const bool plain = name.ends_with("市") || name.ends_with("地区");
    if (plain && text::count_code_points(proper) >= 2 && !contains(kAmbiguousCities, proper)) {
      places.emplace(proper, proper.size());
    }
  }
  for (const std::string& name : division_names(dir / "areas.json")) {
    if (text::count_code_points(name) <= 2 || contains(kGenericAreas, name)) continue;
    if (std::any_of(kZoneMarkers.begin(), kZoneMarkers.end(),
                    [&](std::string_view m) { return name.find(m) != std::string::npos; })) {
      continue;
    }
    places.emplace(name, strip_suffix(name, kAreaSuffixes).size());
  }
  return PlaceNames(places);
}

std::vector<TemplateSpan> template_spans(std::string_view text, const PlaceNames& places) {
  std::vector<TemplateSpan> all;
  digit_spans(text, all);
  numeral_spans(text, all);
  person_spans(text, all);
  place_spans(text, places, all);
  university_spans(text, all);
  std::stable_sort(all.begin(), all.end(), [](const TemplateSpan& a, const TemplateSpan& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  const auto kept = formulation_ranges(text);
  auto next_kept = kept.begin();
  std::vector<TemplateSpan> spans;
  for (const TemplateSpan& span : all) {
    if (!spans.empty() && span.begin < spans.back().end) continue;
    while (next_kept != kept.end() && next_kept->second <= span.begin) ++next_kept;
    if (next_kept != kept.end() && next_kept->first < span.end) continue;  // in a formulation
    spans.push_back(span);
  }
  return spans;
}

MarkedTemplate make_marked_template(std::string_view text, const PlaceNames& places) {
  MarkedTemplate out;
  out.text.reserve(text.size());
  std::size_t copied = 0;
  for (const TemplateSpan& span : template_spans(text, places)) {
    out.text.append(text.substr(copied, span.begin - copied));
    out.marks.push_back({out.text.size(), span.kind});
    out.text += 'X';
    out.text.append(span.added);
    copied = span.end;
  }
  out.text.append(text.substr(copied));
  return out;
}

std::string make_template(std::string_view text, const PlaceNames& places) {
  return make_marked_template(text, places).text;
}

}  // namespace wenku::doc
