#include "io/word.h"

#include <fmt/format.h>
#include <zip.h>

#include <optional>
#include <pugixml.hpp>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "doc/document.h"
#include "io/task_table.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

constexpr const char* kWordNamespace =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kRelationshipNamespace =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// Fonts by role. The GB fonts of a Chinese government machine, with the stand-ins Word and
// LibreOffice look for elsewhere (fontTable: altName, PANOSE class, GB2312 charset).
constexpr const char* kLatinFont = "Times New Roman";
constexpr const char* kTitleFont = "方正小标宋简体";
constexpr const char* kTextFont = "仿宋_GB2312";
constexpr const char* kHeiFont = "黑体";
constexpr const char* kKaiFont = "楷体_GB2312";
constexpr const char* kSongFont = "宋体";

// The width of a 3号 character (indents are counted in them: two for a first line, four for
// the date) and of a 4号 one (the page numbers' indent), in twips. Word also takes indents in
// hundredths of a character (w:firstLineChars …), which it prefers to twips.
constexpr int kTextChar = 320;
constexpr int kPageNumberChar = 280;
// 小四 (12 pt) in the 任务分解表: nine columns across a landscape page.
constexpr int kTableTextSize = 24;
// The page number line's top 7 mm below the block: the footer's bottom edge then lies at the
// bottom margin less 7 mm (397 twips) less its 4号 line (280 twips).
constexpr int kFooterDistance = kWordMarginBottom - 397 - kPageNumberChar;

// ---- XML --------------------------------------------------------------------------------

// An XML part under construction: the declaration Word writes, then `root`.
class Part {
 public:
  explicit Part(const char* root_name) {
    auto declaration = xml_.append_child(pugi::node_declaration);
    declaration.append_attribute("version") = "1.0";
    declaration.append_attribute("encoding") = "UTF-8";
    declaration.append_attribute("standalone") = "yes";
    root_ = xml_.append_child(root_name);
  }
  pugi::xml_node root() const { return root_; }
  std::string bytes() const {
    std::ostringstream out;
    xml_.save(out, "", pugi::format_raw, pugi::encoding_utf8);
    return out.str();
  }

 private:
  pugi::xml_document xml_;
  pugi::xml_node root_;
};

// Appends <name val="value"/> (a w: property with its w:val).
pugi::xml_node add_value(pugi::xml_node parent, const char* name, const std::string& value) {
  auto node = parent.append_child(name);
  node.append_attribute("w:val") = value.c_str();
  return node;
}

pugi::xml_node add_attributes(pugi::xml_node parent, const char* name,
                              std::initializer_list<std::pair<const char*, std::string>> values) {
  auto node = parent.append_child(name);
  for (const auto& [attribute, value] : values) node.append_attribute(attribute) = value.c_str();
  return node;
}

// w:rFonts with Latin text in Times New Roman and Chinese text in `chinese`.
void add_fonts(pugi::xml_node rpr, const char* chinese) {
  add_attributes(rpr, "w:rFonts",
                 {{"w:ascii", kLatinFont},
                  {"w:hAnsi", kLatinFont},
                  {"w:eastAsia", chinese},
                  {"w:cs", kLatinFont}});
}

// w:rFonts with every character in `chinese`, punctuation Word could set in either font
// included (w:hint eastAsia).
void add_chinese_only_fonts(pugi::xml_node rpr, const char* chinese) {
  add_attributes(rpr, "w:rFonts",
                 {{"w:ascii", chinese},
                  {"w:hAnsi", chinese},
                  {"w:eastAsia", chinese},
                  {"w:cs", chinese},
                  {"w:hint", "eastAsia"}});
}

void add_size(pugi::xml_node rpr, int half_points) {
  add_value(rpr, "w:sz", std::to_string(half_points));
  add_value(rpr, "w:szCs", std::to_string(half_points));
}

// Exact lines of the grid's pitch, no space between paragraphs.
void add_line_spacing(pugi::xml_node ppr) {
  add_attributes(ppr, "w:spacing",
                 {{"w:before", "0"},
                  {"w:after", "0"},
                  {"w:line", std::to_string(kWordLinePitch)},
                  {"w:lineRule", "exact"}});
}

void add_first_line_indent(pugi::xml_node ppr) {
  add_attributes(ppr, "w:ind",
                 {{"w:firstLineChars", "200"}, {"w:firstLine", std::to_string(2 * kTextChar)}});
}

// ---- text runs ----------------------------------------------------------------------------

// Punctuation that Word sets in the Latin font unless told otherwise (Unicode's general
// punctuation, the middle dot, the two- and three-em dashes): quotation marks, dashes and
// ellipses then look wrong beside the Chinese text.
bool is_ambiguous_punctuation(char32_t c) {
  return c == 0x00B7 || (c >= 0x2010 && c <= 0x203A) || c == 0x2E3A || c == 0x2E3B;
}

// Appends `text` to `run`: a tab as w:tab, the rest as w:t, without the characters XML 1.0
// forbids (control characters the store keeps, U+FFFE, U+FFFF), which would make Word
// refuse the whole file.
void add_text(pugi::xml_node run, std::string_view text) {
  std::string kept;
  const auto flush = [&] {
    if (kept.empty()) return;
    auto t = run.append_child("w:t");
    t.append_attribute("xml:space") = "preserve";
    t.text().set(kept.c_str());
    kept.clear();
  };
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t at = pos;
    const char32_t c = text::decode_at(text, pos);
    if (c == U'\t') {
      flush();
      run.append_child("w:tab");
    } else if (c >= 0x20 && c != 0x7F && c != 0xFFFE && c != 0xFFFF) {
      kept.append(text.substr(at, pos - at));
    }
  }
  flush();
}

// Appends `text` to `paragraph` as runs in `chinese` (the style's font unless `font_given`),
// the ambiguous punctuation in runs of its own set in `chinese` only.
void add_runs(pugi::xml_node paragraph, std::string_view text, const char* chinese,
              bool font_given) {
  std::size_t start = 0;
  std::optional<bool> current;  // whether the run being gathered is ambiguous punctuation
  const auto flush = [&](std::size_t end) {
    if (end == start) return;
    auto run = paragraph.append_child("w:r");
    if (*current || font_given) {
      auto rpr = run.append_child("w:rPr");
      if (*current) {
        add_chinese_only_fonts(rpr, chinese);
      } else {
        add_fonts(rpr, chinese);
      }
    }
    add_text(run, text.substr(start, end - start));
    start = end;
  };
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t at = pos;
    const bool ambiguous = is_ambiguous_punctuation(text::decode_at(text, pos));
    if (current && *current != ambiguous) flush(at);
    current = ambiguous;
  }
  if (current) flush(text.size());
}

// ---- what each paragraph is ------------------------------------------------------------------

// Reads code points of `s` from `pos` while they are in `set`; how many it read. (std::regex
// matches bytes, not the Chinese characters these markers are made of.)
std::size_t skip_any_of(std::string_view s, std::size_t& pos, std::u32string_view set) {
  std::size_t count = 0;
  while (pos < s.size()) {
    std::size_t next = pos;
    if (set.find(text::decode_at(s, next)) == std::u32string_view::npos) break;
    pos = next;
    ++count;
  }
  return count;
}

// Whether `s` at `pos` reads one of `words`, moving `pos` past it.
bool skip_word(std::string_view s, std::size_t& pos,
               std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (s.substr(pos).starts_with(word)) {
      pos += word.size();
      return true;
    }
  }
  return false;
}

constexpr std::u32string_view kChineseNumerals = U"一二三四五六七八九十百零〇";
constexpr std::u32string_view kDigits = U"0123456789０１２３４５６７８９";

// The heading style a number marker gives its paragraph: 1 for 一、 and the parts of laws
// (编, 分编, 部分, 章), 2 for （一） and 节, 3 for 1., 4 for （1）; 0 for markers that stay
// body text (一是, 第一，, 首先 …).
int heading_style(std::string_view paragraph) {
  std::size_t pos = 0;
  if (skip_word(paragraph, pos, {"第"})) {
    if (skip_any_of(paragraph, pos, kChineseNumerals) == 0) return 0;
    if (skip_word(paragraph, pos, {"编", "分编", "部分", "章"})) return 1;
    return skip_word(paragraph, pos, {"节"}) ? 2 : 0;
  }
  if (skip_word(paragraph, pos, {"（", "("})) {
    if (skip_any_of(paragraph, pos, kChineseNumerals) > 0) {
      return skip_word(paragraph, pos, {"）", ")"}) ? 2 : 0;
    }
    if (skip_any_of(paragraph, pos, kDigits) > 0) {
      return skip_word(paragraph, pos, {"）", ")"}) ? 4 : 0;
    }
    return 0;
  }
  if (skip_any_of(paragraph, pos, kChineseNumerals) > 0) {
    return skip_word(paragraph, pos, {"、"}) ? 1 : 0;
  }
  if (skip_any_of(paragraph, pos, kDigits) > 0) {
    return skip_word(paragraph, pos, {".", "．", "、"}) ? 3 : 0;
  }
  return 0;
}

const char* heading_font(int style) {
  switch (style) {
    case 1:
      return kHeiFont;
    case 2:
      return kKaiFont;
    default:
      return kTextFont;
  }
}

// The byte length of the heading phrase `paragraph` starts with: up to and including its
// first 。！？；：, the whole paragraph when it has none.
std::size_t heading_phrase_size(std::string_view paragraph) {
  for (std::size_t pos = 0; pos < paragraph.size();) {
    const char32_t c = text::decode_at(paragraph, pos);
    if (c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'：') return pos;
  }
  return paragraph.size();
}

// 成文日期: 2024年3月15日, 二〇二四年三月十五日, or a 模板版's X年X月X日.
bool is_date_line(std::string_view paragraph) {
  const std::string_view s = text::trim(paragraph);
  constexpr std::u32string_view kYearNumerals = U"〇○零Ｏ一二三四五六七八九";
  constexpr std::u32string_view kX = U"XＸ";
  std::size_t pos = 0;
  const auto number = [&](std::u32string_view numerals, std::size_t most) {
    const std::size_t start = pos;
    for (auto set : {kDigits, numerals, kX}) {
      pos = start;
      const std::size_t read = skip_any_of(s, pos, set);
      if (read > 0 && (read <= most || set == kX)) return true;
    }
    return false;
  };
  return number(kYearNumerals, 4) && skip_word(s, pos, {"年"}) && number(kChineseNumerals, 3) &&
         skip_word(s, pos, {"月"}) && number(kChineseNumerals, 3) && skip_word(s, pos, {"日"}) &&
         pos == s.size();
}

// 发文机关署名 before a date: a short line with no sentence punctuation.
bool is_signature_line(std::string_view paragraph) {
  const std::string_view s = text::trim(paragraph);
  if (s.empty() || text::count_code_points(s) > 24) return false;
  for (std::string_view mark : {"。", "，", "；", "：", "！", "？", "、"}) {
    if (s.find(mark) != std::string_view::npos) return false;
  }
  return true;
}

// A line that opens a speech under its title: "——在…上的讲话", or a date in brackets
// "（2024年3月15日）" (what else it holds, a place or a speaker, at most 40 characters).
bool is_opening_line(std::string_view paragraph) {
  const std::string_view s = text::trim(paragraph);
  if (s.starts_with("——")) return true;
  const bool bracketed =
      (s.starts_with("（") || s.starts_with("(")) && (s.ends_with("）") || s.ends_with(")"));
  return bracketed && text::count_code_points(s) <= 40 && s.find("年") != std::string_view::npos &&
         s.find("月") != std::string_view::npos && s.find("日") != std::string_view::npos;
}

// ---- the parts --------------------------------------------------------------------------

pugi::xml_node word_root(Part& part) {
  auto root = part.root();
  root.append_attribute("xmlns:w") = kWordNamespace;
  root.append_attribute("xmlns:r") = kRelationshipNamespace;
  return root;
}

pugi::xml_node add_paragraph(pugi::xml_node body, const char* style) {
  auto p = body.append_child("w:p");
  add_value(p.append_child("w:pPr"), "w:pStyle", style);
  return p;
}

void add_title(pugi::xml_node body, std::string_view title) {
  add_runs(add_paragraph(body, "Title"), title, kTitleFont, false);
}

// The section: page size, margins, footers, the line grid.
void add_section(pugi::xml_node body, bool landscape) {
  auto section = body.append_child("w:sectPr");
  add_attributes(section, "w:footerReference", {{"w:type", "default"}, {"r:id", "rIdFooterOdd"}});
  add_attributes(section, "w:footerReference", {{"w:type", "even"}, {"r:id", "rIdFooterEven"}});
  if (landscape) {
    add_attributes(section, "w:pgSz",
                   {{"w:w", std::to_string(kWordPageHeight)},
                    {"w:h", std::to_string(kWordPageWidth)},
                    {"w:orient", "landscape"}});
  } else {
    add_attributes(
        section, "w:pgSz",
        {{"w:w", std::to_string(kWordPageWidth)}, {"w:h", std::to_string(kWordPageHeight)}});
  }
  // Landscape keeps the margins' sizes, turned with the page: the binding edge on top.
  add_attributes(section, "w:pgMar",
                 {{"w:top", std::to_string(landscape ? kWordMarginLeft : kWordMarginTop)},
                  {"w:right", std::to_string(landscape ? kWordMarginBottom : kWordMarginRight)},
                  {"w:bottom", std::to_string(landscape ? kWordMarginRight : kWordMarginBottom)},
                  {"w:left", std::to_string(landscape ? kWordMarginTop : kWordMarginLeft)},
                  {"w:header", "851"},
                  {"w:footer", std::to_string(landscape ? kWordMarginRight - 397 - kPageNumberChar
                                                        : kFooterDistance)},
                  {"w:gutter", "0"}});
  add_attributes(section, "w:cols", {{"w:space", "425"}});
  add_attributes(section, "w:docGrid",
                 {{"w:type", "lines"}, {"w:linePitch", std::to_string(kWordLinePitch)}});
}

// The body of a text: title, opening lines, paragraphs with their headings, closing block.
std::string document_part(const WordText& t) {
  Part part("w:document");
  auto body = word_root(part).append_child("w:body");
  add_title(body, t.title);
  const auto paragraphs = doc::paragraphs(t.text);
  std::vector<bool> is_heading(paragraphs.size(), false);
  for (const auto& item : t.outline) {
    if (item.para < is_heading.size()) is_heading[item.para] = true;
  }
  const std::size_t n = paragraphs.size();
  const bool dated = n >= 2 && is_date_line(paragraphs[n - 1]);
  const bool signed_off = dated && n >= 3 && is_signature_line(paragraphs[n - 2]);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view paragraph = paragraphs[i];
    if (i < 3 && is_opening_line(paragraph) && (i == 0 || is_opening_line(paragraphs[i - 1]))) {
      add_runs(add_paragraph(body, "Subtitle"), paragraph, kKaiFont, false);
      continue;
    }
    if (dated && i == n - 1) {
      add_runs(add_paragraph(body, "Date"), paragraph, kTextFont, false);
      continue;
    }
    if (signed_off && i == n - 2) {
      // Centred over the date: its right edge as far in from the date's as half the
      // difference of their widths.
      auto p = add_paragraph(body, "Signature");
      const int date_chars = static_cast<int>(text::count_code_points(paragraphs[n - 1]));
      const int chars = static_cast<int>(text::count_code_points(paragraph));
      const int in = std::max(0, 400 + (date_chars - chars) * 50);  // hundredths of a character
      add_attributes(p.child("w:pPr"), "w:ind",
                     {{"w:rightChars", std::to_string(in)},
                      {"w:right", std::to_string(in * kTextChar / 100)}});
      add_runs(p, paragraph, kTextFont, false);
      continue;
    }
    const int style = is_heading[i] ? heading_style(paragraph) : 0;
    if (style == 0) {
      add_runs(add_paragraph(body, "BodyText"), paragraph, kTextFont, false);
      continue;
    }
    auto p = add_paragraph(body, fmt::format("Heading{}", style).c_str());
    const std::size_t phrase = heading_phrase_size(paragraph);
    // A heading line is not left alone at the foot of a page.
    if (phrase == paragraph.size()) p.child("w:pPr").append_child("w:keepNext");
    add_runs(p, paragraph.substr(0, phrase), heading_font(style), false);
    add_runs(p, paragraph.substr(phrase), kTextFont, true);
  }
  add_section(body, false);
  return part.bytes();
}

void add_table_cell(pugi::xml_node row, std::string_view text, int width, bool header) {
  auto cell = row.append_child("w:tc");
  add_attributes(cell.append_child("w:tcPr"), "w:tcW",
                 {{"w:w", std::to_string(width)}, {"w:type", "dxa"}});
  add_runs(add_paragraph(cell, header ? "TableHeading" : "TableText"), text,
           header ? kHeiFont : kTextFont, false);
}

std::string tasks_part(std::string_view title, const std::vector<doc::TaskRow>& rows) {
  Part part("w:document");
  auto body = word_root(part).append_child("w:body");
  add_title(body, fmt::format("{}任务分解表", title));
  auto table = body.append_child("w:tbl");
  auto properties = table.append_child("w:tblPr");
  add_value(properties, "w:tblStyle", "TableGrid");
  add_attributes(properties, "w:tblW", {{"w:w", "5000"}, {"w:type", "pct"}});
  add_attributes(properties, "w:tblLayout", {{"w:type", "fixed"}});
  // The landscape block's width shared out among the columns: the numbers wide enough for
  // two characters (序号, 段落) and the cell margins, the task widest.
  static constexpr int kShares[] = {55, 115, 240, 90, 100, 100, 90, 90, 55};
  static constexpr int kBlockWidth = kWordPageHeight - kWordMarginTop - kWordMarginBottom;
  int widths[std::size(kShares)];
  int total_shares = 0;
  for (int share : kShares) total_shares += share;
  auto grid = table.append_child("w:tblGrid");
  for (std::size_t c = 0; c < std::size(kShares); ++c) {
    widths[c] = kBlockWidth * kShares[c] / total_shares;
    add_attributes(grid, "w:gridCol", {{"w:w", std::to_string(widths[c])}});
  }
  const auto& columns = task_columns();
  auto header = table.append_child("w:tr");
  add_value(header.append_child("w:trPr"), "w:tblHeader", "1");
  for (std::size_t c = 0; c < columns.size(); ++c) {
    add_table_cell(header, columns[c], widths[c], true);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto row = table.append_child("w:tr");
    add_value(row.append_child("w:trPr"), "w:cantSplit", "1");
    const auto cells = task_cells(rows[r], r);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      add_table_cell(row, cells[c], widths[c], false);
    }
  }
  body.append_child("w:p");  // Word needs a paragraph after a table
  add_section(body, true);
  return part.bytes();
}

// A footer: "— N —" in 4号 宋体, right-aligned on odd pages and left-aligned on even ones, one
// character in.
std::string footer_part(bool odd) {
  Part part("w:ftr");
  auto p = word_root(part).append_child("w:p");
  auto ppr = p.append_child("w:pPr");
  add_value(ppr, "w:pStyle", "Footer");
  add_attributes(ppr, "w:ind",
                 {{odd ? "w:right" : "w:left", std::to_string(kPageNumberChar)},
                  {odd ? "w:rightChars" : "w:leftChars", "100"}});
  add_value(ppr, "w:jc", odd ? "right" : "left");
  const auto run = [&p] { return p.append_child("w:r"); };
  add_text(run(), "— ");
  add_attributes(run(), "w:fldChar", {{"w:fldCharType", "begin"}});
  {
    auto instruction = run().append_child("w:instrText");
    instruction.append_attribute("xml:space") = "preserve";
    instruction.text().set(" PAGE ");
  }
  add_attributes(run(), "w:fldChar", {{"w:fldCharType", "separate"}});
  add_text(run(), "1");
  add_attributes(run(), "w:fldChar", {{"w:fldCharType", "end"}});
  add_text(run(), " —");
  return part.bytes();
}

// A style `id` of `type` named `name` (Word recognises its built-in styles by name), and the
// style of the paragraph after it when `next` is not empty. Its pPr and rPr come after.
pugi::xml_node add_style(pugi::xml_node styles, const char* type, const char* id, const char* name,
                         const char* based_on = "Normal", const char* next = "") {
  auto style = styles.append_child("w:style");
  style.append_attribute("w:type") = type;
  style.append_attribute("w:styleId") = id;
  add_value(style, "w:name", name);
  if (based_on[0] != '\0') add_value(style, "w:basedOn", based_on);
  if (next[0] != '\0') add_value(style, "w:next", next);
  add_value(style, "w:qFormat", "1");
  return style;
}

void set_no_bold(pugi::xml_node rpr) {
  add_value(rpr, "w:b", "0");
  add_value(rpr, "w:bCs", "0");
}

std::string styles_part() {
  Part part("w:styles");
  auto styles = word_root(part);
  {
    auto defaults = styles.append_child("w:docDefaults");
    auto rpr = defaults.append_child("w:rPrDefault").append_child("w:rPr");
    add_fonts(rpr, kTextFont);
    add_size(rpr, kWordTextSize);
    add_attributes(rpr, "w:lang",
                   {{"w:val", "en-US"}, {"w:eastAsia", "zh-CN"}, {"w:bidi", "ar-SA"}});
    defaults.append_child("w:pPrDefault").append_child("w:pPr");
  }
  {
    auto normal = add_style(styles, "paragraph", "Normal", "Normal", "");
    normal.append_attribute("w:default") = "1";
    auto ppr = normal.append_child("w:pPr");
    // Every page holds its 22 lines: no line moves on to keep two of a paragraph together.
    add_value(ppr, "w:widowControl", "0");
    add_line_spacing(ppr);
    add_value(ppr, "w:jc", "both");
    auto rpr = normal.append_child("w:rPr");
    add_fonts(rpr, kTextFont);
    add_value(rpr, "w:spacing", std::to_string(kWordCharacterSqueeze));
    add_size(rpr, kWordTextSize);
  }
  {
    auto body_text = add_style(styles, "paragraph", "BodyText", "Body Text");
    add_first_line_indent(body_text.append_child("w:pPr"));
  }
  {
    auto title = add_style(styles, "paragraph", "Title", "Title");
    auto ppr = title.append_child("w:pPr");
    add_value(ppr, "w:jc", "center");
    add_value(ppr, "w:outlineLvl", "9");  // not a level of the outline: the document itself
    auto rpr = title.append_child("w:rPr");
    add_fonts(rpr, kTitleFont);
    set_no_bold(rpr);
    add_size(rpr, kWordTitleSize);
  }
  {
    auto subtitle = add_style(styles, "paragraph", "Subtitle", "Subtitle");
    add_value(subtitle.append_child("w:pPr"), "w:jc", "center");
    auto rpr = subtitle.append_child("w:rPr");
    add_fonts(rpr, kKaiFont);
    set_no_bold(rpr);
  }
  for (int level = 1; level <= 4; ++level) {
    const std::string id = fmt::format("Heading{}", level);
    const std::string name = fmt::format("heading {}", level);
    auto heading = add_style(styles, "paragraph", id.c_str(), name.c_str(), "Normal", "BodyText");
    auto ppr = heading.append_child("w:pPr");
    add_first_line_indent(ppr);
    add_value(ppr, "w:outlineLvl", std::to_string(level - 1));
    auto rpr = heading.append_child("w:rPr");
    add_fonts(rpr, heading_font(level));
    set_no_bold(rpr);
  }
  {
    auto date = add_style(styles, "paragraph", "Date", "Date");
    auto ppr = date.append_child("w:pPr");
    add_attributes(ppr, "w:ind",
                   {{"w:rightChars", "400"}, {"w:right", std::to_string(4 * kTextChar)}});
    add_value(ppr, "w:jc", "right");
  }
  {
    auto signature = add_style(styles, "paragraph", "Signature", "Signature");
    add_value(signature.append_child("w:pPr"), "w:jc", "right");
  }
  {
    auto footer = add_style(styles, "paragraph", "Footer", "footer");
    auto ppr = footer.append_child("w:pPr");
    add_value(ppr, "w:snapToGrid", "0");
    add_attributes(ppr, "w:spacing", {{"w:line", "240"}, {"w:lineRule", "auto"}});
    auto rpr = footer.append_child("w:rPr");
    add_chinese_only_fonts(rpr, kSongFont);
    add_value(rpr, "w:spacing", "0");
    add_size(rpr, kWordPageNumberSize);
  }
  for (const bool header : {true, false}) {
    auto cell = add_style(styles, "paragraph", header ? "TableHeading" : "TableText",
                          header ? "Table Heading" : "Table Text");
    auto ppr = cell.append_child("w:pPr");
    add_value(ppr, "w:snapToGrid", "0");
    add_attributes(ppr, "w:spacing", {{"w:line", "240"}, {"w:lineRule", "auto"}});
    add_value(ppr, "w:jc", header ? "center" : "left");
    auto rpr = cell.append_child("w:rPr");
    add_fonts(rpr, header ? kHeiFont : kTextFont);
    add_value(rpr, "w:spacing", "0");
    add_size(rpr, kTableTextSize);
  }
  {
    auto table_normal = add_style(styles, "table", "TableNormal", "Normal Table", "");
    table_normal.append_attribute("w:default") = "1";
    auto margins = table_normal.append_child("w:tblPr").append_child("w:tblCellMar");
    add_attributes(margins, "w:left", {{"w:w", "108"}, {"w:type", "dxa"}});
    add_attributes(margins, "w:right", {{"w:w", "108"}, {"w:type", "dxa"}});
  }
  {
    auto grid = add_style(styles, "table", "TableGrid", "Table Grid", "TableNormal");
    auto borders = grid.append_child("w:tblPr").append_child("w:tblBorders");
    for (const char* side : {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"}) {
      add_attributes(borders, side,
                     {{"w:val", "single"}, {"w:sz", "4"}, {"w:space", "0"}, {"w:color", "auto"}});
    }
  }
  return part.bytes();
}

// How a font is found where it is not installed: its other names (w:altName, a comma-separated
// list) and its class (PANOSE, charset 86 = GB2312).
struct FontEntry {
  const char* name;
  const char* alternates;
  const char* panose;
  const char* family;
  const char* pitch;
};

std::string font_table_part() {
  static constexpr FontEntry kFonts[] = {
      {kLatinFont, "", "02020603050405020304", "roman", "variable"},
      {kTextFont, "仿宋,FangSong,STFangsong,华文仿宋", "02010609030101010101", "modern", "fixed"},
      {kTitleFont, "方正小标宋_GBK,华文中宋,STZhongsong,宋体,SimSun", "02000000000000000000",
       "script", "variable"},
      {kHeiFont, "SimHei,STHeiti,华文黑体", "02010609060101010101", "modern", "fixed"},
      {kKaiFont, "楷体,KaiTi,STKaiti,华文楷体", "02010609030101010101", "modern", "fixed"},
      {kSongFont, "SimSun,STSong,华文宋体", "02010600030101010101", "auto", "variable"},
  };
  Part part("w:fonts");
  auto fonts = word_root(part);
  for (const FontEntry& entry : kFonts) {
    auto font = fonts.append_child("w:font");
    font.append_attribute("w:name") = entry.name;
    if (entry.alternates[0] != '\0') add_value(font, "w:altName", entry.alternates);
    add_value(font, "w:panose1", entry.panose);
    add_value(font, "w:charset", std::string_view(entry.name) == kLatinFont ? "00" : "86");
    add_value(font, "w:family", entry.family);
    add_value(font, "w:pitch", entry.pitch);
  }
  return part.bytes();
}

std::string settings_part() {
  Part part("w:settings");
  auto settings = word_root(part);
  // In the order of the schema (Word refuses elements out of order).
  add_value(settings, "w:defaultTabStop", "420");
  settings.append_child("w:evenAndOddHeaders");
  // Punctuation keeps its full width: 28 characters to every line.
  add_value(settings, "w:characterSpacingControl", "doNotCompress");
  auto compat = settings.append_child("w:compat");
  add_attributes(compat, "w:compatSetting",
                 {{"w:name", "compatibilityMode"},
                  {"w:uri", "http://schemas.microsoft.com/office/word"},
                  {"w:val", "15"}});
  add_attributes(settings, "w:themeFontLang", {{"w:val", "en-US"}, {"w:eastAsia", "zh-CN"}});
  return part.bytes();
}

std::string content_types_part() {
  Part part("Types");
  auto types = part.root();
  types.append_attribute("xmlns") = "http://schemas.openxmlformats.org/package/2006/content-types";
  add_attributes(types, "Default",
                 {{"Extension", "rels"},
                  {"ContentType", "application/vnd.openxmlformats-package.relationships+xml"}});
  add_attributes(types, "Default", {{"Extension", "xml"}, {"ContentType", "application/xml"}});
  const std::string word = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
  for (const auto& [name, type] : std::initializer_list<std::pair<const char*, std::string>>{
           {"/word/document.xml", word + "document.main+xml"},
           {"/word/styles.xml", word + "styles+xml"},
           {"/word/settings.xml", word + "settings+xml"},
           {"/word/fontTable.xml", word + "fontTable+xml"},
           {"/word/footer1.xml", word + "footer+xml"},
           {"/word/footer2.xml", word + "footer+xml"},
           {"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
           {"/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml"}}) {
    add_attributes(types, "Override", {{"PartName", name}, {"ContentType", type}});
  }
  return part.bytes();
}

std::string relationships_part(
    std::initializer_list<std::tuple<const char*, const char*, const char*>> relationships) {
  Part part("Relationships");
  auto root = part.root();
  root.append_attribute("xmlns") = "http://schemas.openxmlformats.org/package/2006/relationships";
  for (const auto& [id, type, target] : relationships) {
    add_attributes(root, "Relationship", {{"Id", id}, {"Type", type}, {"Target", target}});
  }
  return part.bytes();
}

constexpr const char* kOfficeRelationships =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

std::string package_relationships() {
  const std::string office = kOfficeRelationships;
  const std::string document = office + "officeDocument";
  const std::string app = office + "extended-properties";
  return relationships_part(
      {{"rId1", document.c_str(), "word/document.xml"},
       {"rId2",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml"},
       {"rId3", app.c_str(), "docProps/app.xml"}});
}

std::string document_relationships() {
  const std::string office = kOfficeRelationships;
  const std::string styles = office + "styles";
  const std::string settings = office + "settings";
  const std::string fonts = office + "fontTable";
  const std::string footer = office + "footer";
  return relationships_part({{"rIdStyles", styles.c_str(), "styles.xml"},
                             {"rIdSettings", settings.c_str(), "settings.xml"},
                             {"rIdFonts", fonts.c_str(), "fontTable.xml"},
                             {"rIdFooterOdd", footer.c_str(), "footer1.xml"},
                             {"rIdFooterEven", footer.c_str(), "footer2.xml"}});
}

// docProps/core.xml: the title, and `date` (YYYY-MM-DD or YYYY) as the creation date.
std::string core_part(std::string_view title, std::string_view date) {
  Part part("cp:coreProperties");
  auto root = part.root();
  root.append_attribute("xmlns:cp") =
      "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
  root.append_attribute("xmlns:dc") = "http://purl.org/dc/elements/1.1/";
  root.append_attribute("xmlns:dcterms") = "http://purl.org/dc/terms/";
  root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
  root.append_child("dc:title").text().set(std::string(title).c_str());
  root.append_child("dc:language").text().set("zh-CN");
  static const std::regex kDay("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
  static const std::regex kYear("^[0-9]{4}$");
  const std::string day(date);
  std::string created;
  if (std::regex_match(day, kDay)) created = day + "T00:00:00Z";
  if (std::regex_match(day, kYear)) created = day + "-01-01T00:00:00Z";
  if (!created.empty()) {
    auto node = root.append_child("dcterms:created");
    node.append_attribute("xsi:type") = "dcterms:W3CDTF";
    node.text().set(created.c_str());
  }
  return part.bytes();
}

std::string app_part() {
  Part part("Properties");
  auto root = part.root();
  root.append_attribute("xmlns") =
      "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";
  root.append_child("Application").text().set("Wenku");
  return part.bytes();
}

// A ZIP archive written in memory: the parts are added in order and stay owned by the
// caller until bytes() returns.
class ZipWriter {
 public:
  ZipWriter() {
    zip_error_t error;
    zip_error_init(&error);
    source_ = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (source_ != nullptr) {
      archive_ = zip_open_from_source(source_, ZIP_TRUNCATE, &error);
      if (archive_ == nullptr) zip_source_free(source_);
    }
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (archive_ == nullptr) throw std::runtime_error("docx: cannot start an archive: " + reason);
    zip_source_keep(source_);  // read after zip_close
  }
  ~ZipWriter() {
    if (archive_ != nullptr) zip_discard(archive_);
    zip_source_free(source_);
  }
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  void add(const char* name, const std::string& bytes) {
    zip_source_t* part = zip_source_buffer(archive_, bytes.data(), bytes.size(), 0);
    if (part == nullptr || zip_file_add(archive_, name, part, ZIP_FL_ENC_UTF_8) < 0) {
      if (part != nullptr) zip_source_free(part);
      throw std::runtime_error(
          fmt::format("docx: cannot add {}: {}", name, zip_strerror(archive_)));
    }
  }

  std::string bytes() {
    if (zip_close(archive_) < 0) {
      throw std::runtime_error(fmt::format("docx: cannot write: {}", zip_strerror(archive_)));
    }
    archive_ = nullptr;
    if (zip_source_open(source_) < 0 || zip_source_seek(source_, 0, SEEK_END) < 0) {
      throw std::runtime_error("docx: cannot read the archive back");
    }
    const zip_int64_t size = zip_source_tell(source_);
    std::string out(static_cast<std::size_t>(std::max<zip_int64_t>(size, 0)), '\0');
    zip_source_seek(source_, 0, SEEK_SET);
    const zip_int64_t read = zip_source_read(source_, out.data(), out.size());
    zip_source_close(source_);
    if (size < 0 || read != size) throw std::runtime_error("docx: cannot read the archive back");
    return out;
  }

 private:
  zip_source_t* source_ = nullptr;
  zip_t* archive_ = nullptr;
};

// The .docx archive of `document` (word/document.xml) with the parts every export shares.
std::string package(const std::string& document, std::string_view title, std::string_view date) {
  const std::string parts[] = {content_types_part(),
                               package_relationships(),
                               core_part(title, date),
                               app_part(),
                               document,
                               document_relationships(),
                               styles_part(),
                               settings_part(),
                               font_table_part(),
                               footer_part(true),
                               footer_part(false)};
  static constexpr const char* kNames[] = {
      "[Content_Types].xml", "_rels/.rels",       "docProps/core.xml",
      "docProps/app.xml",    "word/document.xml", "word/_rels/document.xml.rels",
      "word/styles.xml",     "word/settings.xml", "word/fontTable.xml",
      "word/footer1.xml",    "word/footer2.xml"};
  ZipWriter zip;
  for (std::size_t i = 0; i < std::size(parts); ++i) zip.add(kNames[i], parts[i]);
  return zip.bytes();
}

}  // namespace

std::string word_document(const WordText& t) { return package(document_part(t), t.title, t.date); }

std::string word_tasks(std::string_view title, const std::vector<doc::TaskRow>& rows) {
  return package(tasks_part(title, rows), fmt::format("{}任务分解表", title), "");
}

}  // namespace wenku::io
