// Outline (提纲) extraction: the headings of a Chinese official text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"

namespace wenku::doc {

struct OutlineItem {
  int level = 1;     // 1 for the outermost heading system, 2 for one nested in it, …
  std::string text;  // the heading phrase, its number marker included ("一、2023年工作回顾")
  std::size_t para = 0;  // 0-based index of its paragraph in paragraphs(d.content)
};

// Returns the headings of `d`, in text order: its structure, never its body (the outline is
// free for guests, who may read only the preview of the text). A heading is a paragraph that
// starts with a number marker of one of these systems:
//   一、  （一） (一)  1. 1． 1、  （1） (1)          — reports, plans, summaries
//   第一编 第一分编 第一部分 第一章 第一节            — laws and long reports
//   一是 … 二是   一要 … 二要   第一， 第二，   首先 其次 再次 最后   — speeches
// The articles of a law or regulation (第一条, 第12条) are its body, not headings: an article
// and every numbered paragraph after it up to the next 编, 分编, 部分, 章 or 节 (the items
// of articles, lists after the last article) are left out and take no part in the numbering.
// Each system is a separate numbering. A heading counts only when its numbering is
// consecutive: item n > 1 must follow item n-1 of the same system (最后 follows item 2 or
// later), and item 1 only counts when the next item of its system is item 2 (lists of the
// same system nested in between aside), so a stray 二是, or the 首先 … 最后 that open and
// close a speech, are not headings. A numbered paragraph ending in
// ；is an enumeration item, not a heading, and breaks its system's numbering. When item n
// starts a paragraph and item n-1 is a later sentence of one of the two paragraphs before
// ("…挑战。一是…" then "二是…"), item n-1 is a heading of that paragraph, its text taken
// from the marker on.
// A 一、 heading alone in its text (no other paragraph opens with 一、 … 二、 …, not even in
// a law's articles: an excerpt, or a text cut short) is
// a heading when it has heading shape: the marker then a phrase of at most 40 characters
// (the paragraph), with no sentence end (。！？；：) before its last character, not starting
// with a Chinese numeral (一、二等奖…) and not ending in ；. The items under it (一要 …) nest in
// it. Levels nest by order of appearance: a system not yet open becomes a child of the last
// heading's system; one already open closes the systems nested inside it.
// The text is the marker and the heading phrase: the paragraph up to its first 。：；！？
// (all of it when it has none); a marker that stands alone in its paragraph ("一要",
// "第一，") is joined with the phrase of the next paragraph. Whatever the system, the text
// has at most 40 characters (code points), so a phrase that is a whole sentence ("一是…。")
// shows no more than its start: a longer text is cut back to its last ， or 、 after the
// marker within the first 40 characters, else cut at 40 characters, never inside a UTF-8
// sequence.
std::vector<OutlineItem> extract_outline(const Document& d);

// The byte length of the heading number marker that `s` starts with (any system above, or an
// article's 第一条, with the comma or colon after it: "（二）", "一是", "第一，", "首先，"), 0 when
// it has none.
std::size_t heading_marker_size(std::string_view s);

// The number marker that `s` starts with, as a list item: `system` tells the numbering systems
// above apart (equal for 一是 and 三是, different for 一是 and 一要), `number` is the item's
// number (0 for 最后, which continues any list), `size` the marker's byte length with the
// comma or colon after it. nullopt without a marker, and for an article (第一条).
struct ListMarker {
  int system = 0;
  int number = 0;
  std::size_t size = 0;
};
std::optional<ListMarker> list_marker(std::string_view s);

// The heading text extract_outline gives a paragraph `s` that starts a heading: the marker (if
// any) and the phrase up to the first 。：；！？, at most 40 characters, cut as described
// above. For a paragraph without a marker, its first phrase so cut.
std::string heading_text(std::string_view s);

}  // namespace wenku::doc
