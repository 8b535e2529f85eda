// Reading files, plain or zstd-compressed, as a stream of lines in bounded memory
// (internal to the io module).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/import.h"

namespace wenku::io::detail {

// A file could not be opened, read or decompressed; the message says why.
class ReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The bytes of a file, decompressed on the fly when it is zstd-compressed.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `out`; returns how many, 0 only at the end of the data.
  // Throws ReadError on a read error or corrupt or truncated compressed data.
  virtual std::size_t read(char* out, std::size_t size) = 0;
  // Bytes of the file as stored (compressed, for zstd) consumed so far.
  virtual std::uint64_t consumed() const = 0;
};

enum class Compression { kNone, kZstd };

// Opens `path` for reading. Throws ReadError when it cannot be opened.
std::unique_ptr<ByteSource> open_source(const std::filesystem::path& path, Compression compression);

// A source over `bytes` (not copied: they must outlive it); reading never fails.
std::unique_ptr<ByteSource> memory_source(std::string_view bytes);

// Reads at most `limit` bytes of `source`.
std::string read_up_to(ByteSource& source, std::size_t limit);

// Splits a ByteSource into lines. Handles "\n" and "\r\n" endings, a last line without
// one, and a UTF-8 byte order mark at the start. Memory stays bounded by the chunk size
// plus `max_line_bytes`, however long a line is.
class LineReader {
 public:
  enum class Result {
    kLine,     // `line` holds the next line, without its line ending
    kTooLong,  // the line had more than `max_line_bytes` bytes and was skipped; `line` is empty
    kEnd,      // no more lines
  };

  LineReader(ByteSource& source, std::size_t max_line_bytes);

  // Reads the next line into `line`. Throws ReadError from the source.
  Result next(std::string& line);

  // 1-based number of the line that next() returned last.
  std::size_t line_number() const { return line_number_; }

 private:
  bool fill();

  ByteSource& source_;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  std::size_t line_number_ = 0;
};

// Reads the JSON Lines records of `reader` (made with max_line_bytes kMaxDocumentBytes):
// blank lines are skipped; every other line is passed to `on_record` with its 1-based line
// number and parse_jsonl_record's result (a too-long line: a "record exceeds" error).
// Throws ReadError from the source.
void for_each_jsonl_record(LineReader& reader,
                           const std::function<void(std::size_t line, Parsed parsed)>& on_record);

}  // namespace wenku::io::detail
