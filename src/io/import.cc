// import_files: reads source files record by record and commits good documents in batches.
#include <algorithm>
#include <chrono>
#include <string_view>
#include <unordered_map>

#include "io/cleanup.h"
#include "io/import.h"
#include "io/line_reader.h"
#include "io/upload.h"
#include "io/validate.h"
#include "store/store.h"

namespace wenku::io {
namespace {

namespace fs = std::filesystem;

enum class Format { kJsonLines, kJsonLinesZstd, kDocumentFile, kUnsupported };

Format format_of(const fs::path& path) {
  const std::string name = detail::ascii_lower(path.filename().string());
  auto ends_with = [&name](std::string_view suffix) {
    return std::string_view(name).ends_with(suffix);
  };
  if (ends_with(".jsonl.zst")) return Format::kJsonLinesZstd;
  if (ends_with(".jsonl")) return Format::kJsonLines;
  // .txt .md .html .htm .docx: one document per file, read as an upload is.
  if (format_of_file(name) != FileFormat::kUnsupported) return Format::kDocumentFile;
  return Format::kUnsupported;
}

// Collects documents and commits them in batches of `batch_size`. Within a batch the last
// document with a given id replaces earlier ones, so the store sees each id once.
class BatchWriter {
 public:
  BatchWriter(store::Store& store, const ImportOptions& options, ImportStats& stats)
      : store_(store),
        batch_size_(std::max<std::size_t>(options.batch_size, 1)),
        commit_(options.commit),
        stats_(stats) {}

  // Adds `d`, committing the batch when it is full.
  void add(doc::Document d) {
    auto [slot, fresh] = slot_of_id_.try_emplace(d.id, pending_.size());
    if (fresh) {
      pending_.push_back(std::move(d));
    } else {
      pending_[slot->second] = std::move(d);
    }
    if (pending_.size() >= batch_size_) flush();
  }

  // Commits the pending documents (if any) in one store transaction.
  void flush() {
    if (pending_.empty()) return;
    if (commit_) {
      const Committed committed = commit_(std::move(pending_));
      stats_.inserted += committed.inserted;
      stats_.updated += committed.updated;
    } else {
      for (const auto& result : store_.put(pending_)) {
        ++(result.inserted ? stats_.inserted : stats_.updated);
      }
    }
    pending_.clear();
    slot_of_id_.clear();
  }

 private:
  store::Store& store_;
  std::size_t batch_size_;
  const std::function<Committed(std::vector<doc::Document>)>& commit_;
  ImportStats& stats_;
  std::vector<doc::Document> pending_;
  std::unordered_map<std::string, std::size_t> slot_of_id_;
};

class Importer {
 public:
  Importer(store::Store& store, const ImportOptions& options, ImportStats& stats)
      : options_(options), stats_(stats), batch_(store, options, stats) {}

  void run(const std::vector<fs::path>& files) {
    std::vector<std::uint64_t> sizes;
    for (const auto& file : files) {
      std::error_code ec;
      auto size = fs::file_size(file, ec);
      sizes.push_back(ec ? 0 : size);
      bytes_total_ += sizes.back();
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
      import_file(files[i]);
      bytes_before_ += sizes[i];
      report(0);
    }
    batch_.flush();
    report(0);
  }

 private:
  void import_file(const fs::path& file) {
    stats_.files.push_back(FileReport{file.string(), {}});
    try {
      switch (format_of(file)) {
        case Format::kJsonLines:
          return import_lines(file, detail::Compression::kNone);
        case Format::kJsonLinesZstd:
          return import_lines(file, detail::Compression::kZstd);
        case Format::kDocumentFile:
          return import_document_file(file);
        case Format::kUnsupported:
          return reject(file, 0,
                        "unsupported file type (expected .jsonl, .jsonl.zst, .txt, .md, .html, "
                        ".htm or .docx)");
      }
    } catch (const detail::ReadError& e) {
      reject(file, 0, e.what());  // the file could not be opened (or, for one document, read)
    }
  }

  void import_lines(const fs::path& file, detail::Compression compression) {
    auto source = detail::open_source(file, compression);
    detail::LineReader reader(*source, kMaxDocumentBytes);
    try {
      read_records(file, reader, *source);
    } catch (const detail::ReadError& e) {
      // Records before the failure stay imported; the issue names the line being read.
      reject(file, reader.line_number() + 1, e.what());
    }
  }

  void read_records(const fs::path& file, detail::LineReader& reader,
                    const detail::ByteSource& source) {
    detail::for_each_jsonl_record(reader, [&](std::size_t line, Parsed parsed) {
      ++stats_.read;
      accept(file, line, std::move(parsed));
      report(source.consumed());
    });
  }

  void import_document_file(const fs::path& file) {
    const FileFormat format = format_of_file(file.filename().string());
    auto source = detail::open_source(file, detail::Compression::kNone);
    // One byte more than allowed is enough to tell that the file is too large.
    std::string bytes = detail::read_up_to(*source, max_file_bytes(format) + 1);
    ++stats_.read;
    accept(file, 0, parse_document_file(format, bytes, file.string()));
    report(source->consumed());
  }

  void accept(const fs::path& file, std::size_t line, Parsed parsed) {
    if (!parsed.doc) {
      ++stats_.skipped;
      reject(file, line, std::move(parsed.error));
      return;
    }
    if (options_.clean) stats_.files.back().cleanup.add(clean_up(*parsed.doc));
    batch_.add(std::move(*parsed.doc));
  }

  void reject(const fs::path& file, std::size_t line, std::string reason) {
    stats_.issues.push_back(ImportIssue{file.string(), line, std::move(reason)});
  }

  // `consumed`: bytes of the current file read so far.
  void report(std::uint64_t consumed) {
    if (options_.progress) {
      options_.progress(bytes_before_ + consumed, bytes_total_, stats_.inserted + stats_.updated);
    }
  }

  const ImportOptions& options_;
  ImportStats& stats_;
  BatchWriter batch_;
  std::uint64_t bytes_total_ = 0;
  std::uint64_t bytes_before_ = 0;  // sizes of the files already done
};

}  // namespace

ImportStats import_files(store::Store& store, const std::vector<fs::path>& files,
                         const ImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ImportStats stats;
  Importer(store, options, stats).run(files);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace wenku::io
