// Importers: turn source files into validated documents and commit them to the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "io/cleanup.h"

namespace wenku::store {
class Store;
}

namespace wenku::io {

// A record that was rejected, with where and why.
struct ImportIssue {
  std::string file;
  std::size_t line = 0;  // 1-based line for JSON Lines, 0 for whole-file formats
  std::string reason;
};

// Either a document or the reason the input could not become one.
struct Parsed {
  std::optional<doc::Document> doc;
  std::string error;  // set when !doc
};

// Largest accepted record or text file, in bytes.
inline constexpr std::size_t kMaxDocumentBytes = 8 * 1024 * 1024;

// Parses one JSON Lines record in the corpus format (fields id, title, date, category,
// source, content required; url, subcategory optional; title_derived optional, true or
// false: the source derived the title from the text). Rejects invalid JSON, missing or
// mistyped fields, empty id/title/content, ids with characters outside [A-Za-z0-9._-],
// dates not of the form YYYY, YYYY-MM or YYYY-MM-DD (or ""), and invalid UTF-8.
Parsed parse_jsonl_record(std::string_view line);

// Parses a .txt or .md file's bytes: the first non-empty line is the title (Markdown "# "
// stripped), the remaining non-empty lines are the paragraphs (trimmed). The id is derived
// from `file_name`'s stem so that re-importing the same file updates it: the stem itself
// when it is a valid id, else "doc-" + 16 hex digits of a stable 64-bit hash of the stem.
Parsed parse_plain_text(std::string_view bytes, std::string_view file_name);

// Called as records are read: bytes consumed of all input so far, bytes in total (of the
// compressed files as stored), documents committed so far.
using ProgressFn = std::function<void(std::uint64_t bytes_done, std::uint64_t bytes_total,
                                      std::uint64_t docs_done)>;

// What the import did to the documents of one input file.
struct FileReport {
  std::string file;
  CleanupTally cleanup;  // clean_up's changes (all zero without clean-up)
};

struct ImportStats {
  std::uint64_t read = 0;      // records seen
  std::uint64_t inserted = 0;  // new documents
  std::uint64_t updated = 0;   // existing ids replaced
  std::uint64_t skipped = 0;   // rejected records (see issues)
  double seconds = 0;
  std::vector<ImportIssue> issues;
  std::vector<FileReport> files;  // one per input file, in the order given
};

// What committing one batch wrote.
struct Committed {
  std::uint64_t inserted = 0;  // new documents
  std::uint64_t updated = 0;   // existing ids replaced
};

struct ImportOptions {
  std::size_t batch_size = 500;  // documents per store transaction
  ProgressFn progress;           // may be empty
  // Commits one batch of valid documents (each id once) in one transaction, deriving what
  // they need first (app::Ingest::add); empty: the store's put, as they are.
  std::function<Committed(std::vector<doc::Document>)> commit;
  // Cleans every valid document up (io::clean_up) as it is read; false imports the texts as
  // given (`wenku import --raw`), so that importing a file again restores either shape.
  bool clean = true;
};

// Imports every file of `files` (.jsonl, .jsonl.zst, and the one-document types of
// io/upload.h: .txt, .md, .html, .htm, .docx; chosen by extension) into
// `store`, committing good records in batches and skipping bad ones with an ImportIssue
// naming file:line and the reason. A file that cannot be opened or decompressed is one
// issue and the import goes on with the next file. Each valid document is cleaned up
// (io::clean_up) unless `options.clean` is false; `files` reports per file what that
// changed. Duplicate ids within a batch: the last one wins. A failing store (store::StoreError)
// aborts the import with that exception; batches committed before stay committed.
ImportStats import_files(store::Store& store, const std::vector<std::filesystem::path>& files,
                         const ImportOptions& options = {});

// About twenty short original sample texts (讲话稿, 工作总结, 心得体会 …, each marked as a
// sample) so that a new site has something to show. Valid documents with ids "demo-…".
std::vector<doc::Document> demo_documents();

}  // namespace wenku::io
