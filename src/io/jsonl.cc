// parse_jsonl_record: one line of the corpus JSON Lines format -> a validated document.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "io/import.h"
#include "io/line_reader.h"
#include "io/validate.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

using nlohmann::json;

// Why a record was rejected; caught in parse_jsonl_record and turned into Parsed::error.
class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Records are flat objects; deeper nesting is refused before it can exhaust memory.
constexpr int kMaxDepth = 16;

json parse_object(std::string_view line) {
  auto limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxDepth) {
      throw RecordError(fmt::format("invalid JSON: nested deeper than {} levels", kMaxDepth));
    }
    return true;
  };
  json record;
  try {
    record = json::parse(line.begin(), line.end(), limit_depth);
  } catch (const json::parse_error& e) {
    // Drop the "[json.exception.parse_error.101] " prefix: it means nothing to a user.
    std::string_view what = e.what();
    auto prefix_end = what.find("] ");
    if (prefix_end != std::string_view::npos) what.remove_prefix(prefix_end + 2);
    throw RecordError(fmt::format("invalid JSON: {}", what));
  }
  if (!record.is_object()) throw RecordError("record is not a JSON object");
  return record;
}

enum class Presence { kRequired, kOptional };

// The string value of `name`; an optional field may be absent or null (then "").
std::string string_field(const json& record, const char* name, Presence presence) {
  auto it = record.find(name);
  if (it == record.end() || (presence == Presence::kOptional && it->is_null())) {
    if (presence == Presence::kRequired) throw RecordError(fmt::format("missing field '{}'", name));
    return {};
  }
  if (!it->is_string()) throw RecordError(fmt::format("field '{}' is not a string", name));
  const auto& value = it->get_ref<const std::string&>();
  // The line was valid UTF-8, but a \u0000 escape still decodes to a NUL byte.
  if (auto error = detail::utf8_error(value)) {
    throw RecordError(fmt::format("field '{}': {}", name, *error));
  }
  return value;
}

void require_non_empty(const std::string& value, const char* name) {
  if (value.empty()) throw RecordError(fmt::format("field '{}' is empty", name));
}

doc::Document to_document(std::string_view line) {
  if (line.size() > kMaxDocumentBytes) throw RecordError(detail::too_large("record"));
  if (auto error = detail::utf8_error(line)) throw RecordError(*error);
  const json record = parse_object(line);

  doc::Document d;
  d.id = string_field(record, "id", Presence::kRequired);
  d.title = text::trim(string_field(record, "title", Presence::kRequired));
  d.date = string_field(record, "date", Presence::kRequired);
  d.category = text::trim(string_field(record, "category", Presence::kRequired));
  d.source = string_field(record, "source", Presence::kRequired);
  d.content = detail::normalize_paragraphs(string_field(record, "content", Presence::kRequired));
  d.url = string_field(record, "url", Presence::kOptional);
  d.subcategory = text::trim(string_field(record, "subcategory", Presence::kOptional));

  require_non_empty(d.id, "id");
  if (!detail::is_valid_id(d.id)) {
    throw RecordError(fmt::format("invalid id '{}': only A-Z a-z 0-9 . _ - are allowed", d.id));
  }
  require_non_empty(d.title, "title");
  require_non_empty(d.content, "content");
  if (!detail::is_valid_date(d.date)) {
    throw RecordError(
        fmt::format("invalid date '{}': expected YYYY, YYYY-MM or YYYY-MM-DD", d.date));
  }
  return d;
}

}  // namespace

Parsed parse_jsonl_record(std::string_view line) {
  try {
    return Parsed{to_document(line), {}};
  } catch (const RecordError& e) {
    return Parsed{std::nullopt, e.what()};
  }
}

namespace detail {

void for_each_jsonl_record(LineReader& reader,
                           const std::function<void(std::size_t line, Parsed parsed)>& on_record) {
  using Result = LineReader::Result;
  std::string line;
  Result result;
  while ((result = reader.next(line)) != Result::kEnd) {
    if (result == Result::kLine && text::trim(line).empty()) continue;
    on_record(reader.line_number(), result == Result::kTooLong
                                        ? Parsed{std::nullopt, too_large("record")}
                                        : parse_jsonl_record(line));
  }
}

}  // namespace detail

}  // namespace wenku::io
