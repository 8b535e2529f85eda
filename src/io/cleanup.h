// Import clean-up of messy texts (copied from web pages, news sites and PDFs): a document's
// title, the news wrapping around its text and its flattened paragraphs are put back in the
// shape of a clean official text. Pure functions; every importer applies clean_up to each
// document it reads unless asked for the texts as given (io::ImportOptions::clean,
// io::UploadOptions::clean).
#pragma once

#include <cstddef>
#include <cstdint>

#include "doc/document.h"

namespace wenku::io {

// What clean_up changed in one document.
struct CleanupResult {
  bool title_fixed = false;    // the title was replaced by the text's own title line
  bool title_derived = false;  // the title was replaced by one derived from the text
  std::size_t paragraphs_before = 0;
  std::size_t paragraphs_after = 0;
  std::size_t lines_moved = 0;  // lines moved out of the text into source_note
  bool changed = false;         // title, content or source_note differ from the input
};

// clean_up's results summed over documents (one import file).
struct CleanupTally {
  std::uint64_t documents = 0;
  std::uint64_t changed = 0;
  std::uint64_t titles_fixed = 0;
  std::uint64_t titles_derived = 0;
  std::uint64_t texts_split = 0;        // documents with more paragraphs after than before
  std::uint64_t paragraphs_before = 0;  // of the split documents
  std::uint64_t paragraphs_after = 0;   // of the split documents
  std::uint64_t lines_moved = 0;

  void add(const CleanupResult& result);
};

// Cleans `d` (valid UTF-8; content in the doc::Document normal form) in place:
// - News wrapping leaves the text for `source_note` (its lines joined by '\n', in text order,
//   after the note `d` already had): datelines (新华社北京5月18日电, （新华社北京5月18日电）),
//   newspaper credits (《 人民日报 》（ 2020年05月19日 02 版）), photo captions with their credit
//   (…。 新华社记者 鞠鹏/摄, 新华社发), ※ notes, 来源/编辑/责任编辑 lines, and at the head of
//   the text the lines that repeat the title, its date and the speaker (在…上的讲话（2020年
//   11月24日）, 中华人民共和国主席 习近平, …※习近平), the label of a letter (回信, 贺信) and
//   a news lead before them or before the salutation (当地时间…发表讲话。…全文如下：).
//   A letter's signature and date stay in the text, as its last paragraphs.
// - A flattened paragraph (the only one of its text with 600 characters or more, or any of
//   2,000 or more; texts with two or more law articles 第…条 excepted) is split back into
//   paragraphs: at runs of two or more ideographic spaces, after the opening salutation
//   (同志们：, 尊敬的…：) and after …如下：, before and after a vocative (同志们！,
//   女士们、先生们、朋友们！), and before a heading marker of doc::heading_marker_size (一、 （一）
//   一是 一要 第一， 1. …, and 第一个问题：) or a dash item (——), each only where it follows a
//   sentence end (。！？ or ）”) and a marker only when the text has the marker before or after it
//   in the same system (一、 with 二、), so 一是 within a sentence, 一、二季度 and the articles of
//   a law stay as they are. An excerpt's attribution (（2020年2月5日在…上的讲话）), a lone section
//   numeral after it (二) and a letter's signature become paragraphs of their own.
// - A title that is a salutation, starts with a dateline, ends with …, or is the start of
//   the text is replaced: by the text's own title line when it has one (d.title_derived
//   becomes false), else by a title derived from the text (在…上的讲话 from a ※ note or an
//   opening 我们召开…会议, 关于《…》的说明, 给…的回信, 致…的贺信, a news headline, else
//   the first sentence) and d.title_derived becomes true. A replaced title that the text does not
//   hold is kept: a salutation as the text's first paragraph, anything else as the note's line
//   "原标题：…".
// Never drops a character of the text other than spaces around its lines: each ends up in
// the content or the note. Leaves the document as given when nothing but wrapping would
// remain of its text. Idempotent: cleaning a cleaned document changes nothing.
// Deterministic; thread-safe.
CleanupResult clean_up(doc::Document& d);

}  // namespace wenku::io
