// parse_upload: one uploaded file -> documents and issues, dispatched by file type.
#include "io/upload.h"

#include <filesystem>

#include "base/string_map.h"
#include "io/cleanup.h"
#include "io/docx.h"
#include "io/html.h"
#include "io/line_reader.h"
#include "io/validate.h"

namespace wenku::io {

FileFormat format_of_file(std::string_view file_name) {
  const std::string extension =
      detail::ascii_lower(std::filesystem::path(file_name).extension().string());
  if (extension == ".txt" || extension == ".md") return FileFormat::kPlainText;
  if (extension == ".html" || extension == ".htm") return FileFormat::kHtml;
  if (extension == ".docx") return FileFormat::kDocx;
  if (extension == ".jsonl") return FileFormat::kJsonLines;
  return FileFormat::kUnsupported;
}

std::size_t max_file_bytes(FileFormat format) {
  switch (format) {
    case FileFormat::kPlainText:
    case FileFormat::kHtml:
      return kMaxDocumentBytes;
    case FileFormat::kDocx:
      return kMaxDocxBytes;
    case FileFormat::kJsonLines:
      return kMaxJsonLinesUploadBytes;
    case FileFormat::kUnsupported:
      break;
  }
  return 0;
}

Parsed parse_document_file(FileFormat format, std::string_view bytes, std::string_view file_name) {
  switch (format) {
    case FileFormat::kHtml:
      return parse_html(bytes, file_name);
    case FileFormat::kDocx:
      return parse_docx(bytes, file_name);
    case FileFormat::kPlainText:
      return parse_plain_text(bytes, file_name);
    case FileFormat::kJsonLines:
    case FileFormat::kUnsupported:
      break;
  }
  return Parsed{std::nullopt, "not a file type that holds one document"};
}

UploadResult parse_upload(std::string_view file_name, std::string_view bytes,
                          const UploadOptions& options) {
  UploadResult result;
  auto reject = [&](std::size_t line, std::string reason) {
    result.issues.push_back(ImportIssue{std::string(file_name), line, std::move(reason)});
  };
  StringMap<std::size_t> slot_of_id;  // where each id's document is in result.documents
  auto accept = [&](std::size_t line, Parsed parsed, bool whole_file) {
    if (!parsed.doc) return reject(line, std::move(parsed.error));
    doc::Document& d = *parsed.doc;
    if (d.category.empty()) d.category = options.category;
    if (!options.source.empty() && (whole_file || d.source.empty())) d.source = options.source;
    if (options.clean) result.cleanup.add(clean_up(d));
    const auto [slot, fresh] = slot_of_id.try_emplace(d.id, result.documents.size());
    if (fresh) {
      result.documents.push_back(std::move(d));
    } else {
      result.documents[slot->second] = std::move(d);
    }
  };

  const FileFormat format = format_of_file(file_name);
  if (format == FileFormat::kUnsupported) {
    reject(0,
           "不支持的文件类型 / unsupported file type (expected .txt, .md, .html, .htm, .docx or "
           ".jsonl)");
  } else if (bytes.size() > max_file_bytes(format)) {
    reject(0, detail::too_large("file", max_file_bytes(format)));
  } else if (format == FileFormat::kJsonLines) {
    auto source = detail::memory_source(bytes);
    detail::LineReader reader(*source, kMaxDocumentBytes);
    detail::for_each_jsonl_record(
        reader, [&](std::size_t line, Parsed parsed) { accept(line, std::move(parsed), false); });
    // An empty file, or one of blank lines, is refused in words rather than accepted silently.
    if (result.documents.empty() && result.issues.empty()) {
      reject(0, "文件中没有文档 / the file holds no document");
    }
  } else {
    accept(0, parse_document_file(format, bytes, file_name), true);
  }
  return result;
}

}  // namespace wenku::io
