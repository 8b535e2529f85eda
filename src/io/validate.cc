#include "io/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>

#include "io/import.h"
#include "text/utf8.h"

namespace wenku::io::detail {
namespace {

bool is_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Parses exactly `digits` decimal digits at `s[pos]`; nullopt when they are not all digits.
std::optional<unsigned> parse_digits(std::string_view s, std::size_t pos, std::size_t digits) {
  if (s.size() < pos + digits) return std::nullopt;
  unsigned value = 0;
  const char* first = s.data() + pos;
  auto [end, ec] = std::from_chars(first, first + digits, value);
  if (ec != std::errc() || end != first + digits) return std::nullopt;
  return value;
}

}  // namespace

bool is_valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), is_id_char);
}

bool is_valid_date(std::string_view date) {
  using namespace std::chrono;
  if (date.empty()) return true;
  if (date.size() != 4 && date.size() != 7 && date.size() != 10) return false;
  auto y = parse_digits(date, 0, 4);
  if (!y) return false;
  if (date.size() == 4) return true;
  auto m = parse_digits(date, 5, 2);
  if (date[4] != '-' || !m || !month(*m).ok()) return false;
  if (date.size() == 7) return true;
  auto d = parse_digits(date, 8, 2);
  return date[7] == '-' && d && year_month_day(year(static_cast<int>(*y)), month(*m), day(*d)).ok();
}

std::optional<std::string> utf8_error(std::string_view s, std::size_t base) {
  auto bad = text::find_invalid_utf8(s);
  if (!bad) return std::nullopt;
  return fmt::format("invalid UTF-8 at byte {}", *bad + base);
}

std::string too_large(std::string_view what) { return too_large(what, kMaxDocumentBytes); }

std::string too_large(std::string_view what, std::size_t limit_bytes) {
  return fmt::format("{} exceeds {} MiB", what, limit_bytes / (1024 * 1024));
}

std::string id_for_file(std::string_view file_name) {
  const std::string stem = std::filesystem::path(file_name).stem().string();
  if (is_valid_id(stem)) return stem;
  // FNV-1a, 64 bit: a fixed function, so ids stay the same across builds and platforms.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : stem) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("doc-{:016x}", h);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string normalize_paragraphs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text::trim(text.substr(0, nl));
    if (!line.empty()) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace wenku::io::detail
