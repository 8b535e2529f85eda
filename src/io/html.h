// Importing HTML pages (a saved web page of a 公文, an exported article) as documents.
#pragma once

#include <string_view>

#include "io/import.h"

namespace wenku::io {

// Parses an HTML page's bytes with libxml2's forgiving HTML parser (no network access, no
// error output, broken markup recovered) into a document.
//
// Encoding: UTF-8 (a UTF-8 byte order mark is skipped) unless a <meta charset=…> or
// <meta http-equiv=Content-Type content="…; charset=…"> in the first 4 KiB names GBK,
// GB2312 or GB18030 (or a WHATWG alias of them), which are decoded as GB18030 with ICU.
// Undecodable bytes become U+FFFD as in a browser; a page where they make up more than a
// twentieth of the characters is refused as mis-encoded. NUL and other C0 control
// characters (except tab, CR, LF and FF) are dropped.
//
// Text: the text of script, style, noscript, iframe, nav, header, footer, template, svg,
// math, object, embed, select and button elements is dropped. Block elements (p, div, li,
// h1-h6, td, th, tr, blockquote, pre, section …) and <br> end paragraphs; inside a
// paragraph runs of whitespace and no-break spaces collapse to one space, except that a
// line break between two CJK characters is dropped (CSS Text's segment-break rule); a
// <br> inside a heading is such a line break. Each paragraph is trimmed of whitespace,
// no-break and ideographic (full-width) spaces; empty paragraphs are dropped. In <pre>
// each source line is a paragraph.
//
// Title: the text of <title>; but when the first <h1>'s text occurs within it (a site name
// appended, "关于…的通知_某某市人民政府"), that <h1>. Without <title> text, the first <h1>,
// else the first paragraph. The paragraph the title came from, or a first paragraph equal
// to it, is not repeated in the content. Markup in a title is never interpreted: the title
// and content are plain text.
//
// The id derives from `file_name`'s stem as for parse_plain_text; source = `file_name`;
// date, category and url are empty. Errors: input over kMaxDocumentBytes, a mis-encoded
// page, elements nested deeper than libxml2's limit of 256 (it stops reading there), no
// readable text (after dropping scripts, styles and navigation), no text after the title,
// or text over kMaxDocumentBytes.
Parsed parse_html(std::string_view bytes, std::string_view file_name);

}  // namespace wenku::io
