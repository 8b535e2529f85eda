// Word (.docx) files laid out as GB/T 9704-2012 《党政机关公文格式》 prescribes. Written here
// (pugixml makes the XML parts, libzip the archive; no converter runs): no packaged library
// writes WordprocessingML, and what the national format needs (a line grid, East Asian fonts
// with fallbacks, odd and even page numbers) is a few parts of XML.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "doc/outline.h"
#include "doc/tasks.h"

namespace wenku::io {

// The page of GB/T 9704-2012 in twips (1/1440 inch, 1 mm = 56.7 twips): A4, 天头 (top margin)
// 37 mm, 订口 (left margin) 28 mm, a text block of 156 × 225 mm.
inline constexpr int kWordPageWidth = 11906;
inline constexpr int kWordPageHeight = 16838;
inline constexpr int kWordMarginTop = 2098;
inline constexpr int kWordMarginBottom = 1984;
inline constexpr int kWordMarginLeft = 1587;
inline constexpr int kWordMarginRight = 1474;
// 22 lines to the block: lines of exactly 579 twips (28.95 pt) on a line grid of that pitch,
// 22 × 579 = 12,738 of the block's 12,756 twips.
inline constexpr int kWordLinePitch = 579;
// 28 characters to the line: 3号 text is 16 pt (320 twips) a character, and 28 × 320 = 8,960
// twips is wider than the block's 8,845, so every character is set 5 twentieths of a point
// (0.25 pt) closer: 28 × 315 = 8,820 fits, 29 × 315 = 9,135 does not. Chosen over Word's
// character grid, which LibreOffice lays out only in its Asian layout mode.
inline constexpr int kWordCharacterSqueeze = -5;
// Half-points: 2号 (22 pt) for the title, 3号 (16 pt) for the text, 4号 (14 pt) for page
// numbers.
inline constexpr int kWordTitleSize = 44;
inline constexpr int kWordTextSize = 32;
inline constexpr int kWordPageNumberSize = 28;

// A text to lay out: what the viewer may read of a document (access::Readable), or its 模板版.
struct WordText {
  std::string_view title;
  std::string_view date;  // the document's date (YYYY-MM-DD, or YYYY), "" when unknown
  std::string_view text;  // paragraphs joined by '\n'
  std::span<const doc::OutlineItem> outline;  // the headings of `text` (their para indexes)
};

// The bytes of a .docx file of `t`:
// - the title in 2号 方正小标宋简体, centred; the file's title property is `title` and its
//   creation date `date`, so that `wenku import` reads both back;
// - each paragraph of `text` one paragraph in 3号 仿宋_GB2312, justified, its first line
//   indented two characters (a paragraph format of its own: never a document default, which
//   would indent table cells and page numbers too);
// - a paragraph that is an outline heading in the style of its number marker (Word's built-in
//   "heading 1" to "heading 4", by name, with their outline levels): 一、 (and 第一章 …) in
//   黑体, （一） (and 第一节) in 楷体_GB2312, 1. and （1） in 仿宋_GB2312, none bold; only the
//   heading phrase (up to its first 。！？；：) is in the heading's font, the rest of the
//   paragraph in the text's. Other markers (一是, 首先 …) stay body text;
// - the lines under the title that open a speech, a subtitle "——在…" or a date in brackets
//   "（2024年3月15日）", centred in 楷体_GB2312;
// - the closing block: a last paragraph that is a date (成文日期: 2024年3月15日, 二〇二四年三月
//   十五日, or X年X月X日 in a 模板版) right-aligned four characters in, and a short line
//   before it without sentence punctuation (发文机关署名) centred over the date;
// - Latin letters and digits in Times New Roman; quotation marks, dashes, ellipses and other
//   punctuation that Word could set in either font explicitly in the Chinese font;
// - page numbers "— 1 —" in 4号 宋体 7 mm below the text block, right-aligned one character
//   in on odd pages and left-aligned one character in on even pages;
// - fonts declared with the alternates and PANOSE classes by which Word and LibreOffice find
//   a stand-in on machines without the GB fonts (仿宋, FangSong, STFangsong …).
// The page is the one described by the kWord constants above. The paragraphs of the file are
// the title then the paragraphs of `text`, each as given (less the control characters XML
// cannot hold; a tab is Word's tab), so that importing the file gives back the same title and
// paragraphs (parse_docx reads a tab as a space).
std::string word_document(const WordText& t);

// The bytes of a .docx file of the 任务分解表 `rows` of the document titled `title`: a title
// "<title>任务分解表" as word_document sets titles, then a table of task_columns() (its
// header row repeated on every page, 黑体) and task_cells() in 仿宋_GB2312 小四, on A4
// landscape with the same fonts and page numbers.
std::string word_tasks(std::string_view title, const std::vector<doc::TaskRow>& rows);

}  // namespace wenku::io
