#include "io/line_reader.h"

#include <fmt/format.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <system_error>

namespace wenku::io::detail {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string errno_text() { return std::generic_category().message(errno); }

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::filesystem::path& path) : file_(std::fopen(path.c_str(), "rb")) {
    if (!file_) throw ReadError(fmt::format("cannot open: {}", errno_text()));
  }

  std::size_t read(char* out, std::size_t size) override {
    std::size_t n = std::fread(out, 1, size, file_.get());
    if (n == 0 && std::ferror(file_.get()))
      throw ReadError(fmt::format("read error: {}", errno_text()));
    consumed_ += n;
    return n;
  }

  std::uint64_t consumed() const override { return consumed_; }

 private:
  struct Close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Close> file_;
  std::uint64_t consumed_ = 0;
};

// Streaming zstd decompression (any number of concatenated frames) of a FileSource.
class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(const std::filesystem::path& path)
      : file_(path), dctx_(ZSTD_createDCtx()), input_(ZSTD_DStreamInSize()) {
    if (!dctx_) throw ReadError("cannot allocate a zstd decompression context");
  }

  std::size_t read(char* out, std::size_t size) override {
    ZSTD_outBuffer output{out, size, 0};
    while (output.pos == 0) {
      if (in_.pos == in_.size && !output_pending_ && !refill()) return 0;
      std::size_t hint = ZSTD_decompressStream(dctx_.get(), &output, &in_);
      if (ZSTD_isError(hint)) {
        throw ReadError(fmt::format("corrupt zstd data: {}", ZSTD_getErrorName(hint)));
      }
      frame_open_ = hint != 0;
      output_pending_ = frame_open_ && output.pos == output.size;
    }
    return output.pos;
  }

  std::uint64_t consumed() const override { return file_.consumed() - (in_.size - in_.pos); }

 private:
  // Loads more compressed input; false at the end of the file, which must end a frame.
  bool refill() {
    std::size_t n = file_.read(input_.data(), input_.size());
    if (n == 0) {
      if (frame_open_) throw ReadError("truncated zstd data: the file ends inside a frame");
      return false;
    }
    in_ = ZSTD_inBuffer{input_.data(), n, 0};
    return true;
  }

  struct Free {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
  };
  FileSource file_;
  std::unique_ptr<ZSTD_DCtx, Free> dctx_;
  std::vector<char> input_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  // True until a frame has been completely decoded: an empty file is not valid zstd either.
  bool frame_open_ = true;
  // The last call filled the output inside a frame, so the decoder may still hold decoded
  // bytes: it must be called again before more input is read (or the end is declared).
  bool output_pending_ = false;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}

  std::size_t read(char* out, std::size_t size) override {
    const std::size_t n = std::min(size, bytes_.size() - consumed_);
    std::memcpy(out, bytes_.data() + consumed_, n);
    consumed_ += n;
    return n;
  }

  std::uint64_t consumed() const override { return consumed_; }

 private:
  std::string_view bytes_;
  std::size_t consumed_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> memory_source(std::string_view bytes) {
  return std::make_unique<MemorySource>(bytes);
}

std::unique_ptr<ByteSource> open_source(const std::filesystem::path& path,
                                        Compression compression) {
  if (compression == Compression::kZstd) return std::make_unique<ZstdSource>(path);
  return std::make_unique<FileSource>(path);
}

std::string read_up_to(ByteSource& source, std::size_t limit) {
  std::string out;
  std::vector<char> chunk(kChunkBytes);
  while (out.size() < limit) {
    std::size_t n = source.read(chunk.data(), std::min(chunk.size(), limit - out.size()));
    if (n == 0) break;
    out.append(chunk.data(), n);
  }
  return out;
}

LineReader::LineReader(ByteSource& source, std::size_t max_line_bytes)
    : source_(source), max_line_bytes_(max_line_bytes), buffer_(kChunkBytes) {}

bool LineReader::fill() {
  begin_ = 0;
  end_ = source_.read(buffer_.data(), buffer_.size());
  return end_ > 0;
}

LineReader::Result LineReader::next(std::string& line) {
  line.clear();
  bool any = false;       // bytes (or a line ending) seen for this line
  bool too_long = false;  // the line outgrew the limit; its bytes are being discarded
  // One byte over the limit is allowed while reading: it may be the '\r' of "\r\n".
  const std::size_t keep_limit = max_line_bytes_ + 1;
  while (begin_ < end_ || fill()) {
    any = true;
    const char* start = buffer_.data() + begin_;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    std::size_t piece = nl ? static_cast<std::size_t>(nl - start) : end_ - begin_;
    if (!too_long && line.size() + piece > keep_limit) {
      too_long = true;
      line.clear();
    }
    if (!too_long) line.append(start, piece);
    begin_ += piece + (nl ? 1 : 0);
    if (nl) break;
  }
  if (!any) return Result::kEnd;
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (too_long || line.size() > max_line_bytes_) {
    line.clear();
    return Result::kTooLong;
  }
  if (line_number_ == 1 && std::string_view(line).starts_with(kBom)) line.erase(0, kBom.size());
  return Result::kLine;
}

}  // namespace wenku::io::detail
