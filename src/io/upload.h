// Reading one uploaded file (the admin upload form) into documents, in memory, by type.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "io/import.h"

namespace wenku::io {

// The file types read by parse_upload (and by import_files, which also streams
// .jsonl.zst), chosen by the file name's extension, case-insensitively.
enum class FileFormat {
  kPlainText,  // .txt .md
  kHtml,       // .html .htm
  kDocx,       // .docx
  kJsonLines,  // .jsonl
  kUnsupported,
};

// The format of a file named `file_name` (a path or a bare name).
FileFormat format_of_file(std::string_view file_name);

// Largest accepted .jsonl upload, in bytes (each record is still at most kMaxDocumentBytes).
inline constexpr std::size_t kMaxJsonLinesUploadBytes = 32 * 1024 * 1024;

// Largest accepted file of `format`, in bytes: kMaxDocumentBytes for plain text and HTML,
// kMaxDocxBytes for .docx, kMaxJsonLinesUploadBytes for JSON Lines, 0 for kUnsupported.
std::size_t max_file_bytes(FileFormat format);

// Parses a file that holds one document: parse_plain_text, parse_html or parse_docx for
// kPlainText, kHtml and kDocx. Requires one of those formats.
Parsed parse_document_file(FileFormat format, std::string_view bytes, std::string_view file_name);

struct UploadOptions {
  // Category given to documents that have none ("" leaves them 未分类).
  std::string category;
  // Provenance recorded for documents of the one-document formats (instead of the file
  // name, which an uploading browser chooses) and for JSON Lines records with an empty
  // source; "" keeps the file name.
  std::string source = "upload";
  // Cleans every document up (io::clean_up) as import_files does; false keeps the texts
  // as given.
  bool clean = true;
};

struct UploadResult {
  std::vector<doc::Document> documents;  // valid documents, in file order, each id once
  std::vector<ImportIssue> issues;       // why the file, or which of its records, was refused
  CleanupTally cleanup;                  // what clean_up changed in the documents
};

// Reads the uploaded file `file_name` with contents `bytes` by its format: a one-document
// format gives one document or one issue (line 0); JSON Lines gives a document per valid
// record and an issue per rejected one (its 1-based line; blank lines are skipped), just
// as import_files does, and cleans each document up unless `options.clean` is false; an id
// given by several records keeps the last one, at the place of the first (as import_files
// does within a batch). A file larger than max_file_bytes, or of an unsupported type, is one
// issue and no document. Every issue names `file_name`. Nothing is stored: the caller
// commits the documents (app::Ingest).
UploadResult parse_upload(std::string_view file_name, std::string_view bytes,
                          const UploadOptions& options = {});

}  // namespace wenku::io
