// Exports of one stored document: its 任务分解表 (task breakdown) as CSV, .xlsx or a Word
// table, its text and its 模板版 as plain text or as a GB/T 9704 Word file (io/word.h). Every
// export starts from what access::readable allowed the viewer; the functions here only narrow it
// further, never widen it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "access/visible.h"
#include "doc/analysis.h"
#include "doc/document.h"
#include "doc/tasks.h"
#include "doc/templater.h"

namespace wenku::io {

// The rows of `tasks` (doc::extract_tasks of the whole document `r` was made from) whose
// paragraphs (para to last_para: a row may draw its fields from a later sentence that assigns)
// lie wholly inside what the viewer may read (r.whole_paragraphs()): all of them when the text
// is complete, those of the guest preview's complete paragraphs otherwise.
std::vector<doc::TaskRow> visible_tasks(const access::Readable& r,
                                        const std::vector<doc::TaskRow>& tasks);

// The 模板版 of what the viewer may read: make_marked_template() of `r.text()`, the text and
// where each X stands. Made when shown, not stored: it is a copy of the whole text, and
// making, storing and reading it back for every document was a quarter of an import's store
// phase (3.5 of 14 s on the corpus).
doc::MarkedTemplate visible_template(const access::Readable& r, const doc::PlaceNames& places);

// A plain text file of `title` and `body` (paragraphs joined by '\n'): the title, then the
// body, each ended by '\n' — the shape `wenku import` reads back (first line = title).
std::string plain_text(std::string_view title, std::string_view body);

// The file name of an export of a document titled `title`: "<title>-<label>.<extension>"
// ("<title>.<extension>" when `label` is empty; labels such as 任务分解表, 模板版), the title
// trimmed, without the characters file systems refuse (/ \ : * ? " < > | and control
// characters) and cut to its first 60 characters; "<label>.<extension>" (文档 when there is
// no label either) when nothing of the title is left.
std::string export_file_name(std::string_view title, std::string_view label,
                             std::string_view extension);

// `rows` as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted,
// quotes doubled) with a UTF-8 byte order mark so that Excel reads the Chinese text; a cell
// starting with = + - @, a tab or a carriage return starts with ' (never run as a formula). A
// header line of task_columns(), then one line per row; partners are joined with 、 and the
// paragraph is 1-based.
std::string tasks_csv(const std::vector<doc::TaskRow>& rows);

// `rows` as an .xlsx workbook (the bytes of the file): one sheet 任务分解表 with the same
// header and cells as tasks_csv, `title` in the workbook's properties. Written with
// libxlsxwriter through a temporary file. Throws std::runtime_error when that fails.
std::string tasks_xlsx(const std::vector<doc::TaskRow>& rows, std::string_view title);

// The GB/T 9704 .docx (io::word_document) of the text `r` holds with its outline, or of its
// 模板版 (visible_template, with `places`) when `template_version`: titled as `r`, dated with
// r.date(). Only for a viewer who reads the whole text (r.complete()): throws
// std::logic_error otherwise, as nobody may take home what they may not read.
std::string text_docx(const access::Readable& r, bool template_version,
                      const doc::PlaceNames& places);

}  // namespace wenku::io
