// Importing Word documents (.docx, Office Open XML WordprocessingML) as documents.
#pragma once

#include <cstddef>
#include <string_view>

#include "io/import.h"

namespace wenku::io {

// Largest accepted .docx file, in bytes.
inline constexpr std::size_t kMaxDocxBytes = 32 * 1024 * 1024;
// Largest accepted uncompressed size of any one entry of a .docx archive.
inline constexpr std::size_t kMaxDocxEntryBytes = 64 * 1024 * 1024;
// Largest accepted uncompressed size of all the entries of a .docx archive together.
inline constexpr std::size_t kMaxDocxTotalBytes = 8 * kMaxDocxBytes;

// Parses a .docx file's bytes (a ZIP archive, read in memory with libzip) into a document.
//
// Text comes from word/document.xml (parsed with pugixml; the WordprocessingML namespace
// may be bound to any prefix): each w:p is a paragraph made of its w:t text, w:tab (and
// w:ptab) as a space, w:noBreakHyphen as "-"; w:br and w:cr start a new paragraph. Each
// table cell (w:tc) is one paragraph, its own paragraphs joined by spaces. Deleted text
// (w:del), field codes (w:instrText) and the fallback copy of alternate content
// (mc:Fallback) are skipped. Paragraphs are trimmed (ASCII and ideographic spaces), other
// control characters become spaces, and empty paragraphs are dropped. Headers, footers,
// footnotes and comments (separate parts) are not read.
//
// Title: the dc:title of docProps/core.xml when non-empty, else the first paragraph; the first
// paragraph is not repeated in the content when it is the title. Date: the YYYY-MM-DD part of
// dcterms:created when present and valid, else "". A missing or broken core.xml is ignored. The id
// derives from `file_name`'s stem as for parse_plain_text; source = `file_name`.
//
// Errors (nothing is returned but the reason): input over kMaxDocxBytes; not a ZIP archive
// or a truncated or damaged one; an entry whose uncompressed size exceeds
// kMaxDocxEntryBytes or entries together exceeding kMaxDocxTotalBytes (by their declared
// sizes, and by the bytes actually inflated); no word/document.xml or an encrypted one;
// invalid XML, a DTD (forbidden in Office Open XML, and the means of entity-expansion
// bombs), or not WordprocessingML; invalid UTF-8 or NUL in the text; no text; no text
// after the title; text over kMaxDocumentBytes.
Parsed parse_docx(std::string_view bytes, std::string_view file_name);

}  // namespace wenku::io
